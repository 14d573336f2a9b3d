using Microsoft.AspNetCore.Authorization;

namespace Haven.Web.Pages.InformationRights;

/// <summary>Shows the reference and status code once, after the form is sent (they travel in encrypted temp data).</summary>
[AllowAnonymous]
public sealed class SentModel : HavenPageModel
{
    public string? Reference { get; private set; }
    public string? Code { get; private set; }
    public string? Due { get; private set; }
    public string? Organisation { get; private set; }

    public void OnGet()
    {
        Reference = TempData["RightsReference"] as string;
        Code = TempData["RightsCode"] as string;
        Due = TempData["RightsDue"] as string;
        Organisation = TempData["RightsOrganisation"] as string;
    }
}
