using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Web.Pages.Admin.Audit;

public sealed class AuditIndexModel(HavenDbContext db, AuditWriter audit, IOptions<DatabaseOptions> options) : HavenPageModel
{
    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];
    public Dictionary<Guid, string> Names { get; private set; } = [];
    public AuditVerification? Verification { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task OnPostVerifyAsync()
    {
        Verification = await AuditVerifier.VerifyAsync(options.Value.ConnectionString!, HttpContext.RequestAborted);
        await audit.RecordAsync(new AuditEntry(AuditActions.AuditVerified, Details: Verification.Message), HttpContext.RequestAborted);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        Events = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Seq).Take(100).ToListAsync(HttpContext.RequestAborted);
        var ids = Events.Where(e => e.ActorUserId != null).Select(e => e.ActorUserId!.Value).Distinct().ToList();
        Names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, HttpContext.RequestAborted);
        await audit.RecordAsync(new AuditEntry(AuditActions.AuditLogViewed, Events.SelectMany(e => e.PersonIds).Distinct().ToList(), Details: "latest 100 events"), HttpContext.RequestAborted);
    }
}
