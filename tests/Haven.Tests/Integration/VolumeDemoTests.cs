using Haven.Core.CaseWork;
using Haven.Core.Keys;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

public sealed class VolumeDemoTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_demo_command_adds_large_volumes_of_synthetic_people_and_case_notes()
    {
        var people = await _factory.WithDbAsync(db => db.People.CountAsync());
        var withoutTeam = await _factory.WithDbAsync(db => db.People.CountAsync(p => p.OwningTeamId == null));
        var notes = await _factory.WithDbAsync(db => db.Set<CaseNote>().CountAsync());
        var exit = await Haven.Web.HavenProgram.RunAsync(
        [
            "seed-demo", "--people", "500", "--notes-per-person", "3",
            $"--ConnectionStrings:Haven={_factory.AppConnectionString}",
            $"--ConnectionStrings:HavenMigrations={_factory.OwnerConnectionString}",
            $"--{MasterKey.ConfigurationKey}={HavenFactory.TestMasterKey}",
        ]);
        Assert.Equal(0, exit);
        Assert.Equal(people + 500, await _factory.WithDbAsync(db => db.People.CountAsync()));
        Assert.Equal(notes + 1500, await _factory.WithDbAsync(db => db.Set<CaseNote>().CountAsync()));
        // Generated people are on nobody's caseload.
        Assert.Equal(withoutTeam + 500, await _factory.WithDbAsync(db => db.People.CountAsync(p => p.OwningTeamId == null)));
    }

    [Fact]
    public async Task A_bad_volume_is_refused_with_a_message()
    {
        var exit = await Haven.Web.HavenProgram.RunAsync(
        [
            "seed-demo", "--people", "lots",
            $"--ConnectionStrings:Haven={_factory.AppConnectionString}",
            $"--ConnectionStrings:HavenMigrations={_factory.OwnerConnectionString}",
            $"--{MasterKey.ConfigurationKey}={HavenFactory.TestMasterKey}",
        ]);
        Assert.Equal(2, exit);
    }
}
