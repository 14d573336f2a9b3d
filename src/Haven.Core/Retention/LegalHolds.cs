using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.People;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Retention;

public sealed class LegalHold
{
    public Guid Id { get; set; }
    public Guid? OrganisationId { get; set; }
    public string Scope { get; set; } = string.Empty;
    public Guid? PersonId { get; set; }
    public string? RecordType { get; set; }
    public string? Criterion { get; set; }
    public string Reason { get; set; } = string.Empty;
    public string Authority { get; set; } = string.Empty;
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? ReleasedByUserId { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleaseReason { get; set; }

    /// <summary>
    /// Whether the hold protects records on a date: until it ends or is released. A hold whose start date is still to
    /// come protects already, so that nothing it is meant to keep is destroyed in the days before it starts.
    /// </summary>
    public bool ActiveOn(DateOnly date) => ReleasedAt is null && (EndsOn is null || EndsOn >= date);
}

public sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder) => builder.ToTable("legal_holds");
}

public sealed record LegalHoldInput(string? Scope, Guid? OrganisationId, Guid? PersonId, string? RecordType, string? Criterion, string? Reason,
    string? Authority, DateOnly? StartsOn, DateOnly? EndsOn);

/// <summary>What decides whether a hold covers a record: its organisation, its record types and its involvements.</summary>
public sealed record HoldSubject(Guid PersonId, Guid OrganisationId, IReadOnlyCollection<string> RecordTypes, IReadOnlyCollection<string> CategoriesOfAbuse);

public static class RetentionAuditActions
{
    public const string HoldPlaced = "retention.hold_placed";
    public const string HoldReleased = "retention.hold_released";
    public const string DisposalRefusedHeld = "retention.disposal_refused_held";
    public const string Destroyed = "retention.destroyed";
    public const string Anonymised = "retention.anonymised";
    public const string ReviewQueued = "retention.review_queued";
    public const string ReviewDecided = "retention.review_decided";
    public const string RunCompleted = "retention.run_completed";
}

/// <summary>
/// Legal holds, and the one place that decides whether a record is held. Every path that destroys or anonymises a
/// person's record (the retention sweep, a merge, a rights-request erasure) asks <see cref="HeldAsync"/> inside its
/// own transaction, after taking a share lock on the holds table, so a hold placed at the same moment is never missed.
/// </summary>
public sealed class LegalHoldService(HavenDbContext db, AuditWriter audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Scopes = ["person", "case", "record_type", "organisation", "criterion"];

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The people among <paramref name="personIds"/> that an active hold covers on <paramref name="on"/>, and those whose
    /// processing is restricted at their request (kept as if held until the restriction is lifted).
    /// </summary>
    public async Task<IReadOnlySet<Guid>> HeldAsync(IReadOnlyCollection<Guid> personIds, DateOnly? on = null, CancellationToken cancellationToken = default)
    {
        var date = on ?? Today;
        if (personIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        // A record whose processing is restricted (Art. 18) is only stored while the restriction lasts: it is kept
        // exactly as if a hold covered it.
        var ids = personIds.ToArray();
        var restricted = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id) && p.ProcessingRestricted).Select(p => p.Id).ToListAsync(cancellationToken);
        var holds = (await db.Set<LegalHold>().AsNoTracking().Where(h => h.ReleasedAt == null).ToListAsync(cancellationToken)).Where(h => h.ActiveOn(date)).ToList();
        if (holds.Count == 0)
        {
            return restricted.ToHashSet();
        }

        var subjects = await SubjectsAsync(personIds, cancellationToken);
        var family = await FamilyOfHeldCasesAsync(holds, cancellationToken);
        return subjects.Where(s => Covers(holds, family, s)).Select(s => s.PersonId).Concat(restricted).ToHashSet();
    }

    /// <summary>Whether any of the holds covers a subject; <paramref name="family"/> holds the people in held cases.</summary>
    public static bool Covers(IEnumerable<LegalHold> holds, IReadOnlySet<Guid> family, HoldSubject subject) => holds.Any(h => h.Scope switch
    {
        "person" => h.PersonId == subject.PersonId,
        "case" => h.PersonId == subject.PersonId || family.Contains(subject.PersonId),
        "organisation" => h.OrganisationId == subject.OrganisationId,
        "record_type" => (h.OrganisationId is null || h.OrganisationId == subject.OrganisationId) && subject.RecordTypes.Contains(h.RecordType!),
        "criterion" => (h.OrganisationId is null || h.OrganisationId == subject.OrganisationId) && MatchesCriterion(h.Criterion!, subject),
        _ => true, // an unknown scope holds everything rather than nothing
    });

    /// <summary>Criteria: "category-of-abuse:CODE" (a child protection plan under that category) or "involvement:TYPE".</summary>
    public static bool MatchesCriterion(string criterion, HoldSubject subject)
    {
        var (kind, value) = SplitCriterion(criterion);
        return kind switch
        {
            "category-of-abuse" => subject.CategoriesOfAbuse.Contains(value),
            "involvement" => subject.RecordTypes.Contains(value.Replace('_', '-')),
            _ => true,
        };
    }

    public static (string Kind, string Value) SplitCriterion(string criterion)
    {
        var colon = criterion.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (criterion, string.Empty) : (criterion[..colon], criterion[(colon + 1)..]);
    }

    /// <summary>Organisation, record types (from involvements) and categories of abuse for each person.</summary>
    public async Task<IReadOnlyList<HoldSubject>> SubjectsAsync(IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var ids = personIds.ToArray();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.OrganisationId }).ToListAsync(cancellationToken);
        var involvements = await db.Set<Data.Entities.Involvement>().AsNoTracking().Where(i => ids.Contains(i.PersonId))
            .Select(i => new { i.PersonId, i.InvolvementType, i.CategoryOfAbuse }).ToListAsync(cancellationToken);
        var byPerson = involvements.ToLookup(i => i.PersonId);
        return people.Select(p => new HoldSubject(p.Id, p.OrganisationId,
            byPerson[p.Id].Select(i => RetentionEngine.RecordTypeOf(i.InvolvementType)).ToHashSet(),
            byPerson[p.Id].Where(i => i.CategoryOfAbuse != null).Select(i => i.CategoryOfAbuse!).ToHashSet())).ToList();
    }

    /// <summary>Everyone recorded as family (a relationship either way) of the person a case hold names.</summary>
    public async Task<IReadOnlySet<Guid>> FamilyOfHeldCasesAsync(IReadOnlyCollection<LegalHold> holds, CancellationToken cancellationToken)
    {
        var anchors = holds.Where(h => h.Scope == "case" && h.PersonId is not null).Select(h => h.PersonId!.Value).Distinct().ToArray();
        if (anchors.Length == 0)
        {
            return new HashSet<Guid>();
        }

        var rows = await db.Set<Data.Entities.Relationship>().AsNoTracking()
            .Where(r => anchors.Contains(r.PersonId) || anchors.Contains(r.RelatedPersonId))
            .Select(r => new { r.PersonId, r.RelatedPersonId }).ToListAsync(cancellationToken);
        return rows.SelectMany(r => new[] { r.PersonId, r.RelatedPersonId }).Concat(anchors).ToHashSet();
    }

    public async Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Set<LegalHold>().AsNoTracking().OrderByDescending(h => h.CreatedAt).ToListAsync(cancellationToken);

    public async Task<(IReadOnlyDictionary<string, string> Errors, Guid? Id)> PlaceAsync(Guid? actorId, LegalHoldInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors.TryAdd(field, message);
            }
        }

        if (input.Scope is null || !Scopes.Contains(input.Scope))
        {
            Add("Scope", "Select what the hold covers");
        }

        switch (input.Scope)
        {
            case "person" or "case" when input.PersonId is null:
                Add("PersonId", "Enter the Haven record number of the person");
                break;
            case "person" or "case" when !await db.People.AnyAsync(p => p.Id == input.PersonId, cancellationToken):
                Add("PersonId", "No record with this Haven record number was found");
                break;
            case "record_type" when string.IsNullOrWhiteSpace(input.RecordType) || !Privacy.Taxonomy.IsCode(input.RecordType.Trim()):
                Add("RecordType", "Enter the record type, for example child-protection or adoption");
                break;
            case "organisation" when input.OrganisationId is null || !await db.Organisations.AnyAsync(o => o.Id == input.OrganisationId, cancellationToken):
                Add("OrganisationId", "Select the organisation");
                break;
            case "criterion":
                var (kind, value) = SplitCriterion(input.Criterion?.Trim() ?? string.Empty);
                if (kind == "category-of-abuse" ? ReferenceData.CategoriesOfAbuse.LabelFor(value) is null
                    : kind != "involvement" || ReferenceData.InvolvementTypes.LabelFor(value) is null)
                {
                    Add("Criterion", "Enter a criterion as category-of-abuse:CODE (for example category-of-abuse:SAB) or involvement:TYPE (for example involvement:looked_after)");
                }

                break;
        }

        Add("Reason", TextInput.Check(input.Reason, "Reason for the hold", 2000, multiline: true));
        if (input.Reason is { } reason && reason.Trim().Length is > 0 and < 10)
        {
            Add("Reason", "Explain the reason for the hold in at least 10 characters");
        }

        Add("Authority", TextInput.Check(input.Authority, "Authority for the hold", 500));
        if (input.StartsOn is null)
        {
            Add("StartsOn", "Enter the date the hold starts");
        }

        if (input.EndsOn is { } ends && input.StartsOn is { } starts && ends < starts)
        {
            Add("EndsOn", "The end date must be on or after the start date");
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var hold = new LegalHold
        {
            Id = Guid.NewGuid(),
            Scope = input.Scope!,
            OrganisationId = input.OrganisationId,
            PersonId = input.Scope is "person" or "case" ? input.PersonId : null,
            RecordType = input.Scope == "record_type" ? input.RecordType!.Trim() : null,
            Criterion = input.Scope == "criterion" ? input.Criterion!.Trim() : null,
            Reason = TextInput.Clean(input.Reason!),
            Authority = TextInput.Clean(input.Authority!),
            StartsOn = input.StartsOn!.Value,
            EndsOn = input.EndsOn,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<LegalHold>().Add(hold);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(RetentionAuditActions.HoldPlaced, hold.PersonId is { } p ? [p] : null, "legal hold",
            $"hold {hold.Id}: {Describe(hold)}; authority {hold.Authority}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (errors, hold.Id);
    }

    /// <summary>Releases a hold: records it covered that are overdue become due again at the next run.</summary>
    public async Task<string?> ReleaseAsync(Guid? actorId, Guid holdId, string? reason, CancellationToken cancellationToken = default)
    {
        if (TextInput.Check(reason, "Reason for releasing the hold", 1000, multiline: true) is { } error)
        {
            return error;
        }

        var hold = await db.Set<LegalHold>().SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken);
        if (hold is null)
        {
            return "This hold was not found";
        }

        if (hold.ReleasedAt is not null)
        {
            return "This hold has already been released";
        }

        hold.ReleasedAt = clock.GetUtcNow();
        hold.ReleasedByUserId = actorId;
        hold.ReleaseReason = TextInput.Clean(reason!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(RetentionAuditActions.HoldReleased, hold.PersonId is { } p ? [p] : null, "legal hold",
            $"hold {hold.Id} released: {hold.ReleaseReason}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public static string Describe(LegalHold hold) => hold.Scope switch
    {
        "person" => "one person's record",
        "case" => "a person's record and their family's",
        "record_type" => $"all {hold.RecordType} records",
        "organisation" => "every record of one organisation",
        "criterion" => $"records matching {hold.Criterion}",
        _ => hold.Scope,
    };
}

public sealed class RetentionRun
{
    public Guid Id { get; set; }
    public DateOnly AsOf { get; set; }
    public bool DryRun { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string StartedBy { get; set; } = string.Empty;
    public int Evaluated { get; set; }
    public int Due { get; set; }
    public int Held { get; set; }
    public int ReviewsQueued { get; set; }
    public int Destroyed { get; set; }
    public int Anonymised { get; set; }
    public string? Error { get; set; }
}

public sealed class RetentionReview
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid OrganisationId { get; set; }
    public string RuleCode { get; set; } = string.Empty;
    public string RecordType { get; set; } = string.Empty;
    public DateOnly DueOn { get; set; }
    public string Status { get; set; } = "pending";
    public Guid? QueuedByRunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? Reason { get; set; }
    public DateOnly? KeepUntil { get; set; }
}

public sealed class DisposalCertificate
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public Guid OrganisationId { get; set; }
    public string RecordType { get; set; } = string.Empty;
    public string RuleCode { get; set; } = string.Empty;
    public string? LegalSource { get; set; }
    public string Action { get; set; } = string.Empty;
    public DateOnly DisposedOn { get; set; }
    public int Count { get; set; }
}

public sealed class RetentionEntitiesConfiguration : IEntityTypeConfiguration<RetentionRun>, IEntityTypeConfiguration<RetentionReview>, IEntityTypeConfiguration<DisposalCertificate>
{
    public void Configure(EntityTypeBuilder<RetentionRun> builder) => builder.ToTable("retention_runs");

    public void Configure(EntityTypeBuilder<RetentionReview> builder) => builder.ToTable("retention_reviews");

    public void Configure(EntityTypeBuilder<DisposalCertificate> builder) => builder.ToTable("disposal_certificates");
}
