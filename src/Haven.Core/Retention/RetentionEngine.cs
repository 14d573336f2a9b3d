using System.Data.Common;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Haven.Core.Retention;

/// <summary>The dates a person's record can be measured from, read in one pass over the database.</summary>
public sealed record RecordFacts(Guid PersonId, Guid OrganisationId, DateOnly? DateOfBirth, IReadOnlyCollection<string> InvolvementTypes,
    IReadOnlyCollection<string> CategoriesOfAbuse, DateOnly? AdoptionOrder, bool AnyOpen, DateOnly? LastEnded, DateOnly? Referral, DateOnly? PlanEnded,
    DateOnly? LastContact, DateOnly? KeepUntil, bool ReviewPending, bool ReviewApproved)
{
    /// <summary>child, unborn, adult or significant_other: only children's records fall under a service's general rules.</summary>
    public string PersonType { get; init; } = "child";

    public IReadOnlyCollection<string> RecordTypes => InvolvementTypes.Select(RetentionEngine.RecordTypeOf).ToHashSet();

    public DateOnly? Anchor(string anchor) => anchor switch
    {
        "date-of-birth" => DateOfBirth,
        "adoption-order" => AdoptionOrder,
        "last-contact" => LastContact ?? (AnyOpen ? null : LastEnded),
        "case-closure" => AnyOpen ? null : LastEnded,
        "referral" => Referral,
        "plan-ended" => PlanEnded,
        _ => null, // course dates, payments, unsubscribes and named events do not apply to case records
    };
}

/// <summary>What the engine concluded about one record on a date.</summary>
public sealed record Assessment(RecordFacts Facts, string? RecordType, RetentionRule? Rule, string? RuleSource, DateOnly? DueOn, string Outcome)
{
    public const string NoRule = "no rule";
    public const string Waiting = "waiting for an event";
    public const string NotYetDue = "not yet due";
    public const string Held = "held";
    public const string Review = "review";
    public const string ReviewPending = "review pending";
    public const string Destroy = "destroy";
    public const string Anonymise = "anonymise";
}

public sealed record RunSummary(Guid RunId, DateOnly AsOf, bool DryRun, int Evaluated, int Due, int Held, int ReviewsQueued, int Destroyed, int Anonymised,
    IReadOnlyList<(string Organisation, string RecordType, string Rule, string Outcome, int Count)> Breakdown);

/// <summary>
/// The retention engine. It reads every person's record once, works out which of their organisation's register rules
/// apply (the rules for their involvements' record types, otherwise the rules of the organisation's case-record
/// service), when the record falls due, and what happens then: a review queued for a person, or destruction or
/// anonymisation in batches. Each batch is one transaction that re-checks legal holds under a share lock on the holds
/// table, so a crash leaves each record either intact or fully disposed, and the next run finishes the work.
/// </summary>
public sealed class RetentionEngine(HavenDbContext db, RegisterService register, LegalHoldService holds, AuditWriter audit, TimeProvider clock)
{
    public const int BatchSize = 500;

    public static string RecordTypeOf(string involvementType) => involvementType.Replace('_', '-');

    /// <summary>The record types that involvements give a person's record.</summary>
    public static readonly IReadOnlySet<string> InvolvementRecordTypes = People.ReferenceData.InvolvementTypes.Select(c => RecordTypeOf(c.Code)).ToHashSet();

    /// <summary>Every person's record, assessed on <paramref name="asOf"/>.</summary>
    public async Task<IReadOnlyList<Assessment>> AssessAsync(DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var rules = await RulesAsync(asOf, cancellationToken);
        var activeHolds = (await db.Set<LegalHold>().AsNoTracking().Where(h => h.ReleasedAt == null).ToListAsync(cancellationToken)).Where(h => h.ActiveOn(asOf)).ToList();
        var family = await holds.FamilyOfHeldCasesAsync(activeHolds, cancellationToken);
        var results = new List<Assessment>();
        await foreach (var facts in FactsAsync(cancellationToken))
        {
            results.Add(Assess(facts, rules.GetValueOrDefault(facts.OrganisationId), activeHolds, family, asOf));
        }

        return results;
    }

    /// <summary>The decision for one record. Pure, so it can be tested with any clock, rules and holds.</summary>
    public static Assessment Assess(RecordFacts facts, OrganisationRules? rules, IReadOnlyCollection<LegalHold> activeHolds, IReadOnlySet<Guid> family, DateOnly asOf)
    {
        var applicable = rules is null ? [] : rules.For(facts.RecordTypes, caseRecordFallback: facts.PersonType is "child" or "unborn");
        if (applicable.Count == 0)
        {
            return new Assessment(facts, null, null, null, null, Assessment.NoRule);
        }

        // The record is kept until every applicable rule has run out: the governing rule is the one that ends last.
        (RetentionRule Rule, string? Source, DateOnly Due)? governing = null;
        foreach (var (rule, source) in applicable)
        {
            var due = RetentionClock.DueDate(rule, facts.Anchor);
            if (due is null)
            {
                return new Assessment(facts, rule.RecordType, rule, source, null, Assessment.Waiting);
            }

            // On a tie the more careful action governs: a review before anonymising, anonymising before destroying.
            if (governing is null || due > governing.Value.Due || (due == governing.Value.Due && Care(rule.Action) > Care(governing.Value.Rule.Action)))
            {
                governing = (rule, source, due.Value);
            }
        }

        var (governingRule, legalSource, dueOn) = governing!.Value;
        if (facts.KeepUntil is { } keep && keep >= dueOn)
        {
            dueOn = keep.AddDays(1);
        }

        if (dueOn > asOf)
        {
            return new Assessment(facts, governingRule.RecordType, governingRule, legalSource, dueOn, Assessment.NotYetDue);
        }

        var subject = new HoldSubject(facts.PersonId, facts.OrganisationId, facts.RecordTypes, facts.CategoriesOfAbuse);
        if (LegalHoldService.Covers(activeHolds, family, subject))
        {
            return new Assessment(facts, governingRule.RecordType, governingRule, legalSource, dueOn, Assessment.Held);
        }

        var outcome = governingRule.Action switch
        {
            "review" when facts.ReviewApproved => Assessment.Destroy,
            "review" when facts.ReviewPending => Assessment.ReviewPending,
            "review" => Assessment.Review,
            "anonymise" => Assessment.Anonymise,
            _ => Assessment.Destroy,
        };
        return new Assessment(facts, governingRule.RecordType, governingRule, legalSource, dueOn, outcome);
    }

    private static int Care(string action) => action switch
    {
        "review" => 2,
        "anonymise" => 1,
        _ => 0,
    };

    /// <summary>
    /// Runs the sweep on <paramref name="asOf"/>. A dry run only reports. A real run queues reviews and disposes of
    /// due records in batches; each record is either fully disposed or left intact.
    /// </summary>
    public async Task<RunSummary> RunAsync(DateOnly asOf, bool dryRun, string startedBy, CancellationToken cancellationToken = default)
    {
        var run = new RetentionRun { Id = Guid.NewGuid(), AsOf = asOf, DryRun = dryRun, StartedAt = clock.GetUtcNow(), StartedBy = startedBy };
        db.Set<RetentionRun>().Add(run);
        await db.SaveChangesAsync(cancellationToken);

        var assessments = await AssessAsync(asOf, cancellationToken);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.ShortName, cancellationToken);
        run.Evaluated = assessments.Count;
        run.Due = assessments.Count(a => a.Outcome is Assessment.Review or Assessment.ReviewPending or Assessment.Destroy or Assessment.Anonymise or Assessment.Held);
        run.Held = assessments.Count(a => a.Outcome == Assessment.Held);
        if (!dryRun)
        {
            run.ReviewsQueued = await QueueReviewsAsync(run, assessments.Where(a => a.Outcome == Assessment.Review).ToList(), cancellationToken);
            foreach (var action in new[] { Assessment.Destroy, Assessment.Anonymise })
            {
                foreach (var batch in assessments.Where(a => a.Outcome == action).Chunk(BatchSize))
                {
                    var (done, held) = await DisposeBatchAsync(run, batch, action, cancellationToken);
                    if (action == Assessment.Destroy)
                    {
                        run.Destroyed += done;
                    }
                    else
                    {
                        run.Anonymised += done;
                    }

                    run.Held += held;
                }
            }
        }

        run.FinishedAt = clock.GetUtcNow();
        db.ChangeTracker.Clear();
        db.Set<RetentionRun>().Update(run);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(RetentionAuditActions.RunCompleted, null, "retention",
            $"run {run.Id} as of {asOf:yyyy-MM-dd}{(dryRun ? " (dry run)" : "")}: {run.Evaluated} evaluated, {run.Due} due, {run.Held} held, {run.ReviewsQueued} reviews queued, {run.Destroyed} destroyed, {run.Anonymised} anonymised"),
            cancellationToken);

        var breakdown = assessments.Where(a => a.Rule is not null && a.Outcome != Assessment.NotYetDue)
            .GroupBy(a => (Organisation: organisations.GetValueOrDefault(a.Facts.OrganisationId, "?"), a.RecordType, Rule: a.Rule!.Code, a.Outcome))
            .OrderBy(g => g.Key.Organisation, StringComparer.Ordinal).ThenBy(g => g.Key.Rule, StringComparer.Ordinal)
            .Select(g => (g.Key.Organisation, g.Key.RecordType ?? "", g.Key.Rule, g.Key.Outcome, g.Count())).ToList();
        return new RunSummary(run.Id, asOf, dryRun, run.Evaluated, run.Due, run.Held, run.ReviewsQueued, run.Destroyed, run.Anonymised, breakdown);
    }

    private async Task<int> QueueReviewsAsync(RetentionRun run, IReadOnlyList<Assessment> due, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var batch in due.Chunk(BatchSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // One statement per batch; the unique index on pending reviews makes a second instance's identical insert a no-op.
            queued += await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO retention_reviews (id, person_id, organisation_id, rule_code, record_type, due_on, status, queued_by_run_id, created_at)
                SELECT gen_random_uuid(), r.person_id, r.organisation_id, r.rule_code, r.record_type, r.due_on, 'pending', @run, @now
                FROM unnest(@people, @organisations, @rules, @types, @dues) AS r(person_id, organisation_id, rule_code, record_type, due_on)
                ON CONFLICT (person_id) WHERE status = 'pending' DO NOTHING
                """,
                [
                    new NpgsqlParameter("people", batch.Select(a => a.Facts.PersonId).ToArray()),
                    new NpgsqlParameter("organisations", batch.Select(a => a.Facts.OrganisationId).ToArray()),
                    new NpgsqlParameter("rules", batch.Select(a => a.Rule!.Code).ToArray()),
                    new NpgsqlParameter("types", batch.Select(a => a.RecordType ?? a.Rule!.RecordType).ToArray()),
                    new NpgsqlParameter("dues", batch.Select(a => a.DueOn!.Value).ToArray()),
                    new NpgsqlParameter("run", run.Id),
                    new NpgsqlParameter("now", clock.GetUtcNow()),
                ], cancellationToken);

            await audit.RecordAsync(new AuditEntry(RetentionAuditActions.ReviewQueued, batch.Select(a => a.Facts.PersonId).ToList(), "retention",
                $"run {run.Id}: {batch.Length} record(s) due for review"), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return queued;
    }

    /// <summary>
    /// Disposes of one batch in one transaction: locks the people, re-checks legal holds under a share lock (a hold
    /// placed meanwhile waits for this transaction, or this transaction sees it), removes or anonymises everything
    /// derived from each record, adds to the disposal certificate and audits. Returns how many were disposed and how
    /// many were found held.
    /// </summary>
    private async Task<(int Done, int Held)> DisposeBatchAsync(RetentionRun run, IReadOnlyList<Assessment> batch, string action, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE legal_holds IN SHARE MODE", cancellationToken);
        var ids = batch.Select(a => a.Facts.PersonId).ToArray();
        var present = await db.Database.SqlQueryRaw<Guid>("SELECT id AS \"Value\" FROM people WHERE id = ANY(@ids) FOR UPDATE", new NpgsqlParameter("ids", ids))
            .ToListAsync(cancellationToken);
        // The disposal happens today whatever date the run is as of: a hold in force on either date keeps the record.
        var held = (await holds.HeldAsync(present, run.AsOf, cancellationToken)).Union(await holds.HeldAsync(present, null, cancellationToken)).ToHashSet();
        var dispose = batch.Where(a => present.Contains(a.Facts.PersonId) && !held.Contains(a.Facts.PersonId)).ToList();
        if (held.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(RetentionAuditActions.DisposalRefusedHeld, held.ToList(), "retention", $"run {run.Id}: {held.Count} record(s) under a legal hold left intact"), cancellationToken);
        }

        if (dispose.Count > 0)
        {
            var disposeIds = dispose.Select(a => a.Facts.PersonId).ToArray();
            if (action == Assessment.Destroy)
            {
                await PersonDisposal.DestroyAsync(db, disposeIds, cancellationToken);
            }
            else
            {
                await PersonDisposal.AnonymiseAsync(db, disposeIds, clock.GetUtcNow(), cancellationToken);
            }

            foreach (var group in dispose.GroupBy(a => (a.Facts.OrganisationId, a.RecordType, Rule: a.Rule!.Code, a.RuleSource)))
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO disposal_certificates (id, run_id, organisation_id, record_type, rule_code, legal_source, action, disposed_on, count)
                    VALUES ({Guid.NewGuid()}, {run.Id}, {group.Key.OrganisationId}, {group.Key.RecordType}, {group.Key.Rule}, {group.Key.RuleSource}, {(action == Assessment.Destroy ? "destroy" : "anonymise")}, {run.AsOf}, {group.Count()})
                    ON CONFLICT (run_id, organisation_id, record_type, rule_code, action) DO UPDATE SET count = disposal_certificates.count + EXCLUDED.count
                    """, cancellationToken);
            }

            // The audit event names how many records went, not who: the people no longer exist to be named.
            await audit.RecordAsync(new AuditEntry(action == Assessment.Destroy ? RetentionAuditActions.Destroyed : RetentionAuditActions.Anonymised,
                action == Assessment.Destroy ? null : disposeIds, "retention",
                $"run {run.Id}: {dispose.Count} record(s) under {string.Join(", ", dispose.Select(a => a.Rule!.Code).Distinct())}"), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (dispose.Count, held.Count);
    }

    /// <summary>What falls due month by month over the next <paramref name="months"/> months, by organisation and rule.</summary>
    public async Task<IReadOnlyList<(string Organisation, string RecordType, string Rule, string Action, DateOnly Month, int Count)>> ForecastAsync(DateOnly from, int months, CancellationToken cancellationToken = default)
    {
        var until = from.AddMonths(months);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var assessed = await AssessAsync(from, cancellationToken);
        return assessed.Where(a => a.DueOn is { } due && due <= until && a.Rule is not null)
            .GroupBy(a => (a.Facts.OrganisationId, a.RecordType, Rule: a.Rule!.Code, a.Rule.Action, Month: a.DueOn!.Value <= from ? new DateOnly(from.Year, from.Month, 1) : new DateOnly(a.DueOn.Value.Year, a.DueOn.Value.Month, 1)))
            .OrderBy(g => g.Key.Month).ThenBy(g => organisations.GetValueOrDefault(g.Key.OrganisationId), StringComparer.Ordinal)
            .Select(g => (organisations.GetValueOrDefault(g.Key.OrganisationId, "?"), g.Key.RecordType ?? "", g.Key.Rule, g.Key.Action, g.Key.Month, g.Count()))
            .ToList();
    }

    /// <summary>Each organisation's retention rules from its register in force on the date.</summary>
    public async Task<Dictionary<Guid, OrganisationRules>> RulesAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, OrganisationRules>();
        foreach (var organisation in await register.OrganisationsWithRegisterAsync(cancellationToken))
        {
            if (await register.InForceAsync(organisation.Id, asOf, cancellationToken) is { } loaded)
            {
                result[organisation.Id] = OrganisationRules.From(loaded.Document);
            }
        }

        return result;
    }

    private async IAsyncEnumerable<RecordFacts> FactsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = FactsSql;
            command.CommandTimeout = 0; // one pass over every record: it takes as long as the database is large
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return Read(reader);
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static RecordFacts Read(DbDataReader r)
    {
        DateOnly? Date(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
        return new RecordFacts(r.GetGuid(0), r.GetGuid(1), Date(2), r.IsDBNull(3) ? [] : r.GetFieldValue<string[]>(3), r.IsDBNull(4) ? [] : r.GetFieldValue<string[]>(4),
            Date(5), !r.IsDBNull(6) && r.GetBoolean(6), Date(7), Date(8), Date(9), Date(10), Date(11), r.GetBoolean(12), r.GetBoolean(13))
        {
            PersonType = r.GetString(14),
        };
    }

    /// <summary>One pass: each live record with its involvement dates, last contact and any review decision.</summary>
    public const string FactsSql = """
        WITH inv AS (
            SELECT person_id,
                   array_agg(DISTINCT involvement_type) AS types,
                   array_agg(DISTINCT category_of_abuse) FILTER (WHERE category_of_abuse IS NOT NULL) AS categories,
                   max(adoption_order_on) AS adoption_order,
                   bool_or(ended_on IS NULL) AS any_open,
                   max(ended_on) AS last_ended,
                   min(started_on) FILTER (WHERE involvement_type = 'referral') AS referral,
                   max(ended_on) FILTER (WHERE involvement_type IN ('child_protection', 'child_in_need')) AS plan_ended
            FROM involvements GROUP BY person_id),
        notes AS (SELECT person_id, max(contact_date) AS last_contact FROM case_notes GROUP BY person_id),
        reviews AS (
            SELECT person_id,
                   max(keep_until) FILTER (WHERE status = 'extended') AS keep_until,
                   bool_or(status = 'pending') AS pending,
                   bool_or(status = 'approved') AS approved
            FROM retention_reviews GROUP BY person_id)
        SELECT p.id, p.organisation_id, p.date_of_birth, inv.types, inv.categories, inv.adoption_order, inv.any_open, inv.last_ended,
               inv.referral, inv.plan_ended, notes.last_contact, reviews.keep_until, coalesce(reviews.pending, false), coalesce(reviews.approved, false),
               p.person_type
        FROM people p
        LEFT JOIN inv ON inv.person_id = p.id
        LEFT JOIN notes ON notes.person_id = p.id
        LEFT JOIN reviews ON reviews.person_id = p.id
        WHERE p.merged_into_id IS NULL AND p.anonymised_at IS NULL
        """;
}

/// <summary>An organisation's retention rules, each with the legal source it comes from (its activity's legislation).</summary>
public sealed class OrganisationRules
{
    private readonly List<(RetentionRule Rule, string? Source, bool CaseRecordService)> _rules = [];

    public IReadOnlyList<(RetentionRule Rule, string? Source, bool CaseRecordService)> All => _rules;

    public static OrganisationRules From(RegisterDocument document)
    {
        var rules = new OrganisationRules();
        foreach (var (service, activity) in document.Activities())
        {
            foreach (var rule in activity.Retention)
            {
                rules._rules.Add((rule, rule.LegalSource ?? (activity.Legislation.Count > 0 ? string.Join("; ", activity.Legislation) : null), service.HoldsCaseRecords));
            }
        }

        return rules;
    }

    /// <summary>
    /// The rules for a record's types. A child's record with none of them falls under the case-record service's rules;
    /// an adult's does not (the seed rules count from the child's age, so an adult family member's own date of birth
    /// must not start them), and is kept until a person decides.
    /// </summary>
    public IReadOnlyList<(RetentionRule Rule, string? Source)> For(IReadOnlyCollection<string> recordTypes, bool caseRecordFallback = true)
    {
        var specific = _rules.Where(r => recordTypes.Contains(r.Rule.RecordType)).Select(r => (r.Rule, r.Source)).ToList();
        return specific.Count > 0 || !caseRecordFallback ? specific : _rules.Where(r => r.CaseRecordService).Select(r => (r.Rule, r.Source)).ToList();
    }
}
