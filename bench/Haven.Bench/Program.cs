using System.Diagnostics;
using System.Globalization;
using Haven.Core.Data;
using Haven.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Person search benchmark: loads N synthetic people into a private PostgreSQL cluster, then searches for known people
// with generated typos, nicknames, sound-alike spellings and swapped names. Prints p50/p95 server-side times, recall,
// and the time of the bare SQL underneath as a ratio.
// Usage: search [people] [queries]   |   timeline [notes] [requests]   |   retention [records] [disposals]   |   rights [entries] [documents]   |   cpis [children]
var mode = args.Length > 0 && !char.IsDigit(args[0][0]) ? args[0] : "search";
var rest = mode == "search" && args.Length > 0 && char.IsDigit(args[0][0]) ? args : args.Skip(1).ToArray();
var people = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1_000_000;
var queries = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 500;
var root = Path.Combine(Path.GetTempPath(), $"haven-bench-{Environment.ProcessId}");
await using var cluster = new EmbeddedPostgres(root, NullLogger.Instance);
try
{
    await cluster.StartAsync();
    await new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(cluster.OwnerConnectionString(), EmbeddedPostgres.AppRole);
    if (mode == "timeline")
    {
        await TimelineBench.RunAsync(cluster, rest.Length > 0 ? long.Parse(rest[0], CultureInfo.InvariantCulture) : 10_000_000, rest.Length > 1 ? queries : 50);
        return;
    }

    if (mode == "rights")
    {
        await RightsBench.RunAsync(cluster, rest.Length > 0 ? people : 10_000, rest.Length > 1 ? queries : 200);
        return;
    }

    if (mode == "cpis")
    {
        await CpisBench.RunAsync(cluster, rest.Length > 0 ? people : 150_000);
        return;
    }

    if (mode == "retention")
    {
        await RetentionBench.RunAsync(cluster, people, rest.Length > 1 ? queries : 100_000);
        return;
    }

    var random = new Random(20261121);
    Console.WriteLine($"Loading {people:N0} synthetic people ...");
    var load = Stopwatch.StartNew();
    var known = await Synthetic.LoadAsync(cluster.OwnerConnectionString(), people, random);
    await using (var analyse = new NpgsqlConnection(cluster.OwnerConnectionString()))
    {
        await analyse.OpenAsync();
        foreach (var table in new[] { "people", "addresses" })
        {
            await using var command = new NpgsqlCommand($"VACUUM ANALYZE {table}", analyse);
            await command.ExecuteNonQueryAsync();
        }
    }

    Console.WriteLine($"Loaded in {load.Elapsed.TotalSeconds:F0} s");

    var options = new DbContextOptionsBuilder<HavenDbContext>().UseNpgsql(cluster.AppConnectionString()).Options;
    var targets = Enumerable.Range(0, queries).Select(_ => known[random.Next(known.Count)]).ToList();
    // With a date of birth, as a worker searching for a child nearly always has; name-only searches are measured too.
    var cases = targets.Select(t => (Target: t, Query: Synthetic.Misspell(t, random))).ToList();
    var nameOnly = cases.Select(c => (c.Target, Query: c.Query with { DateOfBirth = null })).ToList();

    // Warm up caches and the connection pool.
    await using (var warm = new HavenDbContext(options))
    {
        foreach (var (_, query) in cases.Take(20))
        {
            await PersonSearch.CandidatesAsync(warm, new SearchQuery(query.Name, query.DateOfBirth, null, null), 25, CancellationToken.None);
        }
    }

    var phasesRun = new List<List<SearchQuery>>();
    var searchTimes = new List<double>();
    var sqlTimes = new List<double>();
    var found = 0;
    var foundNameOnly = 0;
    var nameOnlyTimes = new List<double>();
    await using (var db = new HavenDbContext(options))
    {
        foreach (var (target, query) in cases)
        {
            var phases = new List<SearchQuery>();
            var watch = Stopwatch.StartNew();
            var results = await PersonSearch.CandidatesAsync(db, new SearchQuery(query.Name, query.DateOfBirth, null, null), 25, CancellationToken.None, phases);
            searchTimes.Add(watch.Elapsed.TotalMilliseconds);
            phasesRun.Add(phases);
            if (results.Any(r => r.Id == target.Id))
            {
                found++;
            }
        }
    }

    await using (var db = new HavenDbContext(options))
    {
        foreach (var (target, query) in nameOnly)
        {
            var watch = Stopwatch.StartNew();
            var results = await PersonSearch.CandidatesAsync(db, new SearchQuery(query.Name, null, null, null), 25, CancellationToken.None);
            nameOnlyTimes.Add(watch.Elapsed.TotalMilliseconds);
            if (results.Any(r => r.Id == target.Id))
            {
                foundNameOnly++;
            }
        }
    }

    // The bare SQL underneath: exactly the queries each search ran, read to the end, without ranking in C#.
    await using (var connection = new NpgsqlConnection(cluster.AppConnectionString()))
    {
        await connection.OpenAsync();
        foreach (var phases in phasesRun)
        {
            var watch = Stopwatch.StartNew();
            foreach (var phase in phases)
            {
                var narrow = phase.Name.StartsWith("narrow:", StringComparison.Ordinal);
                var (sql, parameters, _) = PersonSearch.BuildQuery(narrow ? phase with { Name = phase.Name[7..] } : phase, narrow);
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddRange(parameters.ToArray());
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }

            sqlTimes.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
    }

    var p50 = Percentile(searchTimes, 0.50);
    var p95 = Percentile(searchTimes, 0.95);
    var sql50 = Percentile(sqlTimes, 0.50);
    var sql95 = Percentile(sqlTimes, 0.95);
    Console.WriteLine();
    Console.WriteLine($"Person search over {people:N0} people, {queries} queries with typos, nicknames, sound-alikes and swapped names, with date of birth");
    Console.WriteLine($"  search  p50 {p50,8:F1} ms   p95 {p95,8:F1} ms   (goal: p95 <= 50 ms)");
    Console.WriteLine($"  bare SQL p50 {sql50,7:F1} ms   p95 {sql95,8:F1} ms");
    Console.WriteLine($"  ratio search/SQL at p95: {p95 / sql95:F2}");
    Console.WriteLine($"  recall (target in the top 25): {100.0 * found / queries:F1}%   (goal: >= 95%)");
    Console.WriteLine($"  name only, no date of birth: p95 {Percentile(nameOnlyTimes, 0.95):F1} ms, recall {100.0 * foundNameOnly / queries:F1}% (many synthetic people share a name, so the top 25 cannot always hold the one meant)");
}
finally
{
    await cluster.StopAsync();
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

internal sealed record KnownPerson(Guid Id, string Given, string Family, DateOnly DateOfBirth);

internal sealed record BenchQuery(string Name, DateOnly? DateOfBirth);

internal static class Synthetic
{
    public static async Task<List<KnownPerson>> LoadAsync(string connectionString, int count, Random random)
    {
        var organisation = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var org = new NpgsqlCommand("INSERT INTO organisations (id, name, short_name) VALUES (@i, 'Benchmark council', 'bench')", connection))
        {
            org.Parameters.AddWithValue("i", organisation);
            await org.ExecuteNonQueryAsync();
        }

        var generated = await Haven.Core.Demo.VolumeGenerator.GenerateAsync(connection, organisation, Guid.Empty, count, notesPerPerson: 0, random);
        return generated.Select(g => new KnownPerson(g.Id, g.GivenName, g.FamilyName, g.DateOfBirth)).ToList();
    }

    /// <summary>One realistic mistake: a typo, a nickname, a sound-alike spelling, or the names the other way round.</summary>
    public static BenchQuery Misspell(KnownPerson person, Random random)
    {
        var given = person.Given;
        var family = person.Family;
        switch (random.Next(5))
        {
            case 0:
                family = Typo(family, random);
                break;
            case 1:
                given = Typo(given, random);
                break;
            case 2:
                var variants = NameMatching.Variants(given).Where(v => v != NameMatching.Normalise(given)).ToList();
                given = variants.Count > 0 ? variants[random.Next(variants.Count)] : Typo(given, random);
                break;
            case 3:
                (given, family) = (family, given);
                break;
            default:
                family = family.Replace("ph", "f", StringComparison.OrdinalIgnoreCase).Replace("ck", "k", StringComparison.OrdinalIgnoreCase)
                    .Replace("y", "i", StringComparison.OrdinalIgnoreCase);
                if (family == person.Family)
                {
                    family = Typo(family, random);
                }

                break;
        }

        return new BenchQuery($"{given} {family}", person.DateOfBirth);
    }

    private static string Typo(string word, Random random)
    {
        if (word.Length < 4)
        {
            return word + word[^1];
        }

        var i = random.Next(1, word.Length - 1);
        return random.Next(3) switch
        {
            0 => word.Remove(i, 1),
            1 => string.Concat(word.AsSpan(0, i - 1), word[i].ToString(), word[i - 1].ToString(), word.AsSpan(i + 1)),
            _ => string.Concat(word.AsSpan(0, i), "aeiou"[random.Next(5)].ToString(), word.AsSpan(i + 1)),
        };
    }
}
