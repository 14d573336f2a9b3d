using Haven.Core.Data;
using Haven.Core.Jobs;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Retention;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Haven.Tests.Integration;

/// <summary>
/// The retention engine against a real database with the demo data: dry runs, destruction of everything derived
/// from a record, reviews, legal holds of every scope (including one placed while a run is under way), merges of held
/// records, a crash in the middle of a run, anonymisation, the job queue and the command line. Every test gets its
/// own copy of the demo database. The people made here are far older than any demo person, so only they fall due on
/// the dates the tests choose.
/// </summary>
public sealed class RetentionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Given = "Zephyrine";
    private const string Family = "Quillfeather";
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        // The demo's own examples of overdue records, and the hold that keeps one of them, would fall due alongside the
        // records each test makes; the tests start without them.
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            DELETE FROM legal_holds;
            CREATE TEMP TABLE demo_overdue AS SELECT id FROM people
                WHERE (given_name, family_name) IN (('Callum', 'Reyes'), ('Jordan', 'Pike'), ('Sasha', 'Doyle'));
            DELETE FROM involvements WHERE person_id IN (SELECT id FROM demo_overdue);
            DELETE FROM people WHERE id IN (SELECT id FROM demo_overdue);
            """, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    // ---- Dry run ----

    [Fact]
    public async Task A_dry_run_changes_nothing_but_reports_what_is_due()
    {
        var sees = await OrganisationAsync("sees");
        var afc = await OrganisationAsync("afc");
        var first = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var second = await SeedRecordAsync(sees, new DateOnly(1995, 2, 28));
        var notYet = await SeedRecordAsync(sees, Today.AddYears(-25).AddDays(1));
        var review = await SeedChildProtectionAsync(afc, new DateOnly(1970, 1, 1));
        var before = await TableCountsAsync();
        var auditBefore = await ScalarAsync<long>("SELECT count(*) FROM audit_events");

        var summary = await RunAsync(Today, dryRun: true);

        Assert.Equal(before, await TableCountsAsync());
        Assert.Equal((0, 0, 0), (summary.Destroyed, summary.Anonymised, summary.ReviewsQueued));
        Assert.Equal(3, summary.Due);
        Assert.Contains(("sees", "early-help", "early-help", Assessment.Destroy, 2), summary.Breakdown);
        Assert.Contains(("afc", "child-protection", "child-protection", Assessment.Review, 1), summary.Breakdown);
        Assert.True(summary.Evaluated >= 13, $"{summary.Evaluated} evaluated");
        foreach (var id in new[] { first.Person, second.Person, notYet.Person, review })
        {
            Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM people WHERE id = @id)", ("id", id)));
        }

        // The run itself is recorded: one run row marked as a dry run, one audit event.
        Assert.True(await ScalarAsync<bool>("SELECT dry_run AND finished_at IS NOT NULL FROM retention_runs WHERE id = @id", ("id", summary.RunId)));
        Assert.Equal(auditBefore + 1, await ScalarAsync<long>("SELECT count(*) FROM audit_events"));
        Assert.Equal(RetentionAuditActions.RunCompleted, await ScalarAsync<string>("SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1"));

        // The assessment gives the same picture, record by record.
        var assessed = await WithEngineAsync(e => e.AssessAsync(Today, Ct));
        Assert.Equal(Assessment.Destroy, assessed.Single(a => a.Facts.PersonId == first.Person).Outcome);
        Assert.Equal(new DateOnly(2015, 5, 1), assessed.Single(a => a.Facts.PersonId == first.Person).DueOn);
        Assert.Equal(Assessment.NotYetDue, assessed.Single(a => a.Facts.PersonId == notYet.Person).Outcome);
        Assert.Equal(Assessment.Review, assessed.Single(a => a.Facts.PersonId == review).Outcome);
        Assert.Equal(new DateOnly(2010, 1, 1), assessed.Single(a => a.Facts.PersonId == review).DueOn);
    }

    // ---- Destruction ----

    [Fact]
    public async Task A_due_early_help_record_is_destroyed_with_everything_derived_from_it_and_a_certificate_without_personal_data()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var auditBefore = await ScalarAsync<long>("SELECT max(seq) FROM audit_events");

        var summary = await RunAsync(Today);

        Assert.Equal(1, summary.Destroyed);
        await AssertGoneAsync(record);
        // What was shared with people who stay is kept, without the destroyed person.
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM people WHERE id = @q)", ("q", record.Sibling)));
        Assert.Null(await ScalarAsync<Guid?>("SELECT mother_id FROM people WHERE id = @c", ("c", record.Child)));
        Assert.Equal([record.Sibling], await ScalarAsync<Guid[]>("SELECT array_agg(person_id) FROM household_members WHERE household_id = @h", ("h", record.SharedHousehold)));
        Assert.False(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM households WHERE id = @h)", ("h", record.OwnHousehold)));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM case_notes WHERE @p = ANY(participant_person_ids)", ("p", record.Person)));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM case_notes WHERE person_id = @q", ("q", record.Sibling)));

        // The certificate: how many, of what, under which rule and law, in which run. No names, no ids of people.
        var certificate = await ScalarAsync<string>("SELECT row_to_json(c)::text FROM disposal_certificates c WHERE run_id = @run", ("run", summary.RunId));
        Assert.Contains("\"count\":1", certificate, StringComparison.Ordinal);
        Assert.Contains("\"record_type\":\"early-help\"", certificate, StringComparison.Ordinal);
        Assert.Contains("\"rule_code\":\"early-help\"", certificate, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"destroy\"", certificate, StringComparison.Ordinal);
        Assert.Contains($"\"disposed_on\":\"{Today:yyyy-MM-dd}\"", certificate, StringComparison.Ordinal);
        Assert.Contains("Education Act", certificate, StringComparison.Ordinal);
        AssertNoPersonalData(certificate, record);

        // Audit: the destruction (a count, no one named) and the run.
        var events = await QueryAsync("SELECT action, coalesce(details, ''), person_ids FROM audit_events WHERE seq > @seq ORDER BY seq",
            r => (Action: r.GetString(0), Details: r.GetString(1), People: r.GetFieldValue<Guid[]>(2)), ("seq", auditBefore));
        var destroyed = Assert.Single(events, e => e.Action == RetentionAuditActions.Destroyed);
        Assert.Empty(destroyed.People);
        Assert.Contains("1 record(s) under early-help", destroyed.Details, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Action == RetentionAuditActions.RunCompleted && e.Details.Contains("1 destroyed", StringComparison.Ordinal));
        foreach (var e in events)
        {
            AssertNoPersonalData(e.Details, record);
        }

        // The next run finds nothing more to do.
        var again = await RunAsync(Today);
        Assert.Equal(0, again.Destroyed);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM disposal_certificates WHERE run_id = @run", ("run", again.RunId)));
    }

    /// <summary>
    /// Every foreign key to people, found in the database itself, has a row pointing at the destroyed person (so a new
    /// table is covered as soon as it is added), and none is left afterwards. Inactive legal holds (released, and
    /// ended but never released) and past review decisions go with the record; a hold in force would have kept it.
    /// </summary>
    [Fact]
    public async Task Destroying_a_record_leaves_no_row_behind_in_any_table_that_points_at_a_person()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1), withInactiveHolds: true);
        var links = await ForeignKeysToPeopleAsync();
        Assert.Contains(("legal_holds", "person_id"), links);
        Assert.Contains(("retention_reviews", "person_id"), links);
        var ids = new[] { record.Person, record.Duplicate };
        var missing = new List<string>();
        foreach (var (table, column) in links)
        {
            if (await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} = ANY(@ids)", ("ids", ids)) == 0)
            {
                missing.Add($"{table}.{column}");
            }
        }

        Assert.True(missing.Count == 0, "Seed a row pointing at the person in: " + string.Join(", ", missing));

        var summary = await RunAsync(Today);

        Assert.Equal(1, summary.Destroyed);
        foreach (var (table, column) in links)
        {
            Assert.True(await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} = ANY(@ids)", ("ids", ids)) == 0, $"{table}.{column} still points at the destroyed record");
        }

        await AssertGoneAsync(record);
    }

    // ---- Reviews ----

    [Fact]
    public async Task A_review_rule_queues_one_pending_review_and_an_approval_lets_the_next_run_destroy()
    {
        var afc = await OrganisationAsync("afc");
        var child = await SeedChildProtectionAsync(afc, new DateOnly(1970, 1, 1));

        var first = await RunAsync(Today);
        Assert.Equal(1, first.ReviewsQueued);
        Assert.Equal(0, first.Destroyed);
        var review = await WithDbAsync(db => db.Set<RetentionReview>().SingleAsync(r => r.PersonId == child, Ct));
        Assert.Equal(("pending", "child-protection", "child-protection", new DateOnly(2010, 1, 1), (Guid?)first.RunId),
            (review.Status, review.RuleCode, review.RecordType, review.DueOn, review.QueuedByRunId));
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = @a AND @p = ANY(person_ids))",
            ("a", RetentionAuditActions.ReviewQueued), ("p", child)));
        var pending = await WithReviewsAsync(r => r.PendingAsync(Ct));
        Assert.Contains(pending, p => p.PersonId == child && p.PersonName == "Ada Child-Protection");

        // Repeated runs do not queue it again.
        var second = await RunAsync(Today);
        var third = await RunAsync(Today.AddDays(1));
        Assert.Equal((0, 0), (second.ReviewsQueued, third.ReviewsQueued));
        Assert.Contains(("afc", "child-protection", "child-protection", Assessment.ReviewPending, 1), second.Breakdown);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM retention_reviews WHERE person_id = @p", ("p", child)));
        Assert.True(await PersonExistsAsync(child));

        var actor = await UserAsync("dora.dpo@demo.haven.test");
        Assert.Empty(await WithReviewsAsync(r => r.DecideAsync(actor, review.Id, approve: true, "Nothing further to keep it for", null, Ct)));
        Assert.NotEmpty(await WithReviewsAsync(r => r.DecideAsync(actor, review.Id, approve: true, null, null, Ct))); // decided once only
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = @a AND @p = ANY(person_ids))",
            ("a", RetentionAuditActions.ReviewDecided), ("p", child)));

        var disposal = await RunAsync(Today);
        Assert.Equal(1, disposal.Destroyed);
        Assert.False(await PersonExistsAsync(child));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM retention_reviews WHERE person_id = @p", ("p", child)));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count FROM disposal_certificates WHERE run_id = @run AND rule_code = 'child-protection' AND action = 'destroy'",
            ("run", disposal.RunId)));
    }

    [Fact]
    public async Task A_review_that_keeps_the_record_keeps_it_until_the_date_and_then_asks_again()
    {
        var afc = await OrganisationAsync("afc");
        var child = await SeedChildProtectionAsync(afc, new DateOnly(1970, 1, 1));
        await RunAsync(Today);
        var review = await WithDbAsync(db => db.Set<RetentionReview>().SingleAsync(r => r.PersonId == child, Ct));
        var actor = await UserAsync("dora.dpo@demo.haven.test");

        var refused = await WithReviewsAsync(r => r.DecideAsync(actor, review.Id, approve: false, null, Today.AddDays(-1), Ct));
        Assert.Contains("Reason", refused.Keys);
        Assert.Contains("KeepUntil", refused.Keys);
        var keepUntil = Today.AddDays(30);
        Assert.Empty(await WithReviewsAsync(r => r.DecideAsync(actor, review.Id, approve: false, "Sibling's care proceedings are still open", keepUntil, Ct)));

        foreach (var day in new[] { Today, keepUntil.AddDays(-1), keepUntil })
        {
            var run = await RunAsync(day);
            Assert.Equal((0, 0), (run.ReviewsQueued, run.Destroyed));
            Assert.True(await PersonExistsAsync(child));
            var assessed = await WithEngineAsync(e => e.AssessAsync(day, Ct));
            Assert.Equal((Assessment.NotYetDue, (DateOnly?)keepUntil.AddDays(1)),
                (assessed.Single(a => a.Facts.PersonId == child).Outcome, assessed.Single(a => a.Facts.PersonId == child).DueOn));
        }

        // The day after: due again, and a person decides again (it is not destroyed without a decision).
        var after = await RunAsync(keepUntil.AddDays(1));
        Assert.Equal((1, 0), (after.ReviewsQueued, after.Destroyed));
        Assert.True(await PersonExistsAsync(child));
        Assert.Equal(["extended", "pending"], await ScalarAsync<string[]>("SELECT array_agg(status ORDER BY status) FROM retention_reviews WHERE person_id = @p", ("p", child)));
    }

    // ---- Legal holds ----

    [Theory]
    [InlineData("person")]
    [InlineData("case")]
    [InlineData("record_type")]
    [InlineData("organisation")]
    [InlineData("criterion:category-of-abuse:NEG")]
    [InlineData("criterion:involvement:early_help")]
    public async Task A_legal_hold_of_each_scope_keeps_a_due_record_intact_until_it_is_released(string scope)
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var criterion = scope.StartsWith("criterion:", StringComparison.Ordinal) ? scope["criterion:".Length..] : null;
        var input = new LegalHoldInput(criterion is null ? scope : "criterion", scope == "organisation" ? sees : null,
            scope switch { "person" => record.Person, "case" => record.Sibling, _ => null }, // a case hold on the sibling covers the family
            scope == "record_type" ? "early-help" : null, criterion, "Preserved for the independent inquiry into the service", "Legal services, ref LS/2025/14",
            Today.AddYears(-1), null);
        var (errors, holdId) = await WithHoldsAsync(h => h.PlaceAsync(null, input, Ct));
        Assert.Empty(errors);
        var footprint = await FootprintAsync(record);

        var held = await RunAsync(Today);
        Assert.Equal(0, held.Destroyed);
        Assert.True(held.Held >= 1);
        Assert.Contains(held.Breakdown, b => b.Organisation == "sees" && b.Outcome == Assessment.Held);
        Assert.Equal(footprint, await FootprintAsync(record));
        Assert.True(await WithHoldsAsync(async h => (await h.HeldAsync([record.Person], Today, Ct)).Contains(record.Person)));

        Assert.Null(await WithHoldsAsync(h => h.ReleaseAsync(null, holdId!.Value, "Inquiry concluded", Ct)));
        Assert.NotNull(await WithHoldsAsync(h => h.ReleaseAsync(null, holdId!.Value, "Again", Ct)));
        Assert.False(await WithHoldsAsync(async h => (await h.HeldAsync([record.Person], Today, Ct)).Contains(record.Person)));

        var released = await RunAsync(Today);
        Assert.Equal(1, released.Destroyed);
        await AssertGoneAsync(record);
        Assert.Contains(RetentionAuditActions.HoldPlaced, await CaseRecordTestSupport.AuditActionsAsync(_factory));
        Assert.Contains(RetentionAuditActions.HoldReleased, await CaseRecordTestSupport.AuditActionsAsync(_factory));
    }

    [Fact]
    public async Task A_hold_that_has_ended_does_not_keep_the_record_and_a_hold_elsewhere_does_not_either()
    {
        var sees = await OrganisationAsync("sees");
        var afc = await OrganisationAsync("afc");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        foreach (var input in new[]
                 {
                     new LegalHoldInput("person", null, record.Person, null, null, "An inquiry that is over now", "Legal services", Today.AddYears(-3), Today.AddDays(-1)),
                     new LegalHoldInput("organisation", afc, null, null, null, "Everything at another organisation", "Legal services", Today.AddYears(-1), null),
                     new LegalHoldInput("record_type", afc, null, "early-help", null, "Early help at another organisation", "Legal services", Today.AddYears(-1), null),
                     new LegalHoldInput("criterion", null, null, null, "category-of-abuse:SAB", "A category this record does not have", "Legal services", Today.AddYears(-1), null),
                 })
        {
            Assert.Empty((await WithHoldsAsync(h => h.PlaceAsync(null, input, Ct))).Errors);
        }

        var summary = await RunAsync(Today);
        Assert.Equal(1, summary.Destroyed);
        await AssertGoneAsync(record);
    }

    /// <summary>A hold protects from the moment it is placed, even before its start date: nothing it is meant to keep goes in the meantime.</summary>
    [Fact]
    public async Task A_hold_that_has_not_started_yet_already_keeps_the_record()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        Assert.Empty((await WithHoldsAsync(h => h.PlaceAsync(null,
            new LegalHoldInput("person", null, record.Person, null, null, "Inquiry starting next month", "Legal services", Today.AddMonths(1), null), Ct))).Errors);
        var footprint = await FootprintAsync(record);

        var summary = await RunAsync(Today);
        Assert.Equal((0, 1), (summary.Destroyed, summary.Held));
        Assert.Equal(footprint, await FootprintAsync(record));
    }

    /// <summary>
    /// A run "as of" another date disposes of records today, so a hold in force today keeps the record even when it
    /// is not in force on the run's date: one that starts after a past run date, or one that ends before a future one.
    /// </summary>
    [Fact]
    public async Task A_hold_in_force_today_keeps_a_record_in_a_run_as_of_an_earlier_or_later_date()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var footprint = await FootprintAsync(record);
        var (errors, hold) = await WithHoldsAsync(h => h.PlaceAsync(null,
            new LegalHoldInput("organisation", sees, null, null, null, "Everything kept for the public inquiry", "Inquiry chair's notice", Today, Today.AddDays(10)), Ct));
        Assert.Empty(errors);

        foreach (var asOf in new[] { Today.AddYears(-1), Today.AddDays(30) })
        {
            var summary = await RunAsync(asOf);
            Assert.Equal((0, 1), (summary.Destroyed, summary.Held));
            Assert.Equal(footprint, await FootprintAsync(record));
        }

        Assert.Null(await WithHoldsAsync(h => h.ReleaseAsync(null, hold!.Value, "Inquiry reported", Ct)));
        Assert.Equal(1, (await RunAsync(Today.AddYears(-1))).Destroyed);
        await AssertGoneAsync(record);
    }

    /// <summary>
    /// The run assesses the record while a hold is being placed (its transaction not yet committed, so the assessment
    /// cannot see it); the disposal batch then waits on its share lock of the holds table, sees the committed hold
    /// through the single enforcement point, and leaves the record intact.
    /// </summary>
    [Fact]
    public async Task A_hold_placed_after_the_assessment_but_before_disposal_is_respected()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var footprint = await FootprintAsync(record);

        await using var placing = new NpgsqlConnection(_factory.OwnerConnectionString);
        await placing.OpenAsync(Ct);
        await using var transaction = await placing.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO legal_holds (id, scope, person_id, reason, authority, starts_on, created_at)
            VALUES (gen_random_uuid(), 'person', @p, 'Placed while the run is under way', 'Legal services', @today, now())
            """, placing, transaction))
        {
            insert.Parameters.AddWithValue("p", record.Person);
            insert.Parameters.AddWithValue("today", Today);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var run = Task.Run(() => RunAsync(Today), Ct);
        // The run's disposal batch waits for the holds table: it has assessed the record as due, without the hold.
        await WaitForLockAsync("legal_holds", run);

        await transaction.CommitAsync(Ct);
        var summary = await run;

        Assert.Equal(0, summary.Destroyed);
        Assert.Equal(1, summary.Held);
        footprint["legal_holds.person_id"]++;
        footprint["total"]++;
        Assert.Equal(footprint, await FootprintAsync(record));
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = @a AND @p = ANY(person_ids))",
            ("a", RetentionAuditActions.DisposalRefusedHeld), ("p", record.Person)));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM disposal_certificates WHERE run_id = @run", ("run", summary.RunId)));
    }

    [Fact]
    public async Task A_held_record_cannot_be_merged_until_the_hold_is_released()
    {
        var sees = await OrganisationAsync("sees");
        var survivor = await SeedRecordAsync(sees, new DateOnly(2012, 5, 1));
        var duplicate = await InsertPersonAsync(sees, Given, Family, new DateOnly(2012, 5, 1));
        var actor = await UserAsync("sam.worker@demo.haven.test");

        foreach (var (scope, person, criterion) in new[] { ("person", (Guid?)duplicate, (string?)null), ("case", survivor.Sibling, null), ("criterion", null, "category-of-abuse:NEG") })
        {
            var (errors, hold) = await WithHoldsAsync(h => h.PlaceAsync(null,
                new LegalHoldInput(scope, null, person, null, criterion, "Preserved for the court proceedings", "Legal services", Today, null), Ct));
            Assert.Empty(errors);
            var refused = await WithMergeAsync(m => m.MergeAsync(actor, survivor.Person, duplicate, "Same child: same name and date of birth", Ct));
            Assert.Contains("legal hold", refused, StringComparison.Ordinal);
            Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM person_merges WHERE duplicate_id = @d", ("d", duplicate)));
            Assert.Null(await ScalarAsync<Guid?>("SELECT merged_into_id FROM people WHERE id = @d", ("d", duplicate)));
            Assert.Null(await WithHoldsAsync(h => h.ReleaseAsync(null, hold!.Value, "Proceedings over", Ct)));
        }

        Assert.Null(await WithMergeAsync(m => m.MergeAsync(actor, survivor.Person, duplicate, "Same child: same name and date of birth", Ct)));
        Assert.Equal(survivor.Person, await ScalarAsync<Guid?>("SELECT merged_into_id FROM people WHERE id = @d", ("d", duplicate)));
    }

    // ---- Crash safety ----

    /// <summary>
    /// More due records than fit in one batch, and a failure partway through deleting the second batch's people. The
    /// first batch is gone completely, the second is intact completely (not one of its rows deleted), and the next
    /// run finishes the work. The disposal certificates add up to everything destroyed.
    /// </summary>
    [Fact]
    public async Task A_run_that_fails_partway_leaves_every_record_whole_or_gone_and_the_next_run_finishes()
    {
        var sees = await OrganisationAsync("sees");
        var count = RetentionEngine.BatchSize + 100;
        var ids = await SeedManyDueAsync(sees, count);
        await ExecuteAsync($"""
            CREATE TABLE crash_counter (n integer NOT NULL);
            INSERT INTO crash_counter VALUES (0);
            CREATE FUNCTION crash_partway() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            DECLARE deleted integer;
            BEGIN
                UPDATE crash_counter SET n = n + 1 RETURNING n INTO deleted;
                IF deleted > {RetentionEngine.BatchSize + 20} THEN
                    RAISE EXCEPTION 'simulated crash while deleting people';
                END IF;
                RETURN OLD;
            END $$;
            CREATE TRIGGER crash_partway BEFORE DELETE ON people FOR EACH ROW EXECUTE FUNCTION crash_partway();
            """);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(Today));
        Assert.Contains("simulated crash", failure.MessageText, StringComparison.Ordinal);

        var states = await WholeOrGoneAsync(ids);
        Assert.Equal(RetentionEngine.BatchSize, states.Count(s => s == "gone"));
        Assert.Equal(100, states.Count(s => s == "whole"));
        var failedRun = await ScalarAsync<Guid>("SELECT id FROM retention_runs WHERE NOT dry_run ORDER BY started_at DESC LIMIT 1");
        Assert.Null(await ScalarAsync<DateTime?>("SELECT finished_at FROM retention_runs WHERE id = @id", ("id", failedRun)));
        Assert.Equal(RetentionEngine.BatchSize, await ScalarAsync<int>("SELECT sum(count)::int FROM disposal_certificates WHERE run_id = @id", ("id", failedRun)));

        await ExecuteAsync("DROP TRIGGER crash_partway ON people; DROP FUNCTION crash_partway(); DROP TABLE crash_counter;");
        var second = await RunAsync(Today);
        Assert.Equal(100, second.Destroyed);
        Assert.All(await WholeOrGoneAsync(ids), s => Assert.Equal("gone", s));
        Assert.Equal(count, await ScalarAsync<int>("SELECT sum(count)::int FROM disposal_certificates WHERE rule_code = 'early-help'"));
    }

    /// <summary>
    /// A run cancelled while its batch is part of the way through deleting (held up on the households table, after
    /// the addresses, names, notes and involvements of the batch were deleted inside its transaction): every record is
    /// still whole, and the next run finishes the work.
    /// </summary>
    [Fact]
    public async Task A_run_cancelled_in_the_middle_of_a_batch_leaves_every_record_whole_and_the_next_run_finishes()
    {
        var sees = await OrganisationAsync("sees");
        var ids = await SeedManyDueAsync(sees, 50);
        await using var blocker = new NpgsqlConnection(_factory.OwnerConnectionString);
        await blocker.OpenAsync(Ct);
        await using var transaction = await blocker.BeginTransactionAsync(Ct);
        await using (var lockHouseholds = new NpgsqlCommand("LOCK TABLE households IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockHouseholds.ExecuteNonQueryAsync(Ct);
        }

        using var cancellation = new CancellationTokenSource();
        var run = Task.Run(() => WithEngineAsync(e => e.RunAsync(Today, false, "retention tests", cancellation.Token)), Ct);
        await WaitForLockAsync("households", run);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE action = @a", ("a", RetentionAuditActions.Destroyed)));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await transaction.RollbackAsync(Ct);

        Assert.All(await WholeOrGoneAsync(ids), s => Assert.Equal("whole", s));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM disposal_certificates"));

        var summary = await RunAsync(Today);
        Assert.Equal(50, summary.Destroyed);
        Assert.All(await WholeOrGoneAsync(ids), s => Assert.Equal("gone", s));
    }

    // ---- Anonymisation ----

    [Fact]
    public async Task A_rule_that_anonymises_keeps_a_nameless_record_for_statistics()
    {
        var sees = await OrganisationAsync("sees");
        var file = Unit.RegisterParserTests.SeedFiles().Single(f => Path.GetFileName(f).StartsWith("002-", StringComparison.Ordinal));
        var text = File.ReadAllText(file);
        const string destroy = "            period: 25 years\n            action: destroy";
        Assert.Contains(destroy, text, StringComparison.Ordinal);
        using (var scope = _factory.Services.CreateScope())
        {
            var imported = await scope.ServiceProvider.GetRequiredService<RegisterService>().ImportAsync(
                [new RegisterFile(Path.GetFileName(file), text.Replace(destroy, "            period: 25 years\n            action: anonymise", StringComparison.Ordinal))],
                "Anonymise early help records at 25", null, "test", cancellationToken: Ct);
            Assert.Empty(imported.Errors);
        }

        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        var summary = await RunAsync(Today);
        Assert.Equal((1, 0), (summary.Anonymised, summary.Destroyed));

        var person = await QueryAsync("SELECT given_name, family_name, date_of_birth, nhs_number, anonymised_at IS NOT NULL FROM people WHERE id = @p",
            r => (r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.IsDBNull(3), r.GetBoolean(4)), ("p", record.Person));
        Assert.Equal(("Anonymised", "record", new DateOnly(1990, 1, 1), true, true), Assert.Single(person));
        foreach (var table in new[] { "addresses", "person_names", "case_notes", "case_documents", "case_worries", "household_members", "professionals_involved", "achievements" })
        {
            Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE person_id = @p", ("p", record.Person)));
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM relationships WHERE @p IN (person_id, related_person_id)", ("p", record.Person)));
        Assert.Null(await ScalarAsync<Guid?>("SELECT mother_id FROM people WHERE id = @c", ("c", record.Child)));

        // Nothing left anywhere that names or locates the person: not on the record, not on any row pointing at it,
        // not on the duplicate that was merged into it, not in a household label.
        var ids = new[] { record.Person, record.Duplicate };
        var remaining = new List<string>();
        remaining.AddRange(await QueryAsync("SELECT row_to_json(p)::text FROM people p WHERE id = ANY(@ids)", r => r.GetString(0), ("ids", ids)));
        foreach (var (table, column) in await ForeignKeysToPeopleAsync())
        {
            remaining.AddRange(await QueryAsync($"SELECT row_to_json(t)::text FROM {table} t WHERE {column} = ANY(@ids)", r => r.GetString(0), ("ids", ids)));
        }

        remaining.AddRange(await QueryAsync("SELECT label FROM households WHERE id = ANY(@h)", r => r.GetString(0), ("h", new[] { record.OwnHousehold, record.SharedHousehold })));
        foreach (var row in remaining)
        {
            AssertNoPersonalData(row.Replace(record.Person.ToString(), "", StringComparison.Ordinal).Replace(record.Duplicate.ToString(), "", StringComparison.Ordinal), record);
        }
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM involvements WHERE person_id = @p AND details_sealed IS NULL", ("p", record.Person)));
        var certificate = await ScalarAsync<string>("SELECT row_to_json(c)::text FROM disposal_certificates c WHERE run_id = @run", ("run", summary.RunId));
        Assert.Contains("\"action\":\"anonymise\"", certificate, StringComparison.Ordinal);
        AssertNoPersonalData(certificate, record);
        Assert.Contains(RetentionAuditActions.Anonymised, await CaseRecordTestSupport.AuditActionsAsync(_factory));

        // An anonymised record is not assessed again.
        var again = await RunAsync(Today);
        Assert.Equal(0, again.Anonymised);
        Assert.DoesNotContain((await WithEngineAsync(e => e.AssessAsync(Today, Ct))), a => a.Facts.PersonId == record.Person);
    }

    // ---- Job queue ----

    [Fact]
    public async Task Only_one_of_several_instances_claims_a_due_job()
    {
        for (var round = 0; round < 15; round++)
        {
            var kind = $"test.concurrent.{round}";
            await WithJobsAsync(TimeProvider.System, j => j.EnsureScheduledAsync(kind, DateTimeOffset.UtcNow.AddMinutes(-1), Ct));
            await WithJobsAsync(TimeProvider.System, j => j.EnsureScheduledAsync(kind, DateTimeOffset.UtcNow.AddMinutes(-1), Ct));
            Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE kind = @k", ("k", kind)));

            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            {
                using var scope = _factory.Services.CreateScope();
                var jobs = new JobQueue(scope.ServiceProvider.GetRequiredService<HavenDbContext>(), TimeProvider.System);
                await scope.ServiceProvider.GetRequiredService<HavenDbContext>().Database.OpenConnectionAsync(Ct);
                start.Wait(Ct);
                return await jobs.ClaimAsync(kind, $"instance-{i}", TimeSpan.FromMinutes(10), Ct);
            }, Ct)).ToList();
            start.Set();
            var results = await Task.WhenAll(claims);
            Assert.Single(results, r => r is not null);
        }
    }

    [Fact]
    public async Task A_job_whose_lease_ran_out_is_claimed_again_and_a_finished_job_never_is()
    {
        var clock = new SettableClock(new DateTimeOffset(2030, 1, 1, 2, 0, 0, TimeSpan.Zero));
        const string kind = "test.lease";
        await WithJobsAsync(clock, j => j.EnsureScheduledAsync(kind, clock.Now.AddMinutes(-1), Ct));
        Assert.Null(await WithJobsAsync(clock, j => j.ClaimAsync("test.other-kind", "a", TimeSpan.FromMinutes(10), Ct)));

        var first = await WithJobsAsync(clock, j => j.ClaimAsync(kind, "a", TimeSpan.FromMinutes(10), Ct));
        Assert.NotNull(first);
        clock.Now = clock.Now.AddMinutes(9);
        Assert.Null(await WithJobsAsync(clock, j => j.ClaimAsync(kind, "b", TimeSpan.FromMinutes(10), Ct)));

        // Instance "a" died: its lease runs out and "b" takes the job over.
        clock.Now = clock.Now.AddMinutes(2);
        Assert.Equal(first, await WithJobsAsync(clock, j => j.ClaimAsync(kind, "b", TimeSpan.FromMinutes(10), Ct)));
        Assert.Equal(("b", 2), (await ScalarAsync<string>("SELECT locked_by FROM jobs WHERE id = @id", ("id", first!.Value)),
            await ScalarAsync<int>("SELECT attempts FROM jobs WHERE id = @id", ("id", first.Value))));

        // A failure frees it to be tried again after 15 minutes.
        await WithJobsAsync(clock, async j => { await j.CompleteAsync(first.Value, "boom", Ct); return 0; });
        clock.Now = clock.Now.AddMinutes(14);
        Assert.Null(await WithJobsAsync(clock, j => j.ClaimAsync(kind, "c", TimeSpan.FromMinutes(10), Ct)));
        clock.Now = clock.Now.AddMinutes(2);
        Assert.Equal(first, await WithJobsAsync(clock, j => j.ClaimAsync(kind, "c", TimeSpan.FromMinutes(10), Ct)));

        // Finished: never claimed again, and a new one can be scheduled.
        await WithJobsAsync(clock, async j => { await j.CompleteAsync(first.Value, null, Ct); return 0; });
        clock.Now = clock.Now.AddDays(1);
        Assert.Null(await WithJobsAsync(clock, j => j.ClaimAsync(kind, "d", TimeSpan.FromMinutes(10), Ct)));
        await WithJobsAsync(clock, j => j.EnsureScheduledAsync(kind, clock.Now, Ct));
        var next = await WithJobsAsync(clock, j => j.ClaimAsync(kind, "d", TimeSpan.FromMinutes(10), Ct));
        Assert.NotNull(next);
        Assert.NotEqual(first, next);
    }

    // ---- Command line ----

    [Fact]
    public async Task The_command_line_dry_run_reports_and_changes_nothing()
    {
        var sees = await OrganisationAsync("sees");
        var record = await SeedRecordAsync(sees, new DateOnly(1990, 5, 1));
        string[] database =
        [
            $"--ConnectionStrings:Haven={_factory.AppConnectionString}",
            $"--ConnectionStrings:HavenMigrations={_factory.OwnerConnectionString}",
            $"--{Haven.Core.Keys.MasterKey.ConfigurationKey}={HavenFactory.TestMasterKey}",
        ];
        var before = await TableCountsAsync();
        var output = new StringWriter();
        var original = Console.Out;
        int exit;
        try
        {
            Console.SetOut(output);
            exit = await Haven.Web.HavenProgram.RunAsync(["retention", "run", "--dry-run", "--as-of", "2030-01-01", .. database]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, exit);
        Assert.Equal(before, await TableCountsAsync());
        Assert.True(await PersonExistsAsync(record.Person));
        Assert.Contains("as of 2030-01-01 (dry run: nothing changed)", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"sees\s+early-help\s+early-help\s+destroy\s+1", output.ToString());
        Assert.True(await ScalarAsync<bool>("SELECT dry_run FROM retention_runs WHERE as_of = DATE '2030-01-01'"));

        Assert.Equal(2, await Haven.Web.HavenProgram.RunAsync(["retention", "run", "--as-of", "01/01/2030", .. database]));
        Assert.Equal(2, await Haven.Web.HavenProgram.RunAsync(["retention", .. database]));
        Assert.True(await PersonExistsAsync(record.Person));
    }

    // ---- Seeding ----

    /// <summary>A person with a row in every table that can point at a person, and the people around them.</summary>
    private sealed record SeededRecord(Guid Person, Guid Duplicate, Guid Sibling, Guid Child, Guid OwnHousehold, Guid SharedHousehold);

    /// <summary>
    /// A person born on <paramref name="dob"/> with early help and a child protection plan (neglect), addresses, names,
    /// notes, documents, relationships, households, education, a merged duplicate, a past review decision, and (with
    /// <paramref name="withInactiveHolds"/>) a released hold and one that ended without being released. Their sibling
    /// and their own child are young and stay.
    /// </summary>
    private async Task<SeededRecord> SeedRecordAsync(Guid organisation, DateOnly dob, bool withInactiveHolds = false)
    {
        var user = await UserAsync("sam.worker@demo.haven.test");
        var record = new SeededRecord(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var sql = """
            INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth, person_type, nhs_number, phone, email) VALUES
                (@p, @org, @given, @family, @dob, 'adult', '9990000018', '07700 900123', 'zephyrine@example.test'),
                (@q, @org, 'Quinn', @family, @young, 'child', NULL, NULL, NULL);
            INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth, person_type, mother_id)
                VALUES (@c, @org, 'Cora', @family, @young, 'child', @p);
            INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth, merged_into_id)
                VALUES (@d, @org, @given || 'e', @family, @dob, @p);
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, details_sealed, source) VALUES
                (gen_random_uuid(), @org, @p, 'early_help', @dob + 2000, @dob + 3000, '\x00'::bytea, 'family');
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, category_of_abuse, details_sealed, source) VALUES
                (gen_random_uuid(), @org, @p, 'child_protection', @dob + 2500, @dob + 2800, 'NEG', '\x00'::bytea, 'other_agency');
            INSERT INTO addresses (id, person_id, line1, town, postcode) VALUES
                (gen_random_uuid(), @p, '1 Secret Lane', 'Rochford', 'SS4 1AA'), (gen_random_uuid(), @d, '2 Duplicate Road', 'Rochford', 'SS4 1AB');
            INSERT INTO person_names (id, person_id, kind, given_name, family_name) VALUES (gen_random_uuid(), @p, 'previous', @given, 'Maidenhair');
            INSERT INTO record_access_grants (id, person_id, user_id, basis, starts_at, reason) VALUES (gen_random_uuid(), @p, @user, 'allocated_worker', now(), 'Allocated worker');
            INSERT INTO break_glass_events (id, user_id, person_id, reason, created_at, expires_at) VALUES (gen_random_uuid(), @user, @p, 'Emergency', now(), now() + interval '1 hour');
            INSERT INTO case_notes (id, person_id, contact_type, contact_date, participant_person_ids, text, source, created_by_user_id, created_at) VALUES
                (gen_random_uuid(), @p, 'visit', DATE '2005-01-01', ARRAY[@q]::uuid[], 'Visited ' || @given || ' at home', 'family', @user, now()),
                (gen_random_uuid(), @q, 'visit', DATE '2020-01-01', ARRAY[@p]::uuid[], 'Visited Quinn with their sibling', 'family', @user, now());
            INSERT INTO case_worries (id, person_id, kind, text, recorded_on, source, created_by_user_id, created_at) VALUES (gen_random_uuid(), @p, 'worry', 'A worry', DATE '2005-01-01', 'family', @user, now());
            INSERT INTO case_plans (id, person_id, plan_type, started_on, outcome, source, created_by_user_id, created_at) VALUES (gen_random_uuid(), @p, 'early_help_plan', DATE '2005-01-01', 'Done', 'family', @user, now());
            INSERT INTO case_services (id, person_id, name, provider, from_date, source, created_by_user_id, created_at) VALUES (gen_random_uuid(), @p, 'Parenting course', 'Provider', DATE '2005-01-01', 'family', @user, now());
            INSERT INTO case_offences (id, person_id, description_sealed, status_sealed, source, created_by_user_id, created_at) VALUES (gen_random_uuid(), @p, '\x01'::bytea, '\x02'::bytea, 'police', @user, now());
            INSERT INTO case_documents (id, person_id, file_name, content_type, kind, size_bytes, content_sealed, source, created_by_user_id, created_at)
                VALUES (gen_random_uuid(), @p, 'letter-to-zephyrine.txt', 'text/plain', 'text', 3, '\x010203'::bytea, 'family', @user, now());
            INSERT INTO relationships (id, organisation_id, person_id, related_person_id, relationship_type, parental_responsibility, source) VALUES
                (gen_random_uuid(), @org, @q, @p, 'sibling', false, 'family'), (gen_random_uuid(), @org, @p, @q, 'sibling', false, 'family'),
                (gen_random_uuid(), @org, @c, @p, 'mother', true, 'family');
            INSERT INTO households (id, organisation_id, label) VALUES (@h1, @org, 'Flat of ' || @given), (@h2, @org, 'Shared house');
            INSERT INTO household_members (id, household_id, person_id, lived_from, source) VALUES
                (gen_random_uuid(), @h1, @p, DATE '2010-01-01', 'family'), (gen_random_uuid(), @h2, @p, DATE '2000-01-01', 'family'),
                (gen_random_uuid(), @h2, @q, @young, 'family');
            INSERT INTO professionals_involved (id, organisation_id, person_id, role, name, source) VALUES (gen_random_uuid(), @org, @p, 'gp', 'Dr Example', 'family');
            INSERT INTO court_orders (id, organisation_id, person_id, order_type, court, made_on, source) VALUES (gen_random_uuid(), @org, @p, 'supervision_order', 'Southend Family Court', DATE '2000-01-01', 'other_agency');
            INSERT INTO education_providers (id, person_id, provider_name, urn, attended_from, source) VALUES (gen_random_uuid(), @p, 'Rochford Primary (test)', '999999', DATE '1995-09-01', 'school');
            INSERT INTO send_provisions (id, person_id, provision, started_on, source) VALUES (gen_random_uuid(), @p, 'K', DATE '1996-01-01', 'school');
            INSERT INTO education_plans (id, person_id, plan_type, started_on, source) VALUES (gen_random_uuid(), @p, 'PEP', DATE '1996-01-01', 'school');
            INSERT INTO attendance_records (id, person_id, period_from, period_to, possible_sessions, attended_sessions, source) VALUES (gen_random_uuid(), @p, DATE '1996-01-01', DATE '1996-03-31', 100, 90, 'school');
            INSERT INTO school_exclusions (id, person_id, exclusion_type, started_on, reason, source) VALUES (gen_random_uuid(), @p, 'permanent', DATE '1997-01-01', 'Zephyrine hit a teacher at 1 Secret Lane', 'school');
            INSERT INTO achievements (id, person_id, achieved_on, description, source) VALUES (gen_random_uuid(), @p, DATE '1997-01-01', 'Star of the week', 'school');
            INSERT INTO person_merges (id, survivor_id, duplicate_id, merged_by_user_id, merged_at, reason) VALUES (@merge, @p, @d, @user, now(), 'Same person');
            INSERT INTO person_merge_moves (merge_id, table_name, column_name, row_id) SELECT @merge, 'addresses', 'person_id', id FROM addresses WHERE person_id = @d;
            INSERT INTO retention_reviews (id, person_id, organisation_id, rule_code, record_type, due_on, status, created_at, decided_at, reason, keep_until)
                VALUES (gen_random_uuid(), @p, @org, 'early-help', 'early-help', @dob + 9131, 'extended', now(), now(), 'Kept for an inquiry', @dob + 9000);
            INSERT INTO rights_requests (id, reference, organisation_id, channel, received_on, rights, requester_name, relationship, subject_name, status,
                    authority_status, status_code_hash, created_at)
                VALUES (@rr, 'IR-TEST-' || left(@rr::text, 8), @org, 'post', current_date, ARRAY['rectification'], @given, 'self', @given, 'open', 'not_needed', '\x00'::bytea, now());
            INSERT INTO rights_request_subjects (id, request_id, person_id, matched_at) VALUES (gen_random_uuid(), @rr, @p, now());
            INSERT INTO processing_restrictions (id, person_id, request_id, reason, started_at, subject_told_on, subject_told_how, lifted_at, lift_reason)
                VALUES (gen_random_uuid(), @p, @rr, 'Accuracy contested', now(), current_date, 'Letter', now(), 'Checked');
            INSERT INTO person_consents (id, person_id, organisation_id, service_code, purpose, given_on) VALUES (gen_random_uuid(), @p, @org, 'early-help', 'Sharing overseas', DATE '2005-01-01');
            INSERT INTO record_statements (id, person_id, request_id, text, created_at) VALUES (gen_random_uuid(), @p, @rr, 'I dispute the note of 2005', now());
            INSERT INTO disclosures (id, organisation_id, person_id, recipient_code, recipient_name, service_code, activity_code, purpose, lawful_basis, categories, summary, disclosed_on, created_at)
                VALUES (gen_random_uuid(), @org, @p, 'police', 'Essex Police', 'early-help', 'early-help', 'Safeguarding', 'public-task', ARRAY['identity.name'], 'Name', DATE '2005-01-01', now());
            INSERT INTO rectification_items (id, request_id, person_id, field, information, proposed_value, created_at) VALUES (gen_random_uuid(), @rr, @p, 'other', 'Case note', 'Corrected text', now());
            WITH c AS (INSERT INTO cpis_clients (id, name, setting_type, ods_code, scopes, rate_limit_per_minute, secret_hash, created_at)
                       VALUES (gen_random_uuid(), 'Test emergency department', 'emergency_department', 'RTEST', ARRAY['cpis.lookup'], 60, decode(repeat('00', 32), 'hex'), now()) RETURNING id),
                 a AS (INSERT INTO cpis_accesses (id, lookup_id, occurred_at, client_id, person_id) SELECT gen_random_uuid(), gen_random_uuid(), now(), id, @p FROM c RETURNING client_id)
            INSERT INTO cpis_concerns (id, lookup_id, person_id, client_id, concern, created_at) SELECT gen_random_uuid(), gen_random_uuid(), @p, id, 'Bruising seen at triage', now() FROM c;
            """;
        if (withInactiveHolds)
        {
            sql += """

                INSERT INTO legal_holds (id, scope, person_id, reason, authority, starts_on, ends_on, created_at, released_at, release_reason) VALUES
                    (gen_random_uuid(), 'person', @p, 'Inquiry into the placement', 'Legal services', DATE '2010-01-01', NULL, now(), now(), 'Inquiry closed'),
                    (gen_random_uuid(), 'case', @p, 'Litigation that has since ended', 'Legal services', DATE '2010-01-01', DATE '2012-12-31', now(), NULL, NULL);
                """;
        }

        await ExecuteAsync(sql, ("p", record.Person), ("q", record.Sibling), ("c", record.Child), ("d", record.Duplicate), ("h1", record.OwnHousehold),
            ("h2", record.SharedHousehold), ("merge", Guid.NewGuid()), ("rr", Guid.NewGuid()), ("org", organisation), ("user", user), ("given", Given), ("family", Family), ("dob", dob),
            ("young", Today.AddYears(-6)));
        return record;
    }

    /// <summary>An AfC child with a child protection plan long ended: due for review 40 years from birth.</summary>
    private async Task<Guid> SeedChildProtectionAsync(Guid organisation, DateOnly dob)
    {
        var id = await InsertPersonAsync(organisation, "Ada", "Child-Protection", dob);
        await ExecuteAsync("""
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, category_of_abuse, source)
            VALUES (gen_random_uuid(), @org, @p, 'child_protection', @dob + 1000, @dob + 1400, 'PHY', 'other_agency')
            """, ("org", organisation), ("p", id), ("dob", dob));
        return id;
    }

    private async Task<Guid> InsertPersonAsync(Guid organisation, string given, string family, DateOnly dob)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync("INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth) VALUES (@id, @org, @g, @f, @dob)",
            ("id", id), ("org", organisation), ("g", given), ("f", family), ("dob", dob));
        return id;
    }

    /// <summary>Many due early-help records, each with an address, a name, a note, an involvement and a household of their own.</summary>
    private async Task<Guid[]> SeedManyDueAsync(Guid organisation, int count)
    {
        var user = await UserAsync("sam.worker@demo.haven.test");
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await ExecuteAsync("""
            INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth)
                SELECT id, @org, 'Many', 'Due ' || ordinality, DATE '1980-01-01' + ordinality::int FROM unnest(@ids) WITH ORDINALITY AS u(id, ordinality);
            INSERT INTO addresses (id, person_id, line1, postcode) SELECT gen_random_uuid(), id, 'Flat ' || ordinality, 'SS1 1AA' FROM unnest(@ids) WITH ORDINALITY AS u(id, ordinality);
            INSERT INTO person_names (id, person_id, kind, given_name, family_name) SELECT gen_random_uuid(), id, 'previous', 'Many', 'Before' FROM unnest(@ids) AS u(id);
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, source)
                SELECT gen_random_uuid(), @org, id, 'early_help', DATE '1990-01-01', DATE '1992-01-01', 'family' FROM unnest(@ids) AS u(id);
            INSERT INTO case_notes (id, person_id, contact_type, contact_date, text, source, created_by_user_id, created_at)
                SELECT gen_random_uuid(), id, 'visit', DATE '1991-01-01', 'A visit', 'family', @user, now() FROM unnest(@ids) AS u(id);
            INSERT INTO households (id, organisation_id, label) SELECT id, @org, 'Household of ' || id FROM unnest(@ids) AS u(id);
            INSERT INTO household_members (id, household_id, person_id, lived_from, source) SELECT gen_random_uuid(), id, id, DATE '1990-01-01', 'family' FROM unnest(@ids) AS u(id);
            """, ("org", organisation), ("ids", ids), ("user", user));
        return ids;
    }

    /// <summary>For each person: "whole" (the person and all five kinds of row), "gone" (none of them) or "partial".</summary>
    private async Task<string[]> WholeOrGoneAsync(Guid[] ids) => (await QueryAsync("""
        SELECT (SELECT count(*) FROM people WHERE id = u.id) + (SELECT count(*) FROM addresses WHERE person_id = u.id)
             + (SELECT count(*) FROM person_names WHERE person_id = u.id) + (SELECT count(*) FROM involvements WHERE person_id = u.id)
             + (SELECT count(*) FROM case_notes WHERE person_id = u.id) + (SELECT count(*) FROM household_members WHERE person_id = u.id)
             + (SELECT count(*) FROM households WHERE id = u.id)
        FROM unnest(@ids) AS u(id)
        """, r => r.GetInt64(0) switch { 7 => "whole", 0 => "gone", _ => "partial" }, ("ids", ids))).ToArray();

    /// <summary>Waits until a session waits for a lock on <paramref name="table"/> (the run, held up by the test).</summary>
    private async Task WaitForLockAsync(string table, Task run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await ScalarAsync<bool>("""
                   SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = @table AND NOT l.granted)
                   """, ("table", table)))
        {
            Assert.False(run.IsCompleted, $"The run finished without waiting for {table}: " + (run.IsFaulted ? run.Exception!.ToString() : "it never got there"));
            Assert.True(DateTime.UtcNow < deadline, $"The run never waited for {table}");
            await Task.Delay(50, Ct);
        }
    }

    // ---- Assertions ----

    private async Task AssertGoneAsync(SeededRecord record)
    {
        foreach (var id in new[] { record.Person, record.Duplicate })
        {
            Assert.False(await PersonExistsAsync(id));
            foreach (var (table, column) in await ForeignKeysToPeopleAsync())
            {
                Assert.True(await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} = @id", ("id", id)) == 0, $"{table}.{column} still points at a destroyed record");
            }
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM person_merges WHERE @p IN (survivor_id, duplicate_id)", ("p", record.Person)));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM addresses WHERE line1 IN ('1 Secret Lane', '2 Duplicate Road')"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM case_documents WHERE file_name = 'letter-to-zephyrine.txt'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM people WHERE given_name LIKE @g", ("g", Given + "%")));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM case_notes WHERE text LIKE @t", ("t", "%" + Given + "%")));
    }

    private static void AssertNoPersonalData(string text, SeededRecord record)
    {
        foreach (var value in new[] { Given, Family, "Maidenhair", "Secret Lane", "Duplicate Road", "9990000018", "zephyrine", "1990-05-01", record.Person.ToString(), record.Duplicate.ToString() })
        {
            Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>How many rows point at the record, table by table, for comparing before and after.</summary>
    private async Task<Dictionary<string, long>> FootprintAsync(SeededRecord record)
    {
        var footprint = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new[] { record.Person, record.Duplicate };
        foreach (var (table, column) in await ForeignKeysToPeopleAsync())
        {
            footprint[$"{table}.{column}"] = await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} = ANY(@ids)", ("ids", ids));
        }

        footprint["people"] = await ScalarAsync<long>("SELECT count(*) FROM people WHERE id = ANY(@ids)", ("ids", ids));
        footprint["households"] = await ScalarAsync<long>("SELECT count(*) FROM households WHERE id = ANY(@h)", ("h", new[] { record.OwnHousehold, record.SharedHousehold }));
        footprint["participants"] = await ScalarAsync<long>("SELECT count(*) FROM case_notes WHERE @p = ANY(participant_person_ids)", ("p", record.Person));
        footprint["total"] = footprint.Values.Sum();
        Assert.True(footprint["total"] > 30, $"only {footprint["total"]} rows seeded");
        return footprint;
    }

    /// <summary>Row counts of every table except the run log and the audit trail, which a dry run adds to.</summary>
    private async Task<Dictionary<string, long>> TableCountsAsync()
    {
        var tables = await QueryAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", r => r.GetString(0));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => t is not ("retention_runs" or "audit_events" or "audit_head" or "data_protection_keys")))
        {
            counts[table] = await ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");
        }

        return counts;
    }

    private async Task<List<(string Table, string Column)>> ForeignKeysToPeopleAsync() => await QueryAsync("""
        SELECT c.conrelid::regclass::text, a.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'people'::regclass
        ORDER BY 1, 2
        """, r => (r.GetString(0), r.GetString(1)));

    // ---- Services and SQL ----

    private async Task<RunSummary> RunAsync(DateOnly asOf, bool dryRun = false) => await WithEngineAsync(e => e.RunAsync(asOf, dryRun, "retention tests", Ct));

    private async Task<T> WithEngineAsync<T>(Func<RetentionEngine, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<RetentionEngine>());
    }

    private async Task<T> WithHoldsAsync<T>(Func<LegalHoldService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<LegalHoldService>());
    }

    private async Task<T> WithReviewsAsync<T>(Func<RetentionReviewService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<RetentionReviewService>());
    }

    private async Task<T> WithMergeAsync<T>(Func<MergeService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<MergeService>());
    }

    private async Task<T> WithJobsAsync<T>(TimeProvider clock, Func<JobQueue, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(new JobQueue(scope.ServiceProvider.GetRequiredService<HavenDbContext>(), clock));
    }

    private async Task WithJobsAsync(TimeProvider clock, Func<JobQueue, Task> work) => await WithJobsAsync(clock, async j => { await work(j); return 0; });

    private Task<T> WithDbAsync<T>(Func<HavenDbContext, Task<T>> work) => _factory.WithDbAsync(work);

    private Task<Guid> OrganisationAsync(string code) => WithDbAsync(db => db.Organisations.Where(o => o.ShortName == code).Select(o => o.Id).SingleAsync(Ct));

    private Task<Guid> UserAsync(string email) => WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct));

    private Task<bool> PersonExistsAsync(Guid id) => ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM people WHERE id = @id)", ("id", id));

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), "no row: " + sql);
        return reader.IsDBNull(0) ? default! : reader.GetFieldValue<T>(0);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
