using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.People;

/// <summary>
/// One education fact. Which fields apply depends on the kind (see <see cref="EducationService.Kinds"/>); the others are
/// ignored. StartedOn is the start date, the period start, the exclusion's first day or the achievement's date.
/// </summary>
[CollectionPoint("education")]
public sealed record EducationInput
{
    [Collects("education.providers")]
    public string? ProviderName { get; init; }
    [Collects("education.providers")]
    public string? Urn { get; init; }
    [Collects("education.send")]
    public string? Provision { get; init; }
    [Collects("education.send")]
    public string? PlanType { get; init; }
    [NotPersonalData("The dates of whichever education fact this is; that fact's own fields carry its category")]
    public DateOnly? StartedOn { get; init; }
    [NotPersonalData("The dates of whichever education fact this is; that fact's own fields carry its category")]
    public DateOnly? EndedOn { get; init; }
    [Collects("education.send")]
    public DateOnly? LastReviewedOn { get; init; }
    [Collects("education.send")]
    public DateOnly? NextReviewOn { get; init; }
    [Collects("education.attendance")]
    public int? PossibleSessions { get; init; }
    [Collects("education.attendance")]
    public int? AttendedSessions { get; init; }
    [Collects("education.exclusions")]
    public string? ExclusionType { get; init; }
    [Collects("education.exclusions")]
    public decimal? Days { get; init; }
    [Collects("education.exclusions")]
    public string? Reason { get; init; }
    [Collects("education.achievements")]
    public string? Description { get; init; }
    [NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")]
    public string? Source { get; init; }
}

public sealed record ProviderItem(Guid Id, string ProviderName, string? Urn, DateOnly AttendedFrom, DateOnly? AttendedTo, string Source);
public sealed record SendItem(Guid Id, string Provision, DateOnly StartedOn, DateOnly? EndedOn, string Source)
{
    public string ProvisionLabel => ReferenceData.SendProvision.LabelFor(Provision) ?? Provision;
}

public sealed record PlanItem(Guid Id, string PlanType, DateOnly StartedOn, DateOnly? LastReviewedOn, DateOnly? NextReviewOn, string Source)
{
    public string PlanLabel => ReferenceData.PlanTypes.LabelFor(PlanType) ?? PlanType;
}

public sealed record AttendanceItem(Guid Id, DateOnly PeriodFrom, DateOnly PeriodTo, int PossibleSessions, int AttendedSessions, string Source)
{
    public decimal Percentage => PossibleSessions == 0 ? 0 : Math.Round(100m * AttendedSessions / PossibleSessions, 1);
}

public sealed record ExclusionItem(Guid Id, string ExclusionType, DateOnly StartedOn, decimal? Days, string Reason, string Source)
{
    public string TypeLabel => CaseRecordCodes.ExclusionTypes.LabelFor(ExclusionType) ?? ExclusionType;
}

public sealed record AchievementItem(Guid Id, DateOnly AchievedOn, string Description, string Source);

public sealed record EducationView(IReadOnlyList<ProviderItem> Providers, IReadOnlyList<SendItem> Send, IReadOnlyList<PlanItem> Plans,
    IReadOnlyList<AttendanceItem> Attendance, IReadOnlyList<ExclusionItem> Exclusions, IReadOnlyList<AchievementItem> Achievements)
{
    public bool Empty => Providers.Count + Send.Count + Plans.Count + Attendance.Count + Exclusions.Count + Achievements.Count == 0;
}

/// <summary>
/// A child's education: schools and colleges, SEND provision, personal education and pastoral support plans, attendance,
/// exclusions and achievements. Callers open the record first; every change is audited here.
/// </summary>
public sealed class EducationService(HavenDbContext db, AuditWriter audit, CollectionGuard guard, TimeProvider clock)
{
    public const string Provider = "provider";
    public const string Send = "send";
    public const string Plan = "plan";
    public const string Attendance = "attendance";
    public const string Exclusion = "exclusion";
    public const string AchievementKind = "achievement";

    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Provider] = "School, college or nursery",
        [Send] = "Special educational needs (SEND)",
        [Plan] = "Personal education plan or pastoral support plan",
        [Attendance] = "Attendance",
        [Exclusion] = "Suspension or exclusion",
        [AchievementKind] = "Achievement",
    };

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyDictionary<string, string>> ValidateAsync(Guid personId, string kind, EducationInput input, CancellationToken cancellationToken = default)
        => (await CheckAsync(personId, kind, input, cancellationToken)).Errors;

    private async Task<(Dictionary<string, string> Errors, EducationInput Clean)> CheckAsync(Guid personId, string kind, EducationInput input, CancellationToken cancellationToken)
    {
        var checks = new FactChecks(Today);
        var personType = await db.People.Where(p => p.Id == personId).Select(p => p.PersonType).SingleAsync(cancellationToken);
        if (personType == "unborn")
        {
            checks.Add("StartedOn", "An unborn child has no education record yet");
        }

        var clean = new EducationInput { StartedOn = input.StartedOn, Source = input.Source };
        switch (kind)
        {
            case Provider:
                var urn = input.Urn?.Trim();
                if (!string.IsNullOrEmpty(urn) && (urn.Length != 6 || !urn.All(char.IsAsciiDigit)))
                {
                    checks.Add("Urn", "URN must be 6 digits, like 123456");
                }

                clean = clean with
                {
                    ProviderName = checks.Text("ProviderName", input.ProviderName, "School, college or nursery name", 200, required: true),
                    Urn = string.IsNullOrEmpty(urn) ? null : urn,
                    EndedOn = input.EndedOn,
                };
                checks.Period("StartedOn", input.StartedOn, "EndedOn", input.EndedOn);
                break;
            case Send:
                clean = clean with { Provision = checks.Code("Provision", ReferenceData.SendProvision, input.Provision, "SEND provision"), EndedOn = input.EndedOn };
                checks.Period("StartedOn", input.StartedOn, "EndedOn", input.EndedOn);
                break;
            case Plan:
                clean = clean with { PlanType = checks.Code("PlanType", ReferenceData.PlanTypes, input.PlanType, "Plan type"), LastReviewedOn = input.LastReviewedOn, NextReviewOn = input.NextReviewOn };
                checks.Period("StartedOn", input.StartedOn, "LastReviewedOn", input.LastReviewedOn, startLabel: "Start date", endLabel: "Last review date");
                // The next review is usually planned ahead, so it may be in the future.
                checks.EndNotBeforeStart("NextReviewOn", input.StartedOn, input.NextReviewOn, "Next review date must be the same as or after the start date");
                checks.EndNotBeforeStart("NextReviewOn", input.LastReviewedOn, input.NextReviewOn, "Next review date must be the same as or after the last review date");
                break;
            case Attendance:
                checks.Period("StartedOn", input.StartedOn, "EndedOn", input.EndedOn, startLabel: "Period start", endLabel: "Period end");
                checks.Required("EndedOn", input.EndedOn, "Period end");
                if (input.PossibleSessions is null)
                {
                    checks.Add("PossibleSessions", "Enter possible sessions");
                }
                else if (input.PossibleSessions is < 1 or > 1000)
                {
                    checks.Add("PossibleSessions", "Possible sessions must be between 1 and 1000");
                }

                if (input.AttendedSessions is null)
                {
                    checks.Add("AttendedSessions", "Enter attended sessions");
                }
                else if (input.AttendedSessions < 0)
                {
                    checks.Add("AttendedSessions", "Attended sessions must be 0 or more");
                }
                else if (input.PossibleSessions is { } possible && input.AttendedSessions > possible)
                {
                    checks.Add("AttendedSessions", "Attended sessions must be the same as or fewer than possible sessions");
                }

                clean = clean with { EndedOn = input.EndedOn, PossibleSessions = input.PossibleSessions, AttendedSessions = input.AttendedSessions };
                break;
            case Exclusion:
                var type = checks.Code("ExclusionType", CaseRecordCodes.ExclusionTypes, input.ExclusionType, "Type of exclusion");
                checks.Required("StartedOn", input.StartedOn, "Start date");
                checks.NotFuture("StartedOn", input.StartedOn, "Start date");
                checks.NotTooOld("StartedOn", input.StartedOn, "Start date");
                decimal? days = null;
                if (type == "suspension")
                {
                    if (input.Days is null)
                    {
                        checks.Add("Days", "Enter the number of school days");
                    }
                    else if (input.Days is <= 0 or > 45 || input.Days * 2 != decimal.Truncate(input.Days.Value * 2))
                    {
                        checks.Add("Days", "Number of school days must be between 0.5 and 45, in half days");
                    }

                    days = input.Days;
                }

                clean = clean with { ExclusionType = type, Days = days, Reason = checks.Text("Reason", input.Reason, "Reason", 500, required: true, multiline: true) };
                break;
            case AchievementKind:
                checks.Required("StartedOn", input.StartedOn, "Date");
                checks.NotFuture("StartedOn", input.StartedOn, "Date");
                checks.NotTooOld("StartedOn", input.StartedOn, "Date");
                clean = clean with { Description = checks.Text("Description", input.Description, "Description", 500, required: true, multiline: true) };
                break;
            default:
                checks.Add("Kind", "Select what you are recording");
                break;
        }

        checks.Source(input.Source);
        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        return (checks.Errors, clean);
    }

    public async Task<FactResult> AddAsync(Guid actorId, Guid personId, string kind, EducationInput input, CancellationToken cancellationToken = default)
    {
        var (errors, c) = await CheckAsync(personId, kind, input, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var start = c.StartedOn!.Value;
        var source = c.Source!;
        string detail;
        switch (kind)
        {
            case Provider:
                db.Set<EducationProvider>().Add(new EducationProvider { Id = id, PersonId = personId, ProviderName = c.ProviderName!, Urn = c.Urn, AttendedFrom = start, AttendedTo = c.EndedOn, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = $"provider{(c.Urn is null ? string.Empty : " URN " + c.Urn)}";
                break;
            case Send:
                db.Set<SendProvisionRecord>().Add(new SendProvisionRecord { Id = id, PersonId = personId, Provision = c.Provision!, StartedOn = start, EndedOn = c.EndedOn, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = $"send {c.Provision}";
                break;
            case Plan:
                db.Set<EducationPlan>().Add(new EducationPlan { Id = id, PersonId = personId, PlanType = c.PlanType!, StartedOn = start, LastReviewedOn = c.LastReviewedOn, NextReviewOn = c.NextReviewOn, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = $"plan {c.PlanType}";
                break;
            case Attendance:
                db.Set<AttendanceRecord>().Add(new AttendanceRecord { Id = id, PersonId = personId, PeriodFrom = start, PeriodTo = c.EndedOn!.Value, PossibleSessions = c.PossibleSessions!.Value, AttendedSessions = c.AttendedSessions!.Value, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = "attendance";
                break;
            case Exclusion:
                db.Set<SchoolExclusion>().Add(new SchoolExclusion { Id = id, PersonId = personId, ExclusionType = c.ExclusionType!, StartedOn = start, Days = c.Days, Reason = c.Reason!, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = $"exclusion {c.ExclusionType}";
                break;
            default:
                db.Set<Achievement>().Add(new Achievement { Id = id, PersonId = personId, AchievedOn = start, Description = c.Description!, Source = source, CreatedByUserId = actorId, CreatedAt = now });
                detail = "achievement";
                break;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.EducationRecorded, [personId], "case work", $"{detail}; source {source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, id);
    }

    /// <summary>The child's education record. The caller has opened the record.</summary>
    public async Task<EducationView> GetAsync(Guid personId, CancellationToken cancellationToken = default) => new(
        await db.Set<EducationProvider>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.AttendedFrom)
            .Select(e => new ProviderItem(e.Id, e.ProviderName, e.Urn, e.AttendedFrom, e.AttendedTo, e.Source)).ToListAsync(cancellationToken),
        await db.Set<SendProvisionRecord>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.StartedOn)
            .Select(e => new SendItem(e.Id, e.Provision, e.StartedOn, e.EndedOn, e.Source)).ToListAsync(cancellationToken),
        await db.Set<EducationPlan>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.StartedOn)
            .Select(e => new PlanItem(e.Id, e.PlanType, e.StartedOn, e.LastReviewedOn, e.NextReviewOn, e.Source)).ToListAsync(cancellationToken),
        await db.Set<AttendanceRecord>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.PeriodFrom)
            .Select(e => new AttendanceItem(e.Id, e.PeriodFrom, e.PeriodTo, e.PossibleSessions, e.AttendedSessions, e.Source)).ToListAsync(cancellationToken),
        await db.Set<SchoolExclusion>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.StartedOn)
            .Select(e => new ExclusionItem(e.Id, e.ExclusionType, e.StartedOn, e.Days, e.Reason, e.Source)).ToListAsync(cancellationToken),
        await db.Set<Achievement>().AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.AchievedOn)
            .Select(e => new AchievementItem(e.Id, e.AchievedOn, e.Description, e.Source)).ToListAsync(cancellationToken));

    /// <summary>Reads a whole number typed into a form; null with an error when it is not one.</summary>
    public static (int? Value, string? Error) ParseWhole(string? text, string label)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (null, $"{label} must be a whole number, like 120");
    }

    public static (decimal? Value, string? Error) ParseDays(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        return decimal.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (null, "Number of school days must be a number, like 2 or 0.5");
    }
}
