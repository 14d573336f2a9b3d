using System.Text;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Register;

public sealed class HistoryModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public IReadOnlyList<RegisterVersionSummary> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string org)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        Versions = await RegisterService.VersionsAsync(Organisation.Id, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>The register file of one version, to download, edit and import again.</summary>
    public async Task<IActionResult> OnGetSourceAsync(string org, int version)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        var summary = (await RegisterService.VersionsAsync(Organisation.Id, HttpContext.RequestAborted)).FirstOrDefault(v => v.Version == version);
        if (summary is null || await RegisterService.SourceAsync(summary.Id, HttpContext.RequestAborted) is not { } source)
        {
            return NotFound();
        }

        return File(Encoding.UTF8.GetBytes(source), "application/yaml; charset=utf-8", $"{Organisation.ShortName}-register-v{version}.yaml");
    }
}
