using Haven.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

[assembly: AssemblyFixture(typeof(Haven.Tests.Infrastructure.PostgresCluster))]

namespace Haven.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (Debian's server programs, Unix socket only).
/// A template database is migrated and filled with the demo data once; every test class gets its own copy.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string TemplateDatabase = "haven_template";
    private static int _counter;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"haven-tests-{Environment.ProcessId}");

    public EmbeddedPostgres Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Cluster = new EmbeddedPostgres(_root, NullLogger.Instance);
        await Cluster.StartAsync();
        await Cluster.CreateDatabaseAsync(TemplateDatabase);
        await new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(Cluster.OwnerConnectionString(TemplateDatabase), EmbeddedPostgres.AppRole);
        await using (var factory = new HavenFactory(this, TemplateDatabase))
        {
            await factory.SeedDemoAsync();
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh database copied from the migrated, seeded template.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"haven_test_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}"[..40];
        await Cluster.CreateDatabaseAsync(name, TemplateDatabase);
        return name;
    }

    /// <summary>A database with only the schema, for tests that build their own data.</summary>
    public async Task<string> NewEmptyMigratedDatabaseAsync()
    {
        var name = $"haven_empty_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}"[..40];
        await Cluster.CreateDatabaseAsync(name);
        await new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(Cluster.OwnerConnectionString(name), EmbeddedPostgres.AppRole);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
