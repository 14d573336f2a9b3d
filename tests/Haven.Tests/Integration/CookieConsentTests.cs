using System.Net;
using Haven.Core.Analytics;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

/// <summary>
/// Cookies on the public site: only essential cookies until the visitor opts in; analytics records public pages by
/// path and day against a random id; withdrawing consent deletes the cookie and the rows; the banner works as a form.
/// </summary>
public sealed class CookieConsentTests(PostgresCluster cluster) : IAsyncLifetime
{
    // The integration tests run Haven without RequireHttps, so the cookie names carry no __Host- prefix.
    private const string PolicyCookie = "Haven-Cookie-Policy";
    private const string AnalyticsCookie = "Haven-Analytics";

    private HavenFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<List<SitePageView>> ViewsAsync() => _factory.WithDbAsync(db => db.Set<SitePageView>().OrderBy(v => v.Id).ToListAsync());

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    private static string? SetCookie(HttpResponseMessage response, string name) =>
        SetCookies(response).FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static string CookieValue(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    /// <summary>Presses a button on the cookie banner shown on <paramref name="page"/>.</summary>
    private static async Task<HttpResponseMessage> BannerAsync(HttpClient client, string choice, string page = "/privacy", string? returnUrl = null)
    {
        var html = await client.GetStringAsync(page, Ct);
        Assert.Contains("action=\"/cookies/consent\"", html, StringComparison.Ordinal);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TestSignIn.Token(html),
            ["Analytics"] = choice,
            ["ReturnUrl"] = returnUrl ?? page,
        };
        return await client.PostAsync("/cookies/consent", new FormUrlEncodedContent(form), Ct);
    }

    [Fact]
    public async Task A_new_visitor_sees_the_banner_gets_only_essential_cookies_and_is_not_recorded()
    {
        using var client = _factory.NewClient();
        foreach (var path in new[] { "/privacy", "/cookies", "/accessibility", "/sign-in", "/privacy?ref=newsletter" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(SetCookie(response, AnalyticsCookie));
            Assert.Null(SetCookie(response, PolicyCookie));
            var html = await response.Content.ReadAsStringAsync(Ct);
            if (path == "/cookies")
            {
                // The cookies page has its own form instead of the banner.
                Assert.DoesNotContain("Cookies on Haven", html, StringComparison.Ordinal);
                Assert.Contains("You have not chosen yet, so Haven does not use analytics cookies.", html, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("Cookies on Haven", html, StringComparison.Ordinal);
                Assert.Contains("Accept analytics cookies", html, StringComparison.Ordinal);
                Assert.Contains("Reject analytics cookies", html, StringComparison.Ordinal);
            }
        }

        Assert.Empty(await ViewsAsync());
    }

    [Fact]
    public async Task Accepting_sets_a_random_analytics_cookie_and_records_public_pages_by_path_and_day_only()
    {
        using var client = _factory.NewClient();
        using var accepted = await BannerAsync(client, "yes", returnUrl: "/privacy?name=Amara+Clarke");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/privacy?name=Amara+Clarke", accepted.Headers.Location?.OriginalString);
        var policy = SetCookie(accepted, PolicyCookie);
        Assert.NotNull(policy);
        Assert.Contains("analytics%3Dyes", policy, StringComparison.Ordinal);
        var analytics = SetCookie(accepted, AnalyticsCookie);
        Assert.NotNull(analytics);
        var visitor = CookieValue(analytics);
        Assert.Matches("^[0-9a-f]{32}$", visitor);
        foreach (var attribute in new[] { "httponly", "secure", "samesite=lax", "path=/", "max-age=31536000" })
        {
            Assert.Contains(attribute, analytics, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(attribute, policy, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(await ViewsAsync());

        // Back on the page: the banner confirms the choice once, and the view is recorded without the query string.
        var html = await client.GetStringAsync("/privacy?name=Amara+Clarke", Ct);
        Assert.Contains("You’ve accepted analytics cookies.", html, StringComparison.Ordinal);
        Assert.Contains("Hide cookie message", html, StringComparison.Ordinal);
        html = await client.GetStringAsync("/accessibility", Ct);
        Assert.DoesNotContain("Cookies on Haven", html, StringComparison.Ordinal);
        Assert.DoesNotContain("You’ve accepted analytics cookies.", html, StringComparison.Ordinal);
        await client.GetStringAsync("/COOKIES/", Ct);
        await client.GetStringAsync("/sign-in?returnUrl=%2Fpeople", Ct);

        var views = await ViewsAsync();
        Assert.Equal(["/privacy", "/accessibility", "/cookies", "/sign-in"], views.Select(v => v.Path));
        Assert.All(views, v => Assert.Equal(visitor, v.Visitor));
        Assert.All(views, v => Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow), v.ViewedOn));

        // Nothing but the path, the day and the random id is in the table.
        var dump = await _factory.DumpAsync(Ct);
        Assert.DoesNotContain("Amara+Clarke", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("returnUrl", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_sets_no_analytics_cookie_and_records_nothing()
    {
        using var client = _factory.NewClient();
        using var rejected = await BannerAsync(client, "no");

        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Contains("analytics%3Dno", SetCookie(rejected, PolicyCookie), StringComparison.Ordinal);
        Assert.Null(SetCookie(rejected, AnalyticsCookie));
        var html = await client.GetStringAsync("/privacy", Ct);
        Assert.Contains("You’ve rejected analytics cookies.", html, StringComparison.Ordinal);
        html = await client.GetStringAsync("/cookies", Ct);
        Assert.Contains("You have rejected analytics cookies.", html, StringComparison.Ordinal);
        Assert.Empty(await ViewsAsync());
    }

    [Fact]
    public async Task Withdrawing_consent_deletes_the_cookie_and_the_visitors_rows_and_stops_recording()
    {
        using var other = _factory.NewClient();
        await BannerAsync(other, "yes");
        await other.GetStringAsync("/privacy", Ct);

        using var client = _factory.NewClient();
        using var accepted = await BannerAsync(client, "yes");
        var visitor = CookieValue(SetCookie(accepted, AnalyticsCookie)!);
        await client.GetStringAsync("/privacy", Ct);
        await client.GetStringAsync("/accessibility", Ct);
        Assert.Equal(2, (await ViewsAsync()).Count(v => v.Visitor == visitor));

        var html = await client.GetStringAsync("/cookies", Ct);
        Assert.Contains("You have accepted analytics cookies.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"Analytics\" name=\"Analytics\" type=\"radio\" value=\"yes\" checked", html);
        using var withdrawn = await client.PostAsync("/cookies", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TestSignIn.Token(html),
            ["Analytics"] = "no",
        }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal("/cookies", withdrawn.Headers.Location?.OriginalString);
        var deleted = SetCookie(withdrawn, AnalyticsCookie);
        Assert.NotNull(deleted);
        Assert.Contains("expires=Thu, 01 Jan 1970", deleted, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("analytics%3Dno", SetCookie(withdrawn, PolicyCookie), StringComparison.Ordinal);
        Assert.DoesNotContain(await ViewsAsync(), v => v.Visitor == visitor);

        html = await client.GetStringAsync("/cookies", Ct);
        Assert.Contains("You’ve set your cookie preferences.", html, StringComparison.Ordinal);
        Assert.Contains("You have rejected analytics cookies.", html, StringComparison.Ordinal);
        await client.GetStringAsync("/privacy", Ct);

        // Only the other visitor's view is left, and nothing new was recorded.
        var views = await ViewsAsync();
        Assert.Single(views);
        Assert.NotEqual(visitor, views[0].Visitor);
    }

    [Fact]
    public async Task An_analytics_cookie_without_consent_is_removed_and_never_recorded()
    {
        using var client = _factory.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/privacy");
        request.Headers.Add("Cookie", $"{AnalyticsCookie}=0123456789abcdef0123456789abcdef");
        using var response = await client.SendAsync(request, Ct);

        Assert.Contains("expires=Thu, 01 Jan 1970", SetCookie(response, AnalyticsCookie), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await ViewsAsync());
    }

    [Theory]
    [InlineData("/cookies/consent")]
    [InlineData("/cookies")]
    public async Task Saving_a_choice_without_the_antiforgery_token_is_refused(string path)
    {
        using var client = _factory.NewClient();
        await client.GetStringAsync("/privacy", Ct);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Analytics"] = "yes",
            ["ReturnUrl"] = "/privacy",
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SetCookie(response, PolicyCookie));
        Assert.Null(SetCookie(response, AnalyticsCookie));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("evil.example")]
    [InlineData("")]
    public async Task The_banner_returns_only_to_a_page_on_this_site(string returnUrl)
    {
        using var client = _factory.NewClient();
        using var response = await BannerAsync(client, "no", returnUrl: returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Staff_pages_the_api_and_assets_are_never_recorded()
    {
        using var client = _factory.NewClient();
        await BannerAsync(client, "yes", page: "/sign-in");
        await TestSignIn.SignInAsync(_factory, client, "sam.worker@demo.haven.test");
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        foreach (var path in new[] { "/account", "/people/search", $"/people/{amara}", $"/people/{amara}/timeline", "/api/v1/me", "/api/v1/caseload",
            "/assets/css/haven.css", "/health/ready", "/notices/no-such-notice", "/error/404", "/signed-out" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        await client.GetStringAsync("/privacy", Ct);

        // Only the public pages: the sign-in page shown before signing in, and the privacy notices.
        Assert.Equal(["/sign-in", "/privacy"], (await ViewsAsync()).Select(v => v.Path));
    }

    [Fact]
    public async Task The_cookies_page_lists_every_cookie_and_what_analytics_records()
    {
        using var client = _factory.NewClient();
        var html = await client.GetStringAsync("/cookies", Ct);
        foreach (var cookie in new[] { "Haven", "Haven-2fa", "Haven-AF", "Haven-Temp", PolicyCookie, AnalyticsCookie })
        {
            Assert.Contains($"<td class=\"govuk-table__cell\">{cookie}</td>", html, StringComparison.Ordinal);
        }

        Assert.Contains("Analytics cookies (optional)", html, StringComparison.Ordinal);
        Assert.Contains("without anything after a question mark", html, StringComparison.Ordinal);
        Assert.Contains($"deleted after {SiteAnalytics.RetentionMonths} months", html, StringComparison.Ordinal);
        Assert.Contains("Do you want to accept analytics cookies?", html, StringComparison.Ordinal);
        // With no choice made, "No" is selected: that is what is in force.
        Assert.Contains("id=\"Analytics-no\" name=\"Analytics\" type=\"radio\" value=\"no\" checked", html, StringComparison.Ordinal);

        using var empty = await client.PostAsync("/cookies", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TestSignIn.Token(html),
        }), Ct);
        var error = await empty.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("Select yes if you want to accept analytics cookies", error, StringComparison.Ordinal);
        Assert.Null(SetCookie(empty, PolicyCookie));
    }

    [Fact]
    public async Task Expired_rows_are_deleted_after_the_retention_period()
    {
        var old = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-SiteAnalytics.RetentionMonths).AddDays(-1);
        var recent = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-SiteAnalytics.RetentionMonths).AddDays(1);
        var deleted = await _factory.WithDbAsync(async db =>
        {
            db.AddRange(
                new SitePageView { ViewedOn = old, Path = "/privacy", Visitor = SiteAnalytics.NewVisitorId() },
                new SitePageView { ViewedOn = recent, Path = "/privacy", Visitor = SiteAnalytics.NewVisitorId() });
            await db.SaveChangesAsync(Ct);
            return await new SiteAnalytics(db, TimeProvider.System).PurgeExpiredAsync(Ct);
        });

        Assert.Equal(1, deleted);
        Assert.Equal([recent], (await ViewsAsync()).Select(v => v.ViewedOn));
    }
}
