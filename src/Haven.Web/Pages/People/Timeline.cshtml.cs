using Haven.Core.Access;
using Haven.Core.Timeline;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

public sealed class TimelineModel(RecordAccessService access, TimelineService timeline, IEnumerable<IHouseholdMembers> households) : HavenPageModel
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public bool Family { get; private set; }
    public IReadOnlyList<TimelineEntry> Entries { get; private set; } = [];
    public IReadOnlyList<string> AllTypes => timeline.Types;
    public IReadOnlySet<string> Selected { get; private set; } = new HashSet<string>();
    public Dictionary<Guid, string> Names { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "type")] string[]? type, bool family = false)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, family ? "family timeline" : "timeline", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.Outcome == AccessOutcome.NotFound ? NotFound() : Redirect($"/people/{id}");
        }

        Id = id;
        Name = person!.FullName;
        Family = family;
        Selected = (type ?? []).Where(t => timeline.Types.Contains(t)).ToHashSet();
        Names[id] = person.FullName;
        if (family)
        {
            // Only the household members this user may open are included; each is checked and audited.
            foreach (var source in households)
            {
                foreach (var memberId in await source.MembersAsync(id, DateOnly.FromDateTime(DateTime.UtcNow), HttpContext.RequestAborted))
                {
                    if (Names.ContainsKey(memberId))
                    {
                        continue;
                    }

                    var (memberDecision, member) = await access.OpenRecordAsync(User.UserId(), memberId, "family timeline", HttpContext.RequestAborted);
                    if (memberDecision.Allowed)
                    {
                        Names[memberId] = member!.FullName;
                    }
                }
            }
        }

        Entries = await timeline.ForPeopleAsync(Names.Keys.ToList(), Selected, family ? "family timeline" : "timeline", HttpContext.RequestAborted);
        return Page();
    }
}
