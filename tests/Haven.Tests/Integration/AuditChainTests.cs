using Haven.Core.Audit;
using Haven.Tests.Infrastructure;
using Npgsql;

namespace Haven.Tests.Integration;

/// <summary>Any one change to the audit rows — edit, delete, insert, reorder — is detected and located.</summary>
public sealed class AuditChainTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        // Produce a chain of real events: sign-ins, record views and a listing.
        using var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, "sam.worker@demo.haven.test");
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<AuditVerification> VerifyAsync() => AuditVerifier.VerifyAsync(_factory.AppConnectionString);

    /// <summary>Tampering as the database superuser with triggers switched off: what an attacker with full access could do.</summary>
    private async Task TamperAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_factory.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET session_replication_role = replica; " + sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(_factory.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var result = await VerifyAsync();
        Assert.True(result.Intact, result.Message);
        Assert.True(result.EventsChecked >= 4);
    }

    [Fact]
    public async Task Editing_one_event_is_detected_at_that_event()
    {
        await TamperAsync("UPDATE audit_events SET purpose = 'nothing to see' WHERE seq = 3");
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSeq);
    }

    [Fact]
    public async Task Editing_an_event_and_recomputing_its_own_hash_is_detected_at_the_next_event()
    {
        await TamperAsync("UPDATE audit_events SET action = 'forged', hash = 'f' || substr(hash, 2) WHERE seq = 2");
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBrokenSeq);
    }

    [Fact]
    public async Task Deleting_an_event_in_the_middle_is_detected()
    {
        await TamperAsync("DELETE FROM audit_events WHERE seq = 2");
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBrokenSeq);
    }

    [Fact]
    public async Task Deleting_the_last_event_is_detected()
    {
        var count = await CountAsync();
        await TamperAsync($"DELETE FROM audit_events WHERE seq = {count}");
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(count, result.FirstBrokenSeq);
    }

    [Fact]
    public async Task Inserting_an_event_is_detected()
    {
        var count = await CountAsync();
        await TamperAsync($"""
            INSERT INTO audit_events (seq, occurred_at, action, prev_hash, hash)
            SELECT {count + 1}, now(), 'forged', hash, repeat('a', 64) FROM audit_events WHERE seq = {count}
            """);
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(count + 1, result.FirstBrokenSeq);
    }

    [Fact]
    public async Task Swapping_two_events_is_detected()
    {
        await TamperAsync("""
            UPDATE audit_events SET seq = -2 WHERE seq = 2;
            UPDATE audit_events SET seq = 2 WHERE seq = 3;
            UPDATE audit_events SET seq = 3 WHERE seq = -2;
            """);
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBrokenSeq);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET purpose = 'x' WHERE seq = 1")]
    [InlineData("DELETE FROM audit_events WHERE seq = 1")]
    [InlineData("TRUNCATE audit_events")]
    [InlineData("UPDATE audit_head SET last_seq = 0")]
    [InlineData("INSERT INTO audit_events (seq, occurred_at, action, prev_hash, hash) VALUES (999999, now(), 'forged', 'x', 'y')")]
    public async Task The_application_role_cannot_change_or_forge_audit_rows(string sql)
    {
        await using var connection = new NpgsqlConnection(_factory.AppConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Assert.Contains(error.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.SerializationFailure });
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Even_the_schema_owner_cannot_update_audit_rows_while_triggers_are_on()
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("UPDATE audit_events SET purpose = 'x' WHERE seq = 1", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_audit_verify_command_reports_the_first_broken_link()
    {
        await TamperAsync("UPDATE audit_events SET details = 'changed' WHERE seq = 2");
        var output = new StringWriter();
        var original = Console.Out;
        int exit;
        try
        {
            Console.SetOut(output);
            exit = await Haven.Web.HavenProgram.RunAsync(["audit", "verify", $"--ConnectionStrings:Haven={_factory.AppConnectionString}"]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(1, exit);
        Assert.Contains("First broken link: event 2", output.ToString(), StringComparison.Ordinal);
    }
}
