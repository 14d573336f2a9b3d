using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Haven.Core.Audit;
using Haven.Core.Cpis;
using Haven.Core.Data;
using Haven.Core.Keys;
using Npgsql;

/// <summary>
/// CP-IS lookup benchmark. Loads N children on child protection plans or looked after (set-based SQL), starts Haven as
/// its own process (Kestrel on loopback, production settings, background jobs on), registers a client with a high rate
/// limit, then with wrk measures the sustained throughput and p50/p99 of (a) the real lookup, which durably records an
/// audit event and an access notification before each answer, beside (b) a minimal endpoint in the same host that only
/// runs the single-statement list lookup. Then an open-loop run at a fixed rate (1,000 lookups/s) measures p50/p99 at
/// that load, and the audit events and notifications are counted against the answers given.
/// </summary>
internal static partial class CpisBench
{
    private const int Connections = 64;
    private const int Seconds = 20;
    private const int FixedRate = 1000;

    public static async Task RunAsync(EmbeddedPostgres cluster, int children)
    {
        var owner = new NpgsqlConnectionStringBuilder(cluster.OwnerConnectionString()) { CommandTimeout = 0 }.ConnectionString;
        Console.WriteLine($"Loading {children:N0} children on the CP-IS list ...");
        var load = Stopwatch.StartNew();
        var (client, token) = await LoadAsync(owner, children);
        Console.WriteLine($"Loaded in {load.Elapsed.TotalSeconds:F0} s");

        var work = Path.Combine(Path.GetTempPath(), $"haven-cpis-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var numbers = Path.Combine(work, "numbers.txt");
        await WriteNumbersAsync(owner, numbers);
        var script = Path.Combine(work, "lookup.lua");
        await File.WriteAllTextAsync(script, LuaScript(numbers, token));
        var minimalScript = Path.Combine(work, "minimal.lua");
        await File.WriteAllTextAsync(minimalScript, LuaScript(numbers, null));

        var results = new List<string>();
        foreach (var maxGroup in new[] { 512, 1 })
        {
            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            using var haven = StartHaven(cluster, baseUrl, maxGroup, Path.Combine(work, $"haven-{maxGroup}.log"));
            try
            {
                await WaitReadyAsync(baseUrl);
                var label = maxGroup == 1 ? "one transaction per lookup" : "group commit";
                Console.WriteLine($"Haven is running at {baseUrl} ({label}). Warming up ...");
                await RunWrkAsync(script, baseUrl + "/api/v1/cpis/lookups", 5);
                await RunWrkAsync(minimalScript, baseUrl + "/bench/cpis-minimal", 5);

                var auditBefore = await CountAsync(owner, "SELECT count(*) FROM audit_events WHERE action = 'cpis.lookup'");
                var real = await RunWrkAsync(script, baseUrl + "/api/v1/cpis/lookups", Seconds);
                var minimal = await RunWrkAsync(minimalScript, baseUrl + "/bench/cpis-minimal", Seconds);
                var fixedRate = maxGroup == 1 ? null : await OpenLoopAsync(baseUrl, token, numbers, FixedRate, 15);
                var auditAfter = await CountAsync(owner, "SELECT count(*) FROM audit_events WHERE action = 'cpis.lookup'");

                var ratio = real.RequestsPerSecond / minimal.RequestsPerSecond;
                Console.WriteLine();
                Console.WriteLine($"== {label} ({Connections} connections, {Seconds} s each, wrk and Haven sharing the machine's cores) ==");
                Console.WriteLine(Line("real lookup (auth, audit, notification)", real));
                Console.WriteLine(Line("minimal endpoint (single-row lookup only)", minimal));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput ratio real/minimal: {ratio:P0}  (goal at least 50%: {(ratio >= 0.5 ? "met" : "NOT met")})"));
                if (fixedRate is not null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  fixed rate {FixedRate:N0}/s for 15 s: {fixedRate.Sent:N0} sent, {fixedRate.Answered:N0} answered, {fixedRate.Errors:N0} errors, achieved {fixedRate.AchievedRate:N0}/s, p50 {fixedRate.P50:F1} ms, p99 {fixedRate.P99:F1} ms  (goal p99 <= 20 ms: {(fixedRate.P99 <= 20 ? "met" : "NOT met")})"));
                }

                var answered = real.Requests + (fixedRate?.Answered ?? 0);
                var recorded = auditAfter - auditBefore;
                Console.WriteLine($"  lookups answered in the measured runs: {answered:N0}; audit events recorded: {recorded:N0} ({(recorded >= answered ? "every answer has its audit event" : "MISSING audit events")}; wrk socket errors/timeouts: {real.Errors:N0})");
                results.Add($"{label}: real {real.RequestsPerSecond:N0}/s p50 {real.P50} p99 {real.P99}; minimal {minimal.RequestsPerSecond:N0}/s p50 {minimal.P50} p99 {minimal.P99}; ratio {ratio:P0}"
                    + (fixedRate is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; at {FixedRate}/s p50 {fixedRate.P50:F1} ms p99 {fixedRate.P99:F1} ms")));
            }
            finally
            {
                haven.Kill(entireProcessTree: true);
                await haven.WaitForExitAsync();
            }
        }

        var lookups = await CountAsync(owner, "SELECT count(*) FROM audit_events WHERE action = 'cpis.lookup'");
        var accessLookups = await CountAsync(owner, "SELECT count(DISTINCT lookup_id) FROM cpis_accesses");
        var notifications = await CountAsync(owner, "SELECT count(*) FROM cpis_accesses WHERE person_id IS NOT NULL");
        var listedAudits = await CountAsync(owner, "SELECT count(*) FROM audit_events WHERE action = 'cpis.lookup' AND cardinality(person_ids) > 0");
        var chain = await AuditVerifier.VerifyAsync(cluster.AppConnectionString());
        Console.WriteLine();
        Console.WriteLine($"Whole run: {lookups:N0} lookup audit events, {accessLookups:N0} lookups with access rows ({(lookups == accessLookups ? "equal" : "NOT equal")}), "
            + $"{notifications:N0} notifications for {listedAudits:N0} listed lookups ({(notifications == listedAudits ? "equal" : "NOT equal")}). Audit chain: {chain.Message}");
        Console.WriteLine();
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }

        Directory.Delete(work, recursive: true);
    }

    private static string Line(string name, WrkResult r) => string.Create(CultureInfo.InvariantCulture,
        $"  {name,-44} {r.RequestsPerSecond,8:N0} lookups/s   p50 {r.P50,9}   p99 {r.P99,9}   ({r.Requests:N0} requests, {r.Non2xx:N0} not on the list)");

    private static async Task<(Guid Client, string Token)> LoadAsync(string owner, int children)
    {
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        var organisation = Guid.NewGuid();
        var team = Guid.NewGuid();
        var (secret, hash) = CpisCredentials.NewSecret();
        var client = Guid.NewGuid();
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO organisations (id, name, short_name) VALUES (@org, 'Benchmark Borough Council', 'bench');
            INSERT INTO teams (id, organisation_id, name) VALUES (@team, @org, 'Child protection team');
            INSERT INTO cpis_authorities (organisation_id, display_name, office_hours_phone, emergency_duty_phone, updated_at)
            VALUES (@org, 'Benchmark Borough Council', '020 7946 0101', '020 7946 0199', now());
            INSERT INTO cpis_clients (id, name, setting_type, ods_code, scopes, rate_limit_per_minute, secret_hash, created_at)
            VALUES (@client, 'Benchmark emergency department', 'emergency_department', 'BENCH1', ARRAY['cpis.lookup','cpis.concern'], 1000000, @hash, now());
            """, connection))
        {
            command.Parameters.AddWithValue("org", organisation);
            command.Parameters.AddWithValue("team", team);
            command.Parameters.AddWithValue("client", client);
            command.Parameters.AddWithValue("hash", hash);
            await command.ExecuteNonQueryAsync();
        }

        // NHS numbers from the 999 range (never issued), with valid check digits, computed in SQL. The first N valid
        // numbers go to listed children (4 in 5 on a child protection plan, 1 in 5 looked after); the next ones are
        // kept unused for the "not on the list" lookups.
        await using (var command = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE numbers AS
            SELECT row_number() OVER (ORDER BY i) AS n, f || (CASE WHEN r = 11 THEN 0 ELSE r END)::text AS nhs
            FROM (SELECT i, f, 11 - ((substr(f,1,1)::int*10 + substr(f,2,1)::int*9 + substr(f,3,1)::int*8 + substr(f,4,1)::int*7 + substr(f,5,1)::int*6
                      + substr(f,6,1)::int*5 + substr(f,7,1)::int*4 + substr(f,8,1)::int*3 + substr(f,9,1)::int*2) % 11) AS r
                  FROM (SELECT i, '999' || lpad(i::text, 6, '0') AS f FROM generate_series(1, 999999) AS i) s) c
            WHERE r <> 10;
            INSERT INTO people (id, organisation_id, owning_team_id, given_name, family_name, date_of_birth, person_type, nhs_number, created_at)
            SELECT gen_random_uuid(), @org, @team, 'Child', 'Bench ' || n, current_date - (365 + (n % 5000))::int, 'child', nhs, now()
            FROM numbers WHERE n <= @children;
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, category_of_abuse, legal_status, source, created_at)
            SELECT gen_random_uuid(), @org, p.id, CASE WHEN x.n % 5 = 0 THEN 'looked_after' ELSE 'child_protection' END, current_date - (x.n % 700)::int,
                   CASE WHEN x.n % 5 = 0 THEN NULL ELSE 'NEG' END, CASE WHEN x.n % 5 = 0 THEN 'C2' ELSE NULL END, 'other_agency', now()
            FROM people p JOIN numbers x ON x.nhs = p.nhs_number
            WHERE p.organisation_id = @org;
            CREATE TABLE bench_numbers AS SELECT nhs, n <= @children AS listed FROM numbers WHERE n <= @children + @children / 9;
            """, connection)
        { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue("org", organisation);
            command.Parameters.AddWithValue("team", team);
            command.Parameters.AddWithValue("children", children);
            await command.ExecuteNonQueryAsync();
        }

        foreach (var table in new[] { "people", "involvements" })
        {
            await using var analyse = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection) { CommandTimeout = 0 };
            await analyse.ExecuteNonQueryAsync();
        }

        return (client, CpisCredentials.Token(client, secret));
    }

    /// <summary>About 90% listed numbers and 10% valid numbers that nobody in Haven has, in random order.</summary>
    private static async Task WriteNumbersAsync(string owner, string path)
    {
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT nhs FROM bench_numbers ORDER BY random()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await using var writer = new StreamWriter(path);
        while (await reader.ReadAsync())
        {
            await writer.WriteLineAsync(reader.GetString(0));
        }
    }

    private static string LuaScript(string numbersFile, string? token) =>
        $$"""
        local numbers = {}
        for line in io.lines("{{numbersFile}}") do numbers[#numbers + 1] = line end
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        {{(token is null ? "" : $"wrk.headers[\"Authorization\"] = \"Bearer {token}\"")}}
        math.randomseed(os.time())
        request = function()
          local body = '{"nhsNumber":"' .. numbers[math.random(#numbers)] .. '","clinicianRole":"Emergency department nurse"}'
          return wrk.format(nil, nil, nil, body)
        end
        """;

    private static Process StartHaven(EmbeddedPostgres cluster, string url, int maxGroup, string log)
    {
        var root = AppContext.BaseDirectory;
        var dll = Path.GetFullPath(Path.Combine(root, "../../../../../src/Haven.Web/bin/Release/net10.0/Haven.Web.dll"));
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec dotnet \"$0\" serve \"$@\" > \"" + log + "\" 2>&1");
        info.ArgumentList.Add(dll);
        foreach (var argument in new[]
        {
            "--urls=" + url,
            "--ConnectionStrings:Haven=" + cluster.AppConnectionString(),
            "--ConnectionStrings:HavenMigrations=" + cluster.OwnerConnectionString(),
            "--Haven:Database:AppRole=" + EmbeddedPostgres.AppRole,
            "--" + MasterKey.ConfigurationKey + "=" + cluster.MasterKey(),
            "--Haven:Bench:MinimalCpisEndpoint=true",
            "--Haven:Cpis:MaxGroup=" + maxGroup.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Haven did not start");
    }

    private static async Task WaitReadyAsync(string baseUrl)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var response = await http.GetAsync(baseUrl + "/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("Haven did not become ready in 60 seconds");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<long> CountAsync(string owner, string sql)
    {
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private sealed record WrkResult(double RequestsPerSecond, long Requests, long Non2xx, long Errors, string P50, string P99);

    private static async Task<WrkResult> RunWrkAsync(string script, string url, int seconds)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t2", $"-c{Connections}", $"-d{seconds}s", "--latency", "-s", script, url })
        {
            info.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = double.Parse(RpsPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(RequestsPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonPattern().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = ErrorsPattern().Match(output) is { Success: true } e
            ? e.Groups[1].Value.Split(',').Sum(part => long.Parse(part.Trim().Split(' ')[1], CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(rps, requests, non2xx, errors, Percentile(output, "50"), Percentile(output, "99"));
    }

    private static string Percentile(string output, string percent) =>
        Regex.Match(output, @"^\s+" + percent + @"(?:\.000)?%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RpsPattern();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonPattern();

    [GeneratedRegex(@"Socket errors:\s+(.+)")]
    private static partial Regex ErrorsPattern();

    private sealed record OpenLoopResult(long Sent, long Answered, long Errors, double AchievedRate, double P50, double P99);

    /// <summary>
    /// Open loop: sends at a fixed rate whatever the answers do, and measures each answer from when its request was
    /// due (not from when it was sent), so a stall is not hidden by sending less.
    /// </summary>
    private static async Task<OpenLoopResult> OpenLoopAsync(string baseUrl, string token, string numbersFile, int rate, int seconds)
    {
        var numbers = await File.ReadAllLinesAsync(numbersFile);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var total = rate * seconds;
        var latencies = new double[total];
        var answered = 0L;
        var errors = 0L;
        var random = new Random(7);
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            var number = numbers[random.Next(numbers.Length)];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/v1/cpis/lookups", new { nhsNumber = number, clinicianRole = "Emergency department nurse" });
                    await response.Content.ReadAsByteArrayAsync();
                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                    if ((int)response.StatusCode is 200 or 404)
                    {
                        Interlocked.Increment(ref answered);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    latencies[index] = double.MaxValue;
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new OpenLoopResult(total, answered, errors, total / elapsed, latencies[(int)(total * 0.50)], latencies[(int)(total * 0.99)]);
    }
}
