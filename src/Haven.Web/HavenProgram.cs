using System.Globalization;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Demo;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Web;

/// <summary>
/// One program, several commands: <c>serve</c> (the default), <c>migrate</c>, <c>seed-demo</c>,
/// <c>audit verify</c> and <c>totp-code KEY</c>.
/// </summary>
public static class HavenProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = command == "serve" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args.Skip(1).ToArray();

        if (command == "totp-code")
        {
            // A stand-in authenticator for the demo accounts: prints the current code for a base32 key.
            if (rest.Length != 1)
            {
                await Console.Error.WriteLineAsync("usage: haven totp-code BASE32KEY");
                return 2;
            }

            Console.WriteLine(Totp.Code(Totp.FromBase32(rest[0]), Totp.StepAt(DateTimeOffset.UtcNow)));
            return 0;
        }

        if (command == "register" && rest.Length > 0 && rest[0] == "check")
        {
            // Checks register files without a database: every problem with its file and line.
            return await RegisterCheckAsync(rest.Skip(1).ToArray());
        }

        if (command is not ("serve" or "migrate" or "seed-demo" or "audit" or "keys" or "register" or "retention"))
        {
            await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: serve, migrate, seed-demo, audit verify, keys rewrap, register check|import FILE..., retention run [--dry-run] [--as-of DATE], totp-code KEY");
            return 2;
        }

        // The host reads only --key=value configuration. Register files and the reason are the command's own: an
        // absolute file path would otherwise be read as a configuration key that swallows the option after it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = command == "register" ? RegisterHostArguments(rest) : rest });
        var embedded = await HavenStartup.PrepareDatabaseAsync(builder);
        try
        {
            HavenStartup.ConfigureServices(builder);
            var app = builder.Build();
            switch (command)
            {
                case "migrate":
                    await HavenStartup.MigrateAsync(app.Services);
                    Console.WriteLine("Database is up to date.");
                    return 0;
                case "seed-demo":
                    await HavenStartup.MigrateAsync(app.Services);
                    try
                    {
                        return await SeedDemoAsync(app.Services, rest);
                    }
                    catch (ArgumentException exception)
                    {
                        await Console.Error.WriteLineAsync(exception.Message);
                        return 2;
                    }
                case "audit":
                    if (rest.Length == 0 || rest[0] != "verify")
                    {
                        await Console.Error.WriteLineAsync("usage: haven audit verify");
                        return 2;
                    }

                    var result = await AuditVerifier.VerifyAsync(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!);
                    Console.WriteLine(result.Message);
                    if (!result.Intact)
                    {
                        Console.WriteLine($"First broken link: event {result.FirstBrokenSeq}");
                    }

                    return result.Intact ? 0 : 1;
                case "keys":
                    if (rest.Length == 0 || rest[0] != "rewrap")
                    {
                        await Console.Error.WriteLineAsync("usage: haven keys rewrap   (after setting Haven:Keys:MasterKey to the new key and Haven:Keys:PreviousMasterKeys to the old one)");
                        return 2;
                    }

                    var rewrapped = await Haven.Core.Keys.FieldCipher.RewrapAllAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), app.Services.GetRequiredService<Haven.Core.Keys.MasterKey>());
                    Console.WriteLine($"Re-wrapped {rewrapped} keys with the current master key. Remove the old key from Haven:Keys:PreviousMasterKeys once every instance runs with the new one.");
                    return 0;
                case "retention":
                    await HavenStartup.MigrateAsync(app.Services);
                    return await RetentionRunAsync(app.Services, rest);
                case "register":
                    await HavenStartup.MigrateAsync(app.Services);
                    return await RegisterImportAsync(app.Services, rest);
                default:
                    if (embedded is not null || app.Configuration.GetValue("Haven:Database:MigrateOnStartup", false))
                    {
                        await HavenStartup.MigrateAsync(app.Services);
                    }

                    HavenStartup.ConfigurePipeline(app);
                    await app.RunAsync();
                    return 0;
            }
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.StopAsync();
            }
        }
    }

    private const string RegisterUsage = "usage: haven register check FILE...\n       haven register import FILE... --reason \"why the register is changing\"";

    private static async Task<int> RegisterCheckAsync(string[] files)
    {
        if (files.Length == 0)
        {
            await Console.Error.WriteLineAsync(RegisterUsage);
            return 2;
        }

        var loaded = await ReadRegisterFilesAsync(files);
        if (loaded is null)
        {
            return 2;
        }

        var errors = RegisterService.Check(loaded);
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync(error.ToString());
        }

        Console.WriteLine(errors.Count == 0 ? $"{files.Length} file(s) checked: no problems." : $"{errors.Count} problem(s) found.");
        return errors.Count == 0 ? 0 : 1;
    }

    private static string[] RegisterHostArguments(string[] options)
    {
        var reasonAt = Array.IndexOf(options, "--reason");
        return options.Where((option, i) => (reasonAt < 0 || (i != reasonAt && i != reasonAt + 1)) && option.StartsWith("--", StringComparison.Ordinal)).ToArray();
    }

    private static async Task<int> RegisterImportAsync(IServiceProvider services, string[] options)
    {
        if (options.Length == 0 || options[0] != "import")
        {
            await Console.Error.WriteLineAsync(RegisterUsage);
            return 2;
        }

        var reasonAt = Array.IndexOf(options, "--reason");
        var reason = reasonAt > 0 && reasonAt + 1 < options.Length ? options[reasonAt + 1] : null;
        // Arguments like --ConnectionStrings:Haven=... are configuration for the host, as for the other commands, not files.
        var files = options.Skip(1).Where((_, i) => reasonAt < 0 || (i + 1 != reasonAt && i + 1 != reasonAt + 1))
            .Where(option => !option.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (files.Length == 0 || reason is null)
        {
            await Console.Error.WriteLineAsync(RegisterUsage);
            return 2;
        }

        var loaded = await ReadRegisterFilesAsync(files);
        if (loaded is null)
        {
            return 2;
        }

        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegisterService>().ImportAsync(loaded, reason, null, "command line (" + Environment.UserName + ")");
        foreach (var error in result.Errors)
        {
            await Console.Error.WriteLineAsync(error.ToString());
        }

        foreach (var version in result.Versions)
        {
            Console.WriteLine($"{version.OrganisationName}: version {version.Version}, in force from {version.EffectiveFrom:d MMMM yyyy}");
        }

        Console.WriteLine(result.Imported ? "Imported." : $"Nothing imported: {result.Errors.Count} problem(s).");
        return result.Imported ? 0 : 1;
    }

    private static async Task<List<RegisterFile>?> ReadRegisterFilesAsync(string[] files)
    {
        var loaded = new List<RegisterFile>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                await Console.Error.WriteLineAsync($"{file}: no such file");
                return null;
            }

            loaded.Add(new RegisterFile(Path.GetFileName(file), await File.ReadAllTextAsync(file)));
        }

        return loaded;
    }

    private static async Task<int> RetentionRunAsync(IServiceProvider services, string[] options)
    {
        const string usage = "usage: haven retention run [--dry-run] [--as-of YYYY-MM-DD]";
        if (options.Length == 0 || options[0] != "run")
        {
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        var dryRun = options.Contains("--dry-run");
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        if (OptionText(options, "--as-of") is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            await Console.Error.WriteLineAsync($"--as-of must be a date written as YYYY-MM-DD, not '{text}'");
            return 2;
        }

        if (!dryRun && asOf > DateOnly.FromDateTime(DateTime.UtcNow))
        {
            await Console.Error.WriteLineAsync("A real run cannot be dated in the future: that would dispose of records before they are due. Add --dry-run to see what a future date would do.");
            return 2;
        }

        using var scope = services.CreateScope();
        var summary = await scope.ServiceProvider.GetRequiredService<Haven.Core.Retention.RetentionEngine>()
            .RunAsync(asOf, dryRun, "command line (" + Environment.UserName + ")");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Retention run {summary.RunId} as of {asOf:yyyy-MM-dd}{(dryRun ? " (dry run: nothing changed)" : "")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {summary.Evaluated:N0} records evaluated, {summary.Due:N0} due, {summary.Held:N0} held by a legal hold"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {summary.ReviewsQueued:N0} reviews queued, {summary.Destroyed:N0} destroyed, {summary.Anonymised:N0} anonymised"));
        foreach (var (organisation, recordType, rule, outcome, count) in summary.Breakdown)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {organisation,-10} {recordType,-24} {rule,-24} {outcome,-22} {count,8:N0}"));
        }

        return 0;
    }

    private static string? OptionText(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, string[] options)
    {
        using var scope = services.CreateScope();
        var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        Console.WriteLine(seeded ? "Demo data created." : "Demo data already present; nothing changed.");
        var people = OptionValue(options, "--people");
        var notes = OptionValue(options, "--notes-per-person");
        if (people is null && notes is not null)
        {
            await Console.Error.WriteLineAsync("--notes-per-person needs --people");
            return 2;
        }

        if (people is not null)
        {
            // Volume for benchmarks and load tests: synthetic people in Achieving for Children, on nobody's caseload.
            var db = scope.ServiceProvider.GetRequiredService<HavenDbContext>();
            var organisation = await db.Organisations.Where(o => o.ShortName == "afc").Select(o => o.Id).SingleAsync();
            var author = await db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync();
            var existing = await db.People.CountAsync();
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            await using var connection = new Npgsql.NpgsqlConnection(database.MigrationConnectionString);
            await connection.OpenAsync();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await VolumeGenerator.GenerateAsync(connection, organisation, author, people.Value, notes ?? 0, new Random(), serialOffset: existing + 1000);
            Console.WriteLine($"Added {people.Value:N0} synthetic people and {(long)people.Value * (notes ?? 0):N0} case notes in {watch.Elapsed.TotalSeconds:F0} s.");
        }

        Console.WriteLine();
        Console.WriteLine("Demo sign-ins (password for every account: " + DemoSeeder.DemoPassword + "):");
        foreach (var account in DemoSeeder.Accounts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {account.Email,-34} {account.Description}"));
        }

        Console.WriteLine();
        Console.WriteLine($"Two-factor key for the DPO and administrator: {DemoSeeder.DemoTotpKey}");
        Console.WriteLine("  Add it to an authenticator app, or get the current code with: ./haven.sh totp-code " + DemoSeeder.DemoTotpKey);
        return 0;
    }

    private static int? OptionValue(string[] options, string name)
    {
        var index = Array.IndexOf(options, name);
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= options.Length || !int.TryParse(options[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 50_000_000)
        {
            throw new ArgumentException($"{name} needs a whole number from 0 to 50,000,000");
        }

        return value;
    }
}
