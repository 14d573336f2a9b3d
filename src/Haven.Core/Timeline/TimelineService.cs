using Haven.Core.Audit;
using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Timeline;

/// <summary>One thing that happened in a person's life or case, for the chronological view.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Type, string Title, string? Detail, string? Source, Guid PersonId, string? Link = null);

/// <summary>A module's contribution to the timeline: every module that records facts about people adds one.</summary>
public interface ITimelineSource
{
    /// <summary>The entry types this source produces, for the filter.</summary>
    IReadOnlyList<string> Types { get; }

    Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken);
}

/// <summary>
/// One chronological view per child combining everything recorded about them, filterable by type, and a family view
/// across the people who share a household. Callers decide access first; the read is audited here.
/// </summary>
public sealed class TimelineService(HavenDbContext db, IEnumerable<ITimelineSource> sources, AuditWriter audit)
{
    public IReadOnlyList<string> Types => sources.SelectMany(s => s.Types).Distinct().Order(StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<TimelineEntry>> ForPeopleAsync(IReadOnlyCollection<Guid> personIds, IReadOnlyCollection<string>? types, string purpose,
        CancellationToken cancellationToken = default)
    {
        var entries = new List<TimelineEntry>();
        foreach (var source in sources)
        {
            if (types is { Count: > 0 } && !source.Types.Any(types.Contains))
            {
                continue;
            }

            entries.AddRange(await source.EntriesAsync(db, personIds, cancellationToken));
        }

        var filtered = entries.Where(e => types is not { Count: > 0 } || types.Contains(e.Type))
            .OrderByDescending(e => e.At).ThenBy(e => e.Type, StringComparer.Ordinal).ToList();
        await audit.RecordAsync(new AuditEntry(TimelineAuditActions.Viewed, personIds, purpose, $"{filtered.Count} entries"), cancellationToken);
        return filtered;
    }
}

public static class TimelineAuditActions
{
    public const string Viewed = "person.timeline_viewed";
}

/// <summary>The person record's own events: record created, moved to an address, other names, merges.</summary>
public sealed class PersonRecordTimelineSource : ITimelineSource
{
    public const string RecordType = "Record";
    public const string AddressType = "Address";

    public IReadOnlyList<string> Types { get; } = [RecordType, AddressType];

    public async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.CreatedAt, p.DateOfBirth, p.DateOfDeath, p.GivenName, p.FamilyName }).ToListAsync(cancellationToken);
        foreach (var p in people)
        {
            entries.Add(new TimelineEntry(p.CreatedAt, RecordType, "Record created", null, null, p.Id));
            if (p.DateOfBirth is { } born)
            {
                entries.Add(new TimelineEntry(new DateTimeOffset(born.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), RecordType, $"{p.GivenName} {p.FamilyName} born", null, null, p.Id));
            }

            if (p.DateOfDeath is { } died)
            {
                entries.Add(new TimelineEntry(new DateTimeOffset(died.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), RecordType, $"{p.GivenName} {p.FamilyName} died", null, null, p.Id));
            }
        }

        var addresses = await db.Addresses.AsNoTracking().Where(a => personIds.Contains(a.PersonId)).ToListAsync(cancellationToken);
        foreach (var a in addresses)
        {
            var at = a.LivedFrom is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : a.CreatedAt;
            entries.Add(new TimelineEntry(at, AddressType, "Address recorded", string.Join(", ", new[] { a.Line1, a.Line2, a.Town, a.Postcode }.Where(x => !string.IsNullOrEmpty(x))),
                null, a.PersonId));
        }

        return entries;
    }
}
