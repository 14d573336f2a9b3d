using Haven.Core.Data;
using Haven.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Haven.Tests.Integration;

public sealed class DatabaseTests(PostgresCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task The_embedded_cluster_listens_on_a_unix_socket_only()
    {
        Assert.Equal(string.Empty, await ScalarAsync(cluster.Cluster.SuperuserConnectionString(), "SHOW listen_addresses"));
        Assert.Equal(cluster.Cluster.SocketDirectory, await ScalarAsync(cluster.Cluster.SuperuserConnectionString(), "SHOW unix_socket_directories"));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_existing_data()
    {
        var database = await cluster.NewDatabaseAsync();
        var owner = cluster.Cluster.OwnerConnectionString(database);
        var before = await ScalarAsync(owner, "SELECT count(*) FROM users");
        var applied = await new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(owner, EmbeddedPostgres.AppRole, Ct);
        Assert.Empty(applied);
        Assert.Equal(before, await ScalarAsync(owner, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task A_changed_migration_is_refused_because_migrations_are_forward_only()
    {
        var database = await cluster.NewEmptyMigratedDatabaseAsync();
        var owner = cluster.Cluster.OwnerConnectionString(database);
        await ScalarAsync(owner, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(owner, EmbeddedPostgres.AppRole, Ct));
        Assert.Contains("forward-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_a_newer_haven_is_refused()
    {
        var database = await cluster.NewEmptyMigratedDatabaseAsync();
        var owner = cluster.Cluster.OwnerConnectionString(database);
        await ScalarAsync(owner, "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(owner, EmbeddedPostgres.AppRole, Ct));
        Assert.Contains("newer than this version of Haven", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_role_cannot_change_the_schema()
    {
        var database = await cluster.NewDatabaseAsync();
        await using var connection = new NpgsqlConnection(cluster.Cluster.AppConnectionString(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("DROP TABLE people", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }
}
