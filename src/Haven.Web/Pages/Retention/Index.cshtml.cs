using Haven.Core.Data;
using Haven.Core.Retention;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Retention;

/// <summary>The forecast of what falls due in the next 12 months, the latest runs and their disposal certificates, and a run on demand.</summary>
public sealed class IndexModel(RetentionEngine engine, HavenDbContext db, TimeProvider clock) : HavenPageModel
{
    public IReadOnlyList<(string Organisation, string RecordType, string Rule, string Action, DateOnly Month, int Count)> Forecast { get; private set; } = [];
    public IReadOnlyList<RetentionRun> Runs { get; private set; } = [];
    public IReadOnlyList<(DisposalCertificate Certificate, string Organisation)> Certificates { get; private set; } = [];
    public RunSummary? LastRun { get; private set; }
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>Runs the sweep now; a dry run only reports what would happen.</summary>
    public async Task<IActionResult> OnPostRunAsync(bool dryRun)
    {
        LastRun = await engine.RunAsync(Today, dryRun, User.Identity?.Name ?? "unknown", HttpContext.RequestAborted);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Forecast = await engine.ForecastAsync(Today, 12, HttpContext.RequestAborted);
        Runs = await db.Set<RetentionRun>().AsNoTracking().OrderByDescending(r => r.StartedAt).Take(10).ToListAsync(HttpContext.RequestAborted);
        var names = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, HttpContext.RequestAborted);
        Certificates = (await db.Set<DisposalCertificate>().AsNoTracking().OrderByDescending(c => c.DisposedOn).Take(50).ToListAsync(HttpContext.RequestAborted))
            .Select(c => (c, names.GetValueOrDefault(c.OrganisationId, "?"))).ToList();
    }
}
