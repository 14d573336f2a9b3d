using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

public sealed class NewOffenceModel(RecordAccessService access, CaseWorkService caseWork) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Proceedings { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id, "record criminal offence data") ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record criminal offence data") is { } refused)
        {
            return refused;
        }

        var input = new OffenceInput(Description, Status, ReadDate("OffenceDate", "Date of the offence"), Proceedings, Source);
        var result = await caseWork.AddOffenceAsync(User.UserId(), id, input, validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved("Offence added");
        }

        ShowErrors(result.Errors, "Description", "Status", "OffenceDate", "Proceedings", "Source");
        return Page();
    }
}
