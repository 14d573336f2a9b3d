using System.Diagnostics;
using System.Globalization;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Timeline;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// Timeline benchmark: loads case notes for many people (10,000,000 by default) plus one child with 2,000 entries, then
/// times the child's whole timeline server-side (every source, ranking and the audit write) beside the bare SQL.
/// </summary>
internal static class TimelineBench
{
    private static readonly string[] ContactTypes = ["visit", "phone_call", "letter", "email", "meeting"];
    private static readonly string[] Sources = ["family", "carer", "gp", "police", "school", "health_visitor", "other_agency", "child"];

    public static async Task RunAsync(EmbeddedPostgres cluster, long notes, int repeats)
    {
        var random = new Random(20261121);
        // Loading millions of rows takes minutes: no command timeout for the loader.
        var owner = new NpgsqlConnectionStringBuilder(cluster.OwnerConnectionString()) { CommandTimeout = 0 }.ConnectionString;
        Guid child, user;
        var load = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(owner))
        {
            await connection.OpenAsync();
            var organisation = Guid.NewGuid();
            user = Guid.NewGuid();
            child = Guid.NewGuid();
            await using (var setup = new NpgsqlCommand(
                """
                INSERT INTO organisations (id, name, short_name) VALUES (@o, 'Benchmark council', 'bench-timeline');
                INSERT INTO users (id, organisation_id, email, normalized_email, display_name, roles, password_hash, security_stamp)
                VALUES (@u, @o, 'bench@bench.test', 'BENCH@BENCH.TEST', 'Bench worker', '{practitioner}', 'x', 'x');
                INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth) VALUES (@c, @o, 'Timeline', 'Child', '2012-05-01');
                """, connection))
            {
                setup.Parameters.AddWithValue("o", organisation);
                setup.Parameters.AddWithValue("u", user);
                setup.Parameters.AddWithValue("c", child);
                await setup.ExecuteNonQueryAsync();
            }

            // Other people: one case note in every 100 belongs to each of them.
            var people = (int)Math.Max(1, notes / 100);
            var others = new Guid[people];
            await using (var writer = await connection.BeginBinaryImportAsync("COPY people (id, organisation_id, given_name, family_name, created_at) FROM STDIN (FORMAT BINARY)"))
            {
                writer.Timeout = TimeSpan.FromHours(1);
                for (var i = 0; i < people; i++)
                {
                    others[i] = Guid.NewGuid();
                    await writer.StartRowAsync();
                    await writer.WriteAsync(others[i], NpgsqlDbType.Uuid);
                    await writer.WriteAsync(organisation, NpgsqlDbType.Uuid);
                    await writer.WriteAsync("Person", NpgsqlDbType.Text);
                    await writer.WriteAsync(i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                }

                await writer.CompleteAsync();
            }

            const string Text = "Visited the family at home. The children were present and appeared well; the kitchen had food and the home was warm. "
                + "Discussed school attendance and the plan for the coming weeks with the parent, who agreed to the next steps.";
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY case_notes (id, person_id, contact_type, contact_date, text, source, created_by_user_id, created_at) FROM STDIN (FORMAT BINARY)"))
            {
                writer.Timeout = TimeSpan.FromHours(1);
                var start = new DateOnly(2015, 1, 1);
                for (long i = 0; i < notes + 2000; i++)
                {
                    var person = i < 2000 ? child : others[random.Next(others.Length)];
                    await writer.StartRowAsync();
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(person, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(ContactTypes[random.Next(ContactTypes.Length)], NpgsqlDbType.Text);
                    await writer.WriteAsync(start.AddDays(random.Next(3900)), NpgsqlDbType.Date);
                    await writer.WriteAsync(Text, NpgsqlDbType.Text);
                    await writer.WriteAsync(Sources[random.Next(Sources.Length)], NpgsqlDbType.Text);
                    await writer.WriteAsync(user, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                }

                await writer.CompleteAsync();
            }

            foreach (var table in new[] { "people", "case_notes" })
            {
                await using var analyse = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection);
                analyse.CommandTimeout = 0;
                await analyse.ExecuteNonQueryAsync();
            }
        }

        Console.WriteLine($"Loaded {notes:N0} case notes (and 2,000 for the timeline child) in {load.Elapsed.TotalSeconds:F0} s");

        var options = new DbContextOptionsBuilder<HavenDbContext>().UseNpgsql(cluster.AppConnectionString()).Options;
        ITimelineSource[] sources = [new PersonRecordTimelineSource(), new CaseWorkTimelineSource(), new InvolvementTimelineSource(), new FamilyTimelineSource(), new EducationTimelineSource()];
        var served = new List<double>();
        var entries = 0;
        for (var i = 0; i < repeats + 3; i++)
        {
            await using var db = new HavenDbContext(options);
            var timeline = new TimelineService(db, sources, new AuditWriter(db, new SystemAuditActorAccessor(), TimeProvider.System));
            var watch = Stopwatch.StartNew();
            var result = await timeline.ForPeopleAsync([child], null, "benchmark");
            if (i >= 3)
            {
                served.Add(watch.Elapsed.TotalMilliseconds);
            }

            entries = result.Count;
        }

        var bare = new List<double>();
        await using (var connection = new NpgsqlConnection(cluster.AppConnectionString()))
        {
            await connection.OpenAsync();
            for (var i = 0; i < repeats + 3; i++)
            {
                var watch = Stopwatch.StartNew();
                await using var command = new NpgsqlCommand(
                    "SELECT id, contact_type, contact_date, contact_time, participants, text, source FROM case_notes WHERE person_id = @c ORDER BY contact_date DESC", connection);
                command.Parameters.AddWithValue("c", child);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }

                if (i >= 3)
                {
                    bare.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        static double Percentile(List<double> values, double p) => values.Order().ElementAt((int)Math.Ceiling(p * values.Count) - 1);
        Console.WriteLine();
        Console.WriteLine($"Timeline of a child with {entries:N0} entries, among {notes:N0} case notes, {repeats} requests");
        Console.WriteLine($"  timeline  p50 {Percentile(served, 0.5),8:F1} ms   p95 {Percentile(served, 0.95),8:F1} ms   (goal: <= 150 ms)");
        Console.WriteLine($"  bare SQL  p50 {Percentile(bare, 0.5),8:F1} ms   p95 {Percentile(bare, 0.95),8:F1} ms");
        Console.WriteLine($"  ratio timeline/SQL at p95: {Percentile(served, 0.95) / Percentile(bare, 0.95):F2}");
    }
}
