using System.Diagnostics;
using System.Globalization;
using Haven.Core.Data;
using Haven.Core.Demo;
using Haven.Core.People;
using Haven.Core.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// Retention benchmark: seeds the five demo organisations with their registers, loads a million records of mixed
/// types (<see cref="RetentionData"/>), then times the engine evaluating every record against its organisation's rules
/// beside the bare SQL that reads the same facts, and the engine disposing of the due records beside one bare SQL
/// transaction that deletes the same rows. Each disposal runs on its own copy of the loaded database.
/// </summary>
internal static class RetentionBench
{
    private const int EvaluateRuns = 3;
    private const int DisposeRuns = 2;

    public static async Task RunAsync(EmbeddedPostgres cluster, int records, int disposals)
    {
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        var random = new Random(20261121);
        var owner = new NpgsqlConnectionStringBuilder(cluster.OwnerConnectionString()) { CommandTimeout = 0 }.ConnectionString;

        Console.WriteLine($"Loading {records:N0} records of mixed types across the five demo organisations ...");
        var load = Stopwatch.StartNew();
        await using (var services = Services(cluster, EmbeddedPostgres.DatabaseName))
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }

        RetentionPlan plan;
        await using (var connection = new NpgsqlConnection(owner))
        {
            await connection.OpenAsync();
            // The demo's own examples of overdue records (one to destroy, one to review, one held by the demo's
            // inquiry hold) would be counted with the benchmark's; they are taken out so the checks below are exact.
            await using (var demo = new NpgsqlCommand("""
                DELETE FROM legal_holds WHERE scope = 'criterion';
                CREATE TEMP TABLE demo_overdue AS SELECT id FROM people
                    WHERE (given_name, family_name) IN (('Callum', 'Reyes'), ('Jordan', 'Pike'), ('Sasha', 'Doyle'));
                DELETE FROM involvements WHERE person_id IN (SELECT id FROM demo_overdue);
                DELETE FROM people WHERE id IN (SELECT id FROM demo_overdue);
                """, connection))
            {
                await demo.ExecuteNonQueryAsync();
            }

            plan = await RetentionData.LoadAsync(connection, records, disposals, asOf, random);
            await using var analyse = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
            await analyse.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"Loaded in {load.Elapsed.TotalSeconds:F0} s: "
            + string.Join(", ", plan.Rows.Select(r => $"{r.Value:N0} {r.Key.Replace('_', ' ')}")));

        // Evaluation: the engine (facts SQL, rules in C#, holds) beside the same SQL read to the end, and a plain count.
        var engine = new List<double>();
        var facts = new List<double>();
        var scan = new List<double>();
        Dictionary<string, int> outcomes = [];
        await using (var services = Services(cluster, EmbeddedPostgres.DatabaseName))
        {
            for (var run = 0; run < EvaluateRuns; run++)
            {
                using (var scope = services.CreateScope())
                {
                    var watch = Stopwatch.StartNew();
                    var assessed = await scope.ServiceProvider.GetRequiredService<RetentionEngine>().AssessAsync(asOf);
                    engine.Add(watch.Elapsed.TotalSeconds);
                    Console.WriteLine($"  evaluation run {run + 1}: engine {engine[^1]:F1} s");
                    outcomes = assessed.GroupBy(a => a.Outcome).ToDictionary(g => g.Key, g => g.Count());
                }

                await using var connection = new NpgsqlConnection(cluster.AppConnectionString());
                await connection.OpenAsync();
                var bare = Stopwatch.StartNew();
                await using (var command = new NpgsqlCommand(RetentionEngine.FactsSql, connection) { CommandTimeout = 0 })
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                    }
                }

                facts.Add(bare.Elapsed.TotalSeconds);
                var count = Stopwatch.StartNew();
                await using (var command = new NpgsqlCommand("SELECT count(*) FROM people WHERE merged_into_id IS NULL AND anonymised_at IS NULL", connection) { CommandTimeout = 0 })
                {
                    await command.ExecuteScalarAsync();
                }

                scan.Add(count.Elapsed.TotalSeconds);
                Console.WriteLine($"  evaluation run {run + 1}: bare facts SQL {facts[^1]:F1} s, count(*) {scan[^1]:F2} s");
            }
        }

        var evaluated = outcomes.Values.Sum();
        Console.WriteLine($"Outcomes as of {asOf:yyyy-MM-dd}: " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value:N0} {o.Key}")));
        Check(outcomes.GetValueOrDefault(Assessment.Destroy) == plan.Destroy, $"expected {plan.Destroy:N0} records due for destruction");
        Check(outcomes.GetValueOrDefault(Assessment.Held) == plan.Held, $"expected {plan.Held:N0} records held");

        // Disposal: on fresh copies of the loaded database, alternately the engine and the bare SQL.
        var runs = new List<double>();
        var deletes = new List<double>();
        var copies = new List<double>();
        RunSummary? summary = null;
        Dictionary<string, long>? afterEngine = null, afterBare = null;
        for (var run = 0; run < DisposeRuns; run++)
        {
            var name = $"retention_engine_{run}";
            copies.Add(await CopyAsync(cluster, name));
            await using (var services = Services(cluster, name))
            using (var scope = services.CreateScope())
            {
                var watch = Stopwatch.StartNew();
                summary = await scope.ServiceProvider.GetRequiredService<RetentionEngine>().RunAsync(asOf, dryRun: false, "benchmark");
                runs.Add(watch.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"  disposal run {run + 1}: engine {runs[^1]:F1} s ({summary.Destroyed:N0} destroyed)");

            afterEngine = await CountAsync(cluster, name);
            await DropAsync(cluster, name);

            name = $"retention_bare_{run}";
            copies.Add(await CopyAsync(cluster, name));
            await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.OwnerConnectionString(name)) { CommandTimeout = 0 }.ConnectionString))
            {
                await connection.OpenAsync();
                var watch = Stopwatch.StartNew();
                await BareDeleteAsync(connection, plan.DisposedIds);
                deletes.Add(watch.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"  disposal run {run + 1}: bare SQL {deletes[^1]:F1} s");

            afterBare = await CountAsync(cluster, name);
            await DropAsync(cluster, name);
        }

        Check(summary!.Destroyed == plan.Destroy, $"the engine destroyed {summary.Destroyed:N0} records, expected {plan.Destroy:N0}");
        var removedByEngine = plan.Rows.ToDictionary(r => r.Key, r => r.Value - afterEngine![r.Key]);
        var removedByBare = plan.Rows.ToDictionary(r => r.Key, r => r.Value - afterBare![r.Key]);
        var differences = removedByEngine.Where(r => r.Key != "retention_reviews" && removedByBare[r.Key] != r.Value).Select(r => r.Key).ToList();

        static string Figures(List<double> values) => $"best {values.Min(),6:F1} s (runs {string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))})";
        var bestEngine = engine.Min();
        var bestRun = runs.Min();
        Console.WriteLine();
        Console.WriteLine($"Retention over {evaluated:N0} records of mixed types in 5 organisations, {DisposeRuns} disposal runs on fresh copies (each copy took {copies.Average():F0} s)");
        Console.WriteLine($"  evaluate {evaluated:N0} records: {Figures(engine)}   (target <= 30 s)");
        Console.WriteLine($"    bare SQL, the facts query read to the end: {Figures(facts)}   ratio {bestEngine / facts.Min():F2}");
        Console.WriteLine($"    bare SQL, count(*) of the same people:     {Figures(scan)}   ratio {bestEngine / scan.Min():F0}");
        Console.WriteLine($"  dispose {summary.Destroyed:N0} due records (retention run, evaluation included): {Figures(runs)}   (target <= 60 s)");
        Console.WriteLine($"    {summary.Destroyed / bestRun:N0} records/s; {summary.Held:N0} held, {summary.ReviewsQueued:N0} reviews queued; without the evaluation pass about {bestRun - bestEngine:F1} s");
        Console.WriteLine($"    bare SQL, one transaction deleting the same rows: {Figures(deletes)}   ratio {bestRun / deletes.Min():F2} ({(bestRun - bestEngine) / deletes.Min():F2} without the evaluation pass)");
        Console.WriteLine("    rows removed: " + string.Join(", ", removedByEngine.Where(r => r.Value != 0).Select(r => $"{r.Value:N0} {r.Key.Replace('_', ' ')}")));
        Console.WriteLine(differences.Count == 0
            ? "    the engine and the bare SQL removed the same rows"
            : "    DIFFERENT rows removed by the engine and the bare SQL in: " + string.Join(", ", differences.Select(d => $"{d} ({removedByEngine[d]:N0} vs {removedByBare[d]:N0})")));
    }

    /// <summary>
    /// The same disposal as hand-written SQL: every row that points at the people (and their merged duplicates), their
    /// place in case-note participants, households left empty and the people themselves, in one transaction.
    /// </summary>
    private static async Task BareDeleteAsync(NpgsqlConnection connection, Guid[] ids)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        async Task Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("ids", ids);
            await command.ExecuteNonQueryAsync();
        }

        await Run("CREATE TEMP TABLE doomed ON COMMIT DROP AS SELECT DISTINCT unnest(@ids) AS id");
        await Run("ALTER TABLE doomed ADD PRIMARY KEY (id); ANALYZE doomed");
        await Run("CREATE TEMP TABLE doomed_households ON COMMIT DROP AS SELECT DISTINCT household_id AS id FROM household_members m JOIN doomed d ON d.id = m.person_id");
        await Run("""
            UPDATE case_notes c SET participant_person_ids = ARRAY(SELECT x FROM unnest(c.participant_person_ids) AS x WHERE NOT EXISTS (SELECT 1 FROM doomed d WHERE d.id = x))
            FROM (SELECT DISTINCT n.id FROM case_notes n CROSS JOIN LATERAL unnest(n.participant_person_ids) AS p(id) JOIN doomed d ON d.id = p.id) named
            WHERE c.id = named.id
            """);
        await Run("DELETE FROM person_merge_moves WHERE merge_id IN (SELECT id FROM person_merges WHERE survivor_id IN (SELECT id FROM doomed) OR duplicate_id IN (SELECT id FROM doomed))");
        await Run("DELETE FROM person_merges WHERE survivor_id IN (SELECT id FROM doomed) OR duplicate_id IN (SELECT id FROM doomed)");
        await Run("DELETE FROM retention_reviews r USING doomed d WHERE r.person_id = d.id");
        await Run("DELETE FROM legal_holds h USING doomed d WHERE h.person_id = d.id AND h.released_at IS NOT NULL");
        foreach (var (table, column) in PersonLinks.Columns)
        {
            await Run(table == "people"
                ? $"UPDATE people p SET {column} = NULL FROM doomed d WHERE p.{column} = d.id AND NOT EXISTS (SELECT 1 FROM doomed k WHERE k.id = p.id)"
                : $"DELETE FROM {table} t USING doomed d WHERE t.{column} = d.id");
        }

        await Run("DELETE FROM households h USING doomed_households e WHERE h.id = e.id AND NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id)");
        await Run("DELETE FROM people p USING doomed d WHERE p.id = d.id");
        await transaction.CommitAsync();
    }

    private static ServiceProvider Services(EmbeddedPostgres cluster, string database) => BenchServices.Build(cluster, database, services =>
    {
        services.AddScoped<LegalHoldService>();
        services.AddScoped<RetentionEngine>();
    });

    /// <summary>A file copy of the loaded database; returns the seconds it took.</summary>
    private static async Task<double> CopyAsync(EmbeddedPostgres cluster, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(cluster.SuperuserConnectionString());
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        var sql = $"CREATE DATABASE \"{name}\" OWNER {EmbeddedPostgres.OwnerRole} TEMPLATE {EmbeddedPostgres.DatabaseName} STRATEGY FILE_COPY";
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task DropAsync(EmbeddedPostgres cluster, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(cluster.SuperuserConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<string, long>> CountAsync(EmbeddedPostgres cluster, string database)
    {
        await using var connection = new NpgsqlConnection(cluster.OwnerConnectionString(database));
        await connection.OpenAsync();
        return await RetentionData.CountRowsAsync(connection);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            Console.WriteLine($"  CHECK FAILED: {message}");
        }
    }
}
