using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Haven.Core.Data;

/// <summary>
/// A private PostgreSQL cluster under Haven's data folder: Debian's server programs, run as the
/// <c>postgres</c> user when Haven runs as root, listening on a Unix socket only (no TCP port),
/// with generated passwords kept in files only the owner can read.
/// </summary>
public sealed class EmbeddedPostgres(string dataDirectory, ILogger logger, string? binDirectory = null) : IAsyncDisposable
{
    public const string DatabaseName = "haven";
    public const string OwnerRole = "haven_owner";
    public const string AppRole = "haven_app";

    private readonly string _root = Path.GetFullPath(dataDirectory);
    private bool _started;

    public string ClusterDirectory => Path.Combine(_root, "postgres");
    public string SocketDirectory => Path.Combine(_root, "run");
    private string SecretsDirectory => Path.Combine(_root, "secrets");
    private string LogFile => Path.Combine(_root, "postgres.log");
    private static bool RunningAsRoot => Environment.UserName == "root";

    public string AppConnectionString(string database = DatabaseName) => Build(AppRole, ReadSecret(AppRole), database);
    public string OwnerConnectionString(string database = DatabaseName) => Build(OwnerRole, ReadSecret(OwnerRole), database);
    public string SuperuserConnectionString(string database = "postgres") => Build("postgres", ReadSecret("postgres"), database);

    /// <summary>The embedded default's master key, kept beside the cluster but outside the database (secrets/master-key, mode 0600).</summary>
    public string MasterKey()
    {
        var path = Path.Combine(SecretsDirectory, "master-key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Keys.MasterKey.Generate());
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return File.ReadAllText(path).Trim();
    }

    private string Build(string user, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Username = user,
        Password = password,
        Database = database,
        Pooling = true,
        MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>Initialises the cluster on first use, starts it, and makes sure the Haven roles and database exist.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = binDirectory ?? FindBinDirectory();
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(SecretsDirectory);
        File.SetUnixFileMode(SecretsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        EnsureSecret("postgres");
        EnsureSecret(OwnerRole);
        EnsureSecret(AppRole);

        if (RunningAsRoot)
        {
            await CheckPostgresCanReachAsync(cancellationToken);
        }

        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            await InitialiseAsync(bin, cancellationToken);
        }

        Directory.CreateDirectory(SocketDirectory);
        await ChownAsync(SocketDirectory, cancellationToken);
        File.SetUnixFileMode(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var status = await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["status", "-D", ClusterDirectory], cancellationToken, throwOnError: false);
        if (status.ExitCode != 0)
        {
            if (!File.Exists(LogFile))
            {
                await File.WriteAllTextAsync(LogFile, string.Empty, cancellationToken);
            }

            await ChownAsync(LogFile, cancellationToken);
            var options = $"-c listen_addresses='' -c unix_socket_directories='{SocketDirectory}' -c unix_socket_permissions=0700 -c max_connections=200";
            await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"),
                ["start", "-D", ClusterDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options], cancellationToken);
            logger.LogInformation("Started the embedded PostgreSQL cluster");
        }
        else
        {
            logger.LogInformation("The embedded PostgreSQL cluster is already running; reusing it");
        }

        _started = true;
        await EnsureRolesAndDatabaseAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        NpgsqlConnection.ClearAllPools();
        var bin = binDirectory ?? FindBinDirectory();
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None, throwOnError: false);
        logger.LogInformation("Stopped the embedded PostgreSQL cluster");
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Creates a database owned by the Haven owner role, optionally copied from a template (used by the test harness).</summary>
    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(SuperuserConnectionString());
        await connection.OpenAsync(cancellationToken);
        var sql = $"CREATE DATABASE \"{name}\" OWNER {OwnerRole}" + (template is null ? string.Empty : $" TEMPLATE \"{template}\"");
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InitialiseAsync(string bin, CancellationToken cancellationToken)
    {
        logger.LogInformation("Initialising a new embedded PostgreSQL cluster");
        Directory.CreateDirectory(ClusterDirectory);
        await ChownAsync(ClusterDirectory, cancellationToken);
        File.SetUnixFileMode(ClusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // initdb reads the superuser password from a file the postgres user can read; it is removed straight after.
        var passwordFile = Path.Combine(_root, $".initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, ReadSecret("postgres"), cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await ChownAsync(passwordFile, cancellationToken);
        try
        {
            await RunAsPostgresAsync(Path.Combine(bin, "initdb"),
                ["-D", ClusterDirectory, "-U", "postgres", "--pwfile", passwordFile, "--auth-local=scram-sha-256",
                    "--auth-host=reject", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"], cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task EnsureRolesAndDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(SuperuserConnectionString());
        await connection.OpenAsync(cancellationToken);
        foreach (var role in new[] { OwnerRole, AppRole })
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @r", connection);
            exists.Parameters.AddWithValue("r", role);
            var verb = await exists.ExecuteScalarAsync(cancellationToken) is null ? "CREATE" : "ALTER";
            // Role names are constants and the password is generated hex, so this text is safe to build.
            await using var command = new NpgsqlCommand($"{verb} ROLE {role} LOGIN PASSWORD '{ReadSecret(role)}'", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var dbExists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @d", connection);
        dbExists.Parameters.AddWithValue("d", DatabaseName);
        if (await dbExists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName} OWNER {OwnerRole}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private void EnsureSecret(string role)
    {
        var path = Path.Combine(SecretsDirectory, role);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private string ReadSecret(string role) => File.ReadAllText(Path.Combine(SecretsDirectory, role)).Trim();

    private async Task CheckPostgresCanReachAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsPostgresAsync("/usr/bin/test", ["-x", _root], cancellationToken, throwOnError: false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The postgres user cannot reach the data folder {_root}. Choose a folder every user can traverse (for example /var/lib/haven) with Haven__Database__DataDirectory.");
        }
    }

    public static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.dir, "initdb")))
                .OrderByDescending(c => c.version)
                .Select(c => c.dir)
                .ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL's server programs were not found under /usr/lib/postgresql. Install the Debian package 'postgresql' (./run.sh does this).");
    }

    private static async Task ChownAsync(string path, CancellationToken cancellationToken)
    {
        if (RunningAsRoot)
        {
            await RunAsync("/bin/chown", ["postgres:postgres", path], cancellationToken);
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsPostgresAsync(string program, string[] arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        return RunningAsRoot
            ? RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", program, .. arguments], cancellationToken, throwOnError)
            : RunAsync(program, arguments, cancellationToken, throwOnError);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout) + (await stderr);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(2))} failed (exit {process.ExitCode}): {output.Trim()}");
        }

        return (process.ExitCode, output);
    }
}
