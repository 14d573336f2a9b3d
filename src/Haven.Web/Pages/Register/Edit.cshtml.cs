using Haven.Core.Data;
using Haven.Core.Privacy;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Register;

/// <summary>Changes an organisation's register by editing its file in the browser: checked as a whole, saved as a new version or not at all.</summary>
public sealed class EditModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public const int MaxLength = 500_000;

    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<RegisterError> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string org)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        if (!CanManage)
        {
            return Forbid();
        }

        var versions = await RegisterService.VersionsAsync(Organisation.Id, HttpContext.RequestAborted);
        var latest = versions.Count == 0 ? null : versions[0];
        Source = latest is null ? null : await RegisterService.SourceAsync(latest.Id, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string org)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        if (!CanManage)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            AddError("Source", "Enter the register");
        }
        else if (Source.Length > MaxLength)
        {
            AddError("Source", "The register must be 500,000 characters or fewer");
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var result = await RegisterService.ImportAsync([new RegisterFile($"{Organisation.ShortName}.yaml", Source!)], Reason ?? "", User.UserId(),
            User.Identity?.Name ?? "unknown", Organisation.Id, HttpContext.RequestAborted);
        if (!result.Imported)
        {
            Problems = result.Errors;
            if (result.Errors.Any(e => e.File == "(import)"))
            {
                AddError("Reason", result.Errors.First(e => e.File == "(import)").Message);
            }

            if (result.Errors.Any(e => e.File != "(import)"))
            {
                AddError("Source", $"The register has {result.Errors.Count(e => e.File != "(import)")} problem(s). Nothing was saved. See the list below the box");
            }

            return Page();
        }

        TempData["Confirmation"] = $"Version {result.Versions[0].Version} saved. It is in force from {result.Versions[0].EffectiveFrom:d MMMM yyyy}.";
        return Redirect($"/register/{Organisation.ShortName}");
    }
}
