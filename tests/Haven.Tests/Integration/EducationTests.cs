using System.Net;
using System.Net.Http.Json;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>Education: schools, SEND, plans, attendance, exclusions and achievements through the pages and API.</summary>
public sealed class EducationTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Attendance_must_not_exceed_possible_sessions_and_nothing_is_stored_on_bad_input()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var before = await _factory.WithDbAsync(db => db.Set<AttendanceRecord>().CountAsync());
        var form = new Dictionary<string, string> { ["PossibleSessions"] = "100", ["AttendedSessions"] = "101", ["Source"] = "school" };
        Date(form, "StartedOn", Today.AddMonths(-2));
        Date(form, "EndedOn", Today.AddMonths(-3));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/education/attendance/new", form));
        Assert.Contains("Attended sessions must be the same as or fewer than possible sessions", html, StringComparison.Ordinal);
        Assert.Contains("Period end must be the same as or after the period start", html, StringComparison.Ordinal);

        form = new Dictionary<string, string> { ["PossibleSessions"] = "lots", ["AttendedSessions"] = "", ["Source"] = "school" };
        Date(form, "StartedOn", Today.AddMonths(-2));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/education/attendance/new", form));
        Assert.Contains("Possible sessions must be a whole number", html, StringComparison.Ordinal);
        Assert.Contains("Enter attended sessions", html, StringComparison.Ordinal);
        Assert.Contains("Enter period end", html, StringComparison.Ordinal);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Set<AttendanceRecord>().CountAsync()));

        form = new Dictionary<string, string> { ["PossibleSessions"] = "60", ["AttendedSessions"] = "45", ["Source"] = "school" };
        Date(form, "StartedOn", Today.AddMonths(-2));
        Date(form, "EndedOn", Today.AddMonths(-1));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{amara}/education/attendance/new", form)).StatusCode);
        Assert.Contains("75.0%", await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);
        Assert.Contains(CaseRecordAuditActions.EducationRecorded, await AuditActionsAsync(_factory));
    }

    [Fact]
    public async Task Schools_send_plans_exclusions_and_achievements_are_recorded_with_their_source()
    {
        using var sam = await SignedInAsync(_factory);
        var jayden = await PersonAsync(_factory, "Jayden");

        var school = new Dictionary<string, string> { ["ProviderName"] = "Riverside Primary School (demo)", ["Urn"] = "12345", ["Source"] = "school" };
        Date(school, "StartedOn", Today.AddMonths(-1));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/provider/new", school));
        Assert.Contains("URN must be 6 digits", html, StringComparison.Ordinal);
        school["Urn"] = "999102";
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/provider/new", school)).StatusCode);

        var ehcp = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/education/send", new { provision = "E", startedOn = Iso(Today.AddDays(-20)), source = "other_agency" });
        Assert.Equal(HttpStatusCode.Created, ehcp.StatusCode);
        var plan = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/education/plan",
            new { planType = "PSP", startedOn = Iso(Today.AddMonths(-2)), lastReviewedOn = Iso(Today.AddDays(-7)), nextReviewOn = Iso(Today.AddMonths(2)), source = "school" });
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        var badPlan = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/education/plan",
            new { planType = "IEP", startedOn = Iso(Today.AddMonths(-2)), lastReviewedOn = Iso(Today.AddDays(-7)), nextReviewOn = Iso(Today.AddDays(-8)), source = "school" });
        var errors = await ValidationErrorsAsync(badPlan);
        Assert.Equal("Select plan type from the list", errors["PlanType"][0]);
        Assert.Equal("Next review date must be the same as or after the last review date", errors["NextReviewOn"][0]);

        var suspension = new Dictionary<string, string> { ["ExclusionType"] = "suspension", ["Reason"] = "Persistent disruptive behaviour", ["Source"] = "school" };
        Date(suspension, "StartedOn", Today.AddDays(-3));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/exclusion/new", suspension));
        Assert.Contains("Enter the number of school days", html, StringComparison.Ordinal);
        suspension["Days"] = "1.3";
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/exclusion/new", suspension));
        Assert.Contains("in half days", html, StringComparison.Ordinal);
        suspension["Days"] = "1.5";
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/exclusion/new", suspension)).StatusCode);

        var achievement = new Dictionary<string, string> { ["Description"] = "Swimming certificate, 10 metres", ["Source"] = "family" };
        Date(achievement, "StartedOn", Today.AddDays(1));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/achievement/new", achievement));
        Assert.Contains("Date must be today or in the past", html, StringComparison.Ordinal);
        Date(achievement, "StartedOn", Today);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/education/achievement/new", achievement)).StatusCode);

        var view = await sam.GetFromJsonAsync<EducationView>($"/api/v1/people/{jayden}/education", Ct);
        Assert.Contains(view!.Providers, p => p.Urn == "999102" && p.Source == "school");
        Assert.Contains(view.Send, s => s.Provision == "E");
        Assert.Equal(Today.AddMonths(2), Assert.Single(view.Plans).NextReviewOn);
        Assert.Equal(1.5m, Assert.Single(view.Exclusions).Days);
        Assert.Equal("family", Assert.Single(view.Achievements).Source);
        var page = await TextAsync(await sam.GetAsync($"/people/{jayden}", Ct));
        Assert.Contains("Education, health and care (EHC) plan", page, StringComparison.Ordinal);
        Assert.Contains("Pastoral support plan (PSP)", page, StringComparison.Ordinal);
        Assert.Contains("Swimming certificate, 10 metres", page, StringComparison.Ordinal);
        Assert.Equal(5, (await AuditActionsAsync(_factory)).Count(a => a == CaseRecordAuditActions.EducationRecorded));
    }

    [Fact]
    public async Task Unknown_kinds_are_not_found_and_workers_without_a_relationship_are_refused()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/people/{amara}/education/homework/new", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(sam, $"/api/v1/people/{amara}/education/homework", new { source = "school" })).StatusCode);

        using var lee = await SignedInAsync(_factory, "lee.lead@demo.haven.test");
        var refused = await lee.GetAsync($"/api/v1/people/{amara}/education", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("Riverside", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var unborn = await PersonAsync(_factory, "Unborn");
        var forUnborn = await PostJsonAsync(sam, $"/api/v1/people/{unborn}/education/achievement", new { startedOn = Iso(Today), description = "None", source = "family" });
        Assert.Contains("An unborn child has no education record yet", (await ValidationErrorsAsync(forUnborn))["StartedOn"][0], StringComparison.Ordinal);
    }
}
