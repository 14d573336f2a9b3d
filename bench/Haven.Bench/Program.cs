using System.Diagnostics;
using System.Globalization;
using Haven.Core.Data;
using Haven.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

// Person search benchmark: loads N synthetic people into a private PostgreSQL cluster, then searches for known people
// with generated typos, nicknames, sound-alike spellings and swapped names. Prints p50/p95 server-side times, recall,
// and the time of the bare SQL underneath as a ratio.
// Usage: search [people] [queries]   |   timeline [notes] [requests]
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
    private static readonly string[] Given =
    [
        "Oliver", "George", "Arthur", "Noah", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Theo",
        "Alfie", "Jacob", "Thomas", "Finley", "Arlo", "William", "Lucas", "Roman", "Tommy", "Isaac", "Teddy", "Alexander", "Luca", "Edward", "James",
        "Joshua", "Albie", "Elijah", "Max", "Mohammed", "Reuben", "Mason", "Sebastian", "Rory", "Jude", "Louie", "Benjamin", "Ethan", "Adam", "Hugo",
        "Joseph", "Reggie", "Ronnie", "Louis", "Frankie", "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie",
        "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper",
        "Millie", "Matilda", "Maya", "Sophie", "Alice", "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila", "Bonnie", "Eva",
        "Hallie", "Scarlett", "Layla", "Violet", "Nancy", "Aisha", "Fatima", "Zara", "Amara", "Chloe", "Jessica", "Hannah", "Katie", "Lauren", "Megan",
        "Rebecca", "Samantha", "Bethany", "Danielle", "Kayleigh", "Jordan", "Connor", "Kyle", "Liam", "Callum", "Reece", "Bradley", "Jake", "Lewis", "Ryan",
        "Aleksander", "Kacper", "Zuzanna", "Oluwaseun", "Chidi", "Adebayo", "Priya", "Arjun", "Rohan", "Ananya", "Ayesha", "Bilal", "Hamza", "Yusuf",
        "Mariam", "Siobhan", "Ciaran", "Niamh", "Aoife", "Eilidh", "Catherine", "Katherine", "Elizabeth", "Margaret", "Robert", "Stephen", "Steven",
    ];

    private static readonly string[] Family =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright",
        "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper",
        "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
        "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
        "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster",
        "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
        "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
        "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford",
        "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts",
        "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster",
        "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins",
        "Nowak", "Kowalski", "Wiśniewski", "Okafor", "Adeyemi", "Mensah", "Osei", "Nguyen", "Chen", "Wang", "Rahman", "Chowdhury", "Mahmood", "Iqbal",
        "Brennan", "Whitfield", "Achebe", "Fernandes", "Novak", "Moreau", "Haddad", "Kowalczyk", "Lindqvist", "Castellano", "Oyelaran", "Raman",
    ];

    public static async Task<List<KnownPerson>> LoadAsync(string connectionString, int count, Random random)
    {
        var known = new List<KnownPerson>(capacity: 5000);
        var organisation = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var org = new NpgsqlCommand("INSERT INTO organisations (id, name, short_name) VALUES (@i, 'Benchmark council', 'bench')", connection))
        {
            org.Parameters.AddWithValue("i", organisation);
            await org.ExecuteNonQueryAsync();
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY people (id, organisation_id, person_type, given_name, family_name, date_of_birth, nhs_number, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid();
                var given = Given[random.Next(Given.Length)];
                var family = Family[random.Next(Family.Length)];
                if (random.Next(3) == 0)
                {
                    family += "-" + Family[random.Next(Family.Length)];
                }

                var dob = today.AddDays(-random.Next(0, 365 * 60));
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(organisation, NpgsqlDbType.Uuid);
                await writer.WriteAsync(random.Next(4) == 0 ? "adult" : "child", NpgsqlDbType.Text);
                await writer.WriteAsync(given, NpgsqlDbType.Text);
                await writer.WriteAsync(family, NpgsqlDbType.Text);
                await writer.WriteAsync(dob, NpgsqlDbType.Date);
                await writer.WriteAsync(Haven.Core.Demo.DemoSeeder.DemoNhsNumber(i + 1), NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                if (known.Count < 5000 && random.Next(Math.Max(1, count / 5000)) == 0)
                {
                    known.Add(new KnownPerson(id, given, family, dob));
                }
            }

            await writer.CompleteAsync();
        }

        return known;
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
