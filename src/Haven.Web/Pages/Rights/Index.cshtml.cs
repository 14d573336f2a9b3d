using Haven.Core.Rights;
using Haven.Web.Infrastructure;

namespace Haven.Web.Pages.Rights;

/// <summary>The rights requests dashboard: open requests by days left, overdue ones highlighted, and recent closures.</summary>
public sealed class IndexModel(RightsRequestService requests, TimeProvider clock) : HavenPageModel
{
    public IReadOnlyList<RequestSummary> Open { get; private set; } = [];
    public IReadOnlyList<RequestSummary> Closed { get; private set; } = [];
    public string OnTimeText { get; private set; } = "–";

    public async Task OnGetAsync()
    {
        var all = await requests.ListAsync(User.UserId(), includeClosed: true, HttpContext.RequestAborted);
        Open = all.Where(r => r.ClosedOn is null).ToList();
        var yearAgo = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-1);
        Closed = all.Where(r => r.ClosedOn is not null).OrderByDescending(r => r.ClosedOn).ToList();
        var lastYear = Closed.Where(r => r.ClosedOn >= yearAgo && r.Status != RightsCodes.StatusWithdrawn).ToList();
        if (lastYear.Count > 0)
        {
            OnTimeText = $"{lastYear.Count(r => r.ClosedOn <= r.Clock.DueOn) * 100 / lastYear.Count}%";
        }
    }
}
