using Haven.Core.CaseWork;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Timeline;

internal static class When
{
    public static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateTimeOffset At(DateOnly date, TimeOnly? time) => new(date.ToDateTime(time ?? TimeOnly.MinValue), TimeSpan.Zero);

    public static string Source(string code) => ReferenceData.InformationSources.LabelFor(code) ?? code;

    public static string Label(CodeList list, string? code) => list.LabelFor(code) ?? code ?? string.Empty;
}

/// <summary>Case notes and contacts, worries and strengths, plans, services, offences (title only) and documents.</summary>
public sealed class CaseWorkTimelineSource : ITimelineSource
{
    public const string Contact = "Contact";
    public const string Worries = "Worries and strengths";
    public const string Plan = "Assessment or plan";
    public const string Service = "Service";
    public const string Offence = "Offence or proceedings";
    public const string Document = "Document";

    public IReadOnlyList<string> Types { get; } = [Contact, Worries, Plan, Service, Offence, Document];

    public async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        foreach (var n in await db.Set<CaseNote>().AsNoTracking().Where(n => personIds.Contains(n.PersonId)).ToListAsync(cancellationToken))
        {
            var text = n.Text.Length > 300 ? n.Text[..300] + "…" : n.Text;
            entries.Add(new TimelineEntry(When.At(n.ContactDate, n.ContactTime), Contact, When.Label(ReferenceData.ContactTypes, n.ContactType)
                + (string.IsNullOrEmpty(n.Participants) ? string.Empty : $" with {n.Participants}"), text, When.Source(n.Source), n.PersonId, $"/people/{n.PersonId}/notes"));
        }

        foreach (var w in await db.Set<CaseWorry>().AsNoTracking().Where(w => personIds.Contains(w.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(w.RecordedOn), Worries, When.Label(CaseWorkLists.WorryKinds, w.Kind), w.Text, When.Source(w.Source), w.PersonId));
        }

        foreach (var p in await db.Set<CasePlan>().AsNoTracking().Where(p => personIds.Contains(p.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(p.StartedOn), Plan, $"{When.Label(CaseWorkLists.PlanTypes, p.PlanType)} started", p.Outcome, When.Source(p.Source), p.PersonId));
        }

        foreach (var s in await db.Set<CaseService>().AsNoTracking().Where(s => personIds.Contains(s.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(s.FromDate), Service, $"Started {s.Name}", s.Provider, When.Source(s.Source), s.PersonId));
        }

        foreach (var o in await db.Set<CaseOffence>().AsNoTracking().Where(o => personIds.Contains(o.PersonId))
                     .Select(o => new { o.PersonId, o.CreatedAt, o.Source }).ToListAsync(cancellationToken))
        {
            // Criminal-offence data stays sealed here: the timeline says only that something was recorded.
            entries.Add(new TimelineEntry(o.CreatedAt, Offence, "Offence or proceedings recorded", "Open the record to see the details", When.Source(o.Source), o.PersonId));
        }

        foreach (var d in await db.Set<CaseDocument>().AsNoTracking().Where(d => personIds.Contains(d.PersonId))
                     .Select(d => new { d.Id, d.PersonId, d.CreatedAt, d.Title, d.FileName, d.Source }).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(d.CreatedAt, Document, $"Document added: {d.Title ?? d.FileName}", null, When.Source(d.Source), d.PersonId, $"/documents/{d.Id}"));
        }

        return entries;
    }
}

/// <summary>Involvements (referrals, plans, looked after, adoption …), court orders and professionals.</summary>
public sealed class InvolvementTimelineSource : ITimelineSource
{
    public const string Involvement = "Involvement";
    public const string Court = "Court order";
    public const string Professional = "Professional involved";

    public IReadOnlyList<string> Types { get; } = [Involvement, Court, Professional];

    public async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        foreach (var i in await db.Set<Involvement>().AsNoTracking().Where(i => personIds.Contains(i.PersonId))
                     .Select(i => new { i.PersonId, i.InvolvementType, i.StartedOn, i.EndedOn, i.CategoryOfAbuse, i.LegalStatus, i.PreBirth, i.Source }).ToListAsync(cancellationToken))
        {
            var label = When.Label(ReferenceData.InvolvementTypes, i.InvolvementType) + (i.PreBirth ? " (pre-birth)" : string.Empty);
            var detail = i.CategoryOfAbuse is not null ? $"Category: {When.Label(ReferenceData.CategoriesOfAbuse, i.CategoryOfAbuse)}"
                : i.LegalStatus is not null ? $"Legal status: {When.Label(ReferenceData.LegalStatuses, i.LegalStatus)}" : null;
            entries.Add(new TimelineEntry(When.At(i.StartedOn), Involvement, $"{label} started", detail, When.Source(i.Source), i.PersonId));
            if (i.EndedOn is { } ended)
            {
                entries.Add(new TimelineEntry(When.At(ended), Involvement, $"{label} ended", null, When.Source(i.Source), i.PersonId));
            }
        }

        foreach (var c in await db.Set<CourtOrder>().AsNoTracking().Where(c => personIds.Contains(c.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(c.MadeOn), Court, $"{When.Label(CaseRecordCodes.CourtOrderTypes, c.OrderType)} made", c.Court, When.Source(c.Source), c.PersonId));
        }

        foreach (var p in await db.Set<ProfessionalInvolved>().AsNoTracking().Where(p => personIds.Contains(p.PersonId)).ToListAsync(cancellationToken))
        {
            var at = p.InvolvedFrom is { } from ? When.At(from) : p.CreatedAt;
            entries.Add(new TimelineEntry(at, Professional, $"{When.Label(CaseRecordCodes.ProfessionalRoles, p.Role)}: {p.Name}", p.ProfessionalOrganisation, When.Source(p.Source), p.PersonId));
        }

        return entries;
    }
}

/// <summary>Family relationships and moves between households.</summary>
public sealed class FamilyTimelineSource : ITimelineSource
{
    public const string Family = "Family";
    public const string HouseholdType = "Household";

    public IReadOnlyList<string> Types { get; } = [Family, HouseholdType];

    public async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        var relationships = await (from r in db.Set<Relationship>().AsNoTracking()
                                   join other in db.People on r.RelatedPersonId equals other.Id
                                   where personIds.Contains(r.PersonId)
                                   select new { r.PersonId, r.RelationshipType, r.StartedOn, r.CreatedAt, r.Source, Other = other.GivenName + " " + other.FamilyName, other.Restricted })
            .ToListAsync(cancellationToken);
        foreach (var r in relationships)
        {
            var other = r.Restricted ? "a restricted record" : r.Other;
            entries.Add(new TimelineEntry(r.StartedOn is { } s ? When.At(s) : r.CreatedAt, Family,
                $"{When.Label(ReferenceData.FamilyRelationships, r.RelationshipType)}: {other}", null, When.Source(r.Source), r.PersonId));
        }

        var stays = await (from m in db.Set<HouseholdMember>().AsNoTracking()
                           join h in db.Set<Household>() on m.HouseholdId equals h.Id
                           where personIds.Contains(m.PersonId)
                           select new { m.PersonId, m.LivedFrom, m.LivedTo, h.Label, m.Source }).ToListAsync(cancellationToken);
        foreach (var m in stays)
        {
            entries.Add(new TimelineEntry(When.At(m.LivedFrom), HouseholdType, $"Moved into {m.Label}", null, When.Source(m.Source), m.PersonId));
            if (m.LivedTo is { } left)
            {
                entries.Add(new TimelineEntry(When.At(left), HouseholdType, $"Left {m.Label}", null, When.Source(m.Source), m.PersonId));
            }
        }

        return entries;
    }
}

/// <summary>Schools and other providers, SEND, PEP/PSP, attendance, exclusions and achievements.</summary>
public sealed class EducationTimelineSource : ITimelineSource
{
    public const string Education = "Education";

    public IReadOnlyList<string> Types { get; } = [Education];

    public async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        foreach (var p in await db.Set<EducationProvider>().AsNoTracking().Where(p => personIds.Contains(p.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(p.AttendedFrom), Education, $"Started at {p.ProviderName}", null, When.Source(p.Source), p.PersonId));
        }

        foreach (var s in await db.Set<SendProvisionRecord>().AsNoTracking().Where(s => personIds.Contains(s.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(s.StartedOn), Education, $"SEND: {When.Label(ReferenceData.SendProvision, s.Provision)}", null, When.Source(s.Source), s.PersonId));
        }

        foreach (var p in await db.Set<EducationPlan>().AsNoTracking().Where(p => personIds.Contains(p.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(p.StartedOn), Education, $"{When.Label(ReferenceData.PlanTypes, p.PlanType)} started",
                p.NextReviewOn is { } next ? $"Next review {next:d MMMM yyyy}" : null, When.Source(p.Source), p.PersonId));
        }

        foreach (var a in await db.Set<AttendanceRecord>().AsNoTracking().Where(a => personIds.Contains(a.PersonId)).ToListAsync(cancellationToken))
        {
            var percent = a.PossibleSessions == 0 ? 0 : 100.0 * a.AttendedSessions / a.PossibleSessions;
            entries.Add(new TimelineEntry(When.At(a.PeriodTo), Education, $"Attendance {percent:F1}%",
                $"{a.AttendedSessions} of {a.PossibleSessions} sessions, {a.PeriodFrom:d MMM yyyy} to {a.PeriodTo:d MMM yyyy}", When.Source(a.Source), a.PersonId));
        }

        foreach (var e in await db.Set<SchoolExclusion>().AsNoTracking().Where(e => personIds.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(e.StartedOn), Education, When.Label(CaseRecordCodes.ExclusionTypes, e.ExclusionType), e.Reason, When.Source(e.Source), e.PersonId));
        }

        foreach (var a in await db.Set<Achievement>().AsNoTracking().Where(a => personIds.Contains(a.PersonId)).ToListAsync(cancellationToken))
        {
            entries.Add(new TimelineEntry(When.At(a.AchievedOn), Education, "Achievement", a.Description, When.Source(a.Source), a.PersonId));
        }

        return entries;
    }
}

/// <summary>Who shared a household with a person on a date, for the family timeline.</summary>
public sealed class HouseholdMembers(HavenDbContext db) : IHouseholdMembers
{
    public async Task<IReadOnlyList<Guid>> MembersAsync(Guid personId, DateOnly onDate, CancellationToken cancellationToken)
    {
        var households = db.Set<HouseholdMember>().Where(m => m.PersonId == personId && m.LivedFrom <= onDate && (m.LivedTo == null || m.LivedTo >= onDate))
            .Select(m => m.HouseholdId);
        return await db.Set<HouseholdMember>()
            .Where(m => households.Contains(m.HouseholdId) && m.LivedFrom <= onDate && (m.LivedTo == null || m.LivedTo >= onDate))
            .Select(m => m.PersonId).Distinct().ToListAsync(cancellationToken);
    }
}
