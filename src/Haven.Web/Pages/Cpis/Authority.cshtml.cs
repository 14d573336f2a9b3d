using Haven.Core.Cpis;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Cpis;

public sealed class AuthorityModel(CpisService cpis) : HavenPageModel
{
    public string OrganisationName { get; private set; } = string.Empty;
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? OfficeHoursPhone { get; set; }
    [BindProperty] public string? EmergencyDutyPhone { get; set; }
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync()
    {
        var (organisation, authority) = await cpis.AuthorityAsync(User.UserId(), HttpContext.RequestAborted);
        OrganisationName = organisation.Name;
        DisplayName = authority?.DisplayName ?? organisation.Name;
        OfficeHoursPhone = authority?.OfficeHoursPhone;
        EmergencyDutyPhone = authority?.EmergencyDutyPhone;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        AddErrors(await cpis.SaveAuthorityAsync(User.UserId(), new AuthorityInput(DisplayName, OfficeHoursPhone, EmergencyDutyPhone), HttpContext.RequestAborted));
        if (Errors.Count > 0)
        {
            OrganisationName = (await cpis.AuthorityAsync(User.UserId(), HttpContext.RequestAborted)).Organisation.Name;
            return Page();
        }

        Done = "The CP-IS contact details were saved.";
        return RedirectToPage();
    }
}
