using System.Net;
using Haven.Core.Timeline;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

public sealed class TimelineTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private Guid _amara;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, email);
        return client;
    }

    [Fact]
    public async Task A_childs_timeline_combines_everything_recorded_newest_first()
    {
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var html = await sam.GetStringAsync($"/people/{_amara}/timeline", Ct);
        Assert.Contains("moj-timeline__item", html, StringComparison.Ordinal);
        foreach (var type in new[] { CaseWorkTimelineSource.Contact, InvolvementTimelineSource.Involvement, FamilyTimelineSource.HouseholdType, EducationTimelineSource.Education, CaseWorkTimelineSource.Document })
        {
            Assert.Contains($"{type}", html, StringComparison.Ordinal);
        }

        Assert.Contains("Child protection plan started", html, StringComparison.Ordinal);
        Assert.Contains(TimelineAuditActions.Viewed, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task The_timeline_can_be_filtered_by_type()
    {
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var html = await sam.GetStringAsync($"/people/{_amara}/timeline?type={Uri.EscapeDataString(CaseWorkTimelineSource.Contact)}", Ct);
        Assert.Contains("moj-timeline__byline\">Contact", html, StringComparison.Ordinal);
        Assert.DoesNotContain("moj-timeline__byline\">Involvement", html, StringComparison.Ordinal);
        Assert.DoesNotContain("moj-timeline__byline\">Education", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_family_timeline_covers_the_household_the_user_may_see()
    {
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var html = await sam.GetStringAsync($"/people/{_amara}/timeline?family=true", Ct);
        Assert.Contains("Family timeline", html, StringComparison.Ordinal);
        Assert.Contains("Jayden Clarke", html, StringComparison.Ordinal);
        Assert.Contains("Danielle Clarke", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_without_a_relationship_is_sent_to_the_record_page()
    {
        using var lee = await SignedInAsync("lee.lead@demo.haven.test");
        var response = await lee.GetAsync($"/people/{_amara}/timeline", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/people/{_amara}", response.Headers.Location?.OriginalString);
    }
}
