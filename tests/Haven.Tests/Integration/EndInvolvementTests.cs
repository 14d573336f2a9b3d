using System.Net;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

public sealed class EndInvolvementTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_current_plan_is_ended_with_a_checked_date_and_the_change_is_audited()
    {
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        var plan = await _factory.WithDbAsync(db => db.Set<Involvement>().SingleAsync(i => i.PersonId == amara && i.InvolvementType == "child_protection" && i.EndedOn == null));
        using var sam = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, sam, "sam.worker@demo.haven.test");
        var path = $"/people/{amara}/involvements/{plan.Id}/end";

        Dictionary<string, string> Date(DateOnly d) => new()
        {
            ["EndedOnDay"] = d.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EndedOnMonth"] = d.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EndedOnYear"] = d.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var before = await TestSignIn.PostFormAsync(sam, path, Date(plan.StartedOn.AddDays(-1)));
        Assert.Contains("End date must be the same as or after the start date", await before.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var future = await TestSignIn.PostFormAsync(sam, path, Date(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3)));
        Assert.Contains("End date must be today or in the past", await future.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await _factory.WithDbAsync(db => db.Set<Involvement>().Where(i => i.Id == plan.Id).Select(i => i.EndedOn).SingleAsync()));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ended = await TestSignIn.PostFormAsync(sam, path, Date(today));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(today, await _factory.WithDbAsync(db => db.Set<Involvement>().Where(i => i.Id == plan.Id).Select(i => i.EndedOn).SingleAsync()));
        Assert.Contains(CaseRecordAuditActions.InvolvementEnded, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));

        var again = await TestSignIn.PostFormAsync(sam, path, Date(today));
        Assert.Contains("This involvement has already ended", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
