using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Haven.Web.Pages.InformationRights;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Rights;

/// <summary>Staff intake for requests that arrived by post, email, phone or in person.</summary>
public sealed class NewModel(RegisterService register, RightsRequestService requests) : RightsRequestFormModel(register)
{
    [BindProperty] public string? Channel { get; set; }
    [BindProperty] public string? ReceivedOnDay { get; set; }
    [BindProperty] public string? ReceivedOnMonth { get; set; }
    [BindProperty] public string? ReceivedOnYear { get; set; }

    public override bool IsStaffIntake => true;

    public async Task OnGetAsync() => await LoadOrganisationsAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var (received, dateError) = DateInput.Parse(ReceivedOnDay, ReceivedOnMonth, ReceivedOnYear, "Date it arrived", required: true);
        AddError("ReceivedOn", dateError);
        var input = ReadInput(Channel, received);
        if (Errors.Count == 0)
        {
            var (errors, submitted) = await requests.SubmitAsync(input, User.UserId(), HttpContext.RequestAborted);
            AddErrors(errors);
            if (submitted is not null && Errors.Count == 0)
            {
                return Redirect($"/rights/{submitted.Id}?recorded=1");
            }
        }

        await LoadOrganisationsAsync();
        return Page();
    }
}
