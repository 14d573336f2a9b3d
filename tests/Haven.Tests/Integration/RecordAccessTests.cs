using System.Net;
using System.Net.Http.Json;
using Haven.Core.Audit;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

/// <summary>Need-to-know: relationships, expiry, training, restriction and break-glass, each audited.</summary>
public sealed class RecordAccessTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<Guid> PersonAsync(string givenName) => _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == givenName).Select(p => p.Id).SingleAsync());

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, email);
        return client;
    }

    [Fact]
    public async Task An_allocated_worker_opens_the_record_and_the_read_is_audited_with_the_person()
    {
        var amara = await PersonAsync("Amara");
        using var client = await SignedInAsync("sam.worker@demo.haven.test");
        var response = await client.GetAsync($"/people/{amara}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Amara Clarke", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var viewed = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditActions.PersonRecordViewed).ToListAsync());
        var last = viewed.Last();
        Assert.Contains(amara, last.PersonIds);
        Assert.Equal("case work", last.Purpose);
        Assert.Equal("practitioner", last.ActorRole);
        Assert.False(string.IsNullOrEmpty(last.RequestId));
        Assert.False(string.IsNullOrEmpty(last.ClientAddress));
    }

    [Fact]
    public async Task Team_members_see_their_team_cases_and_nobody_else_does()
    {
        var lily = await PersonAsync("Lily");
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/api/v1/people/{lily}", Ct)).StatusCode);
        using var lee = await SignedInAsync("lee.lead@demo.haven.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/people/{lily}", Ct)).StatusCode);
        Assert.Contains(AuditActions.PersonRecordDenied, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Review_team_access_ends_on_its_expiry_date()
    {
        var child = await PersonAsync("Child");
        using var lead = await SignedInAsync("lee.lead@demo.haven.test");
        var ok = await lead.GetFromJsonAsync<Haven.Web.Api.PersonResponse>($"/api/v1/people/{child}", Ct);
        Assert.Equal("review_team", ok!.AccessBasis);
        using var ended = await SignedInAsync("rita.review@demo.haven.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await ended.GetAsync($"/api/v1/people/{child}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Lapsed_training_blocks_every_record_until_an_administrator_records_new_training()
    {
        var amara = await PersonAsync("Amara");
        using var pat = await SignedInAsync("pat.lapsed@demo.haven.test");
        var home = await pat.GetStringAsync("/", Ct);
        Assert.Contains("You cannot open anyone's record until your administrator records new training", home, StringComparison.Ordinal);
        var denied = await pat.GetAsync($"/people/{amara}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("data protection training is more than 12 months old", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var patId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "pat.lapsed@demo.haven.test").Select(u => u.Id).SingleAsync());
        using var admin = await SignedInAsync("adam.admin@demo.haven.test");
        var recorded = await TestSignIn.PostFormAsync(admin, $"/admin/users/{patId}?handler=Training",
            new Dictionary<string, string> { ["TrainedOn"] = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, $"/admin/users/{patId}");
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pat.GetAsync($"/people/{amara}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Training_dates_in_the_future_are_refused()
    {
        var patId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "pat.lapsed@demo.haven.test").Select(u => u.Id).SingleAsync());
        using var admin = await SignedInAsync("adam.admin@demo.haven.test");
        var response = await TestSignIn.PostFormAsync(admin, $"/admin/users/{patId}?handler=Training",
            new Dictionary<string, string> { ["TrainedOn"] = "2999-01-01" }, $"/admin/users/{patId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("must be today or in the past", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Break_glass_needs_a_reason_opens_the_record_and_is_flagged_to_the_manager()
    {
        var ellis = await PersonAsync("Ellis");
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var denied = await sam.GetAsync($"/people/{ellis}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Use emergency access", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var empty = await TestSignIn.PostFormAsync(sam, $"/people/{ellis}?handler=BreakGlass", new Dictionary<string, string> { ["Reason"] = "" }, $"/people/{ellis}");
        Assert.Contains("Enter why you need to see this record now", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var granted = await TestSignIn.PostFormAsync(sam, $"/people/{ellis}?handler=BreakGlass",
            new Dictionary<string, string> { ["Reason"] = "Police called out of hours about the child's safety" }, $"/people/{ellis}");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var opened = await sam.GetStringAsync($"/people/{ellis}", Ct);
        Assert.Contains("You are using emergency access", opened, StringComparison.Ordinal);

        var events = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditActions.BreakGlassUsed).ToListAsync());
        Assert.Single(events);
        Assert.Equal("Police called out of hours about the child's safety", events[0].Purpose);
        Assert.Contains(ellis, events[0].PersonIds);

        using var maria = await SignedInAsync("maria.manager@demo.haven.test");
        var alerts = await maria.GetStringAsync("/manager/break-glass", Ct);
        Assert.Contains("Sam Okafor opened Ellis Marsh", alerts, StringComparison.Ordinal);
        Assert.Contains("Police called out of hours", alerts, StringComparison.Ordinal);
        var alertId = await _factory.WithDbAsync(db => db.BreakGlassEvents.Select(b => b.Id).SingleAsync());
        var reviewed = await TestSignIn.PostFormAsync(maria, "/manager/break-glass",
            new Dictionary<string, string> { ["AlertId"] = alertId.ToString(), ["Outcome-" + alertId] = "Checked with Sam: justified" }, "/manager/break-glass");
        Assert.Equal(HttpStatusCode.Redirect, reviewed.StatusCode);
        Assert.Contains(AuditActions.BreakGlassReviewed, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Restricted_records_cannot_be_opened_by_break_glass_without_the_named_permission()
    {
        var noah = await PersonAsync("Noah");
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var denied = await sam.GetAsync($"/people/{noah}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var html = await denied.Content.ReadAsStringAsync(Ct);
        Assert.Contains("This record is restricted", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Use emergency access", html, StringComparison.Ordinal);
        var attempt = await TestSignIn.PostFormAsync(sam, $"/people/{noah}?handler=BreakGlass",
            new Dictionary<string, string> { ["Reason"] = "I would like to see the adoption record" }, $"/people/{noah}");
        Assert.Contains("This record is restricted", await attempt.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await _factory.WithDbAsync(db => db.BreakGlassEvents.ToListAsync()));
    }

    [Fact]
    public async Task Unknown_records_are_a_plain_404_with_no_audit_of_a_person()
    {
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/people/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/api/v1/people/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_caseload_listing_is_audited_with_every_person_shown()
    {
        using var sam = await SignedInAsync("sam.worker@demo.haven.test");
        var caseload = await sam.GetFromJsonAsync<List<Haven.Web.Api.CaseloadItem>>("/api/v1/caseload", Ct);
        Assert.Equal(["Amara Clarke", "Danielle Clarke", "Jayden Clarke", "Lily Brennan", "Unborn Clarke"], caseload!.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray());
        var listed = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditActions.PersonListViewed).OrderBy(e => e.Seq).ToListAsync());
        Assert.Equal(5, listed.Last().PersonIds.Length);
    }
}
