using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Notices;

/// <summary>Every version of an organisation's notice, with the date each took effect.</summary>
[AllowAnonymous]
public sealed class VersionsModel(RegisterService register) : HavenPageModel
{
    public Organisation? Organisation { get; private set; }
    public IReadOnlyList<RegisterVersionSummary> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string org)
    {
        Organisation = await register.OrganisationByCodeAsync(org, HttpContext.RequestAborted);
        if (Organisation is null)
        {
            return NotFound();
        }

        Versions = await register.VersionsAsync(Organisation.Id, HttpContext.RequestAborted);
        return Page();
    }
}
