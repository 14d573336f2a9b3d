using System.Text;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Register;

/// <summary>Imports register files: all-or-nothing, with every problem reported by file and line. A DPO imports their own organisation's register.</summary>
public sealed class ImportModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public const int MaxFileBytes = 1_000_000;

    [BindProperty] public List<IFormFile> Files { get; set; } = [];
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<RegisterError> Problems { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var files = new List<RegisterFile>();
        foreach (var file in Files)
        {
            if (file.Length > MaxFileBytes)
            {
                AddError("Files", $"{file.FileName} is larger than 1 MB. A register file is plain text and much smaller than that");
                continue;
            }

            using var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, true));
            try
            {
                files.Add(new RegisterFile(Path.GetFileName(file.FileName), await reader.ReadToEndAsync(HttpContext.RequestAborted)));
            }
            catch (DecoderFallbackException)
            {
                AddError("Files", $"{file.FileName} is not a text file in UTF-8. Save the register as UTF-8 text and try again");
            }
        }

        if (Files.Count == 0)
        {
            AddError("Files", "Select at least one register file");
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var userId = User.UserId();
        var organisationId = await Db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(HttpContext.RequestAborted);
        var result = await RegisterService.ImportAsync(files, Reason ?? "", userId, User.Identity?.Name ?? "unknown", organisationId, HttpContext.RequestAborted);
        if (!result.Imported)
        {
            Problems = result.Errors;
            if (result.Errors.FirstOrDefault(e => e.File == "(import)" && e.Message.Contains("why", StringComparison.OrdinalIgnoreCase)) is { } reason)
            {
                AddError("Reason", reason.Message);
            }

            if (result.Errors.Any(e => e.File != "(import)" || !e.Message.Contains("why", StringComparison.OrdinalIgnoreCase)))
            {
                AddError("Files", $"The files have {result.Errors.Count} problem(s). Nothing was imported. Each problem is listed below with its file and line");
            }

            return Page();
        }

        TempData["Confirmation"] = string.Join(" ", result.Versions.Select(v => $"{v.OrganisationName}: version {v.Version} imported, in force from {v.EffectiveFrom:d MMMM yyyy}."));
        return Redirect($"/register/{result.Versions[0].OrganisationCode}");
    }
}
