using Haven.Core.Analytics;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

public sealed class CookieBannerTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    private ILocator Banner => Page.GetByRole(AriaRole.Region, new() { Name = "Cookies on Haven" });

    private Task<List<SitePageView>> ViewsAsync() => Haven.Factory.WithDbAsync(db => db.Set<SitePageView>().ToListAsync());

    private async Task<List<string>> CookieNamesAsync() => [.. (await Page.Context.CookiesAsync()).Select(c => c.Name)];

    [Fact]
    public async Task A_visitor_accepts_analytics_from_the_banner_and_withdraws_on_the_cookies_page()
    {
        await GotoAsync("/privacy");

        await Expect(Banner).ToBeVisibleAsync();
        await Expect(Banner.GetByRole(AriaRole.Heading, new() { Name = "Cookies on Haven" })).ToBeVisibleAsync();
        Assert.DoesNotContain("__Host-Haven-Analytics", await CookieNamesAsync());
        Assert.DoesNotContain("__Host-Haven-Cookie-Policy", await CookieNamesAsync());

        await SubmitAsync(Banner.GetByRole(AriaRole.Button, new() { Name = "Accept analytics cookies" }));

        Assert.Equal("/privacy", PathOf(Page));
        await Expect(Banner).ToContainTextAsync("You’ve accepted analytics cookies. You can change your cookie settings at any time.");
        Assert.Contains("__Host-Haven-Analytics", await CookieNamesAsync());
        Assert.Contains("__Host-Haven-Cookie-Policy", await CookieNamesAsync());
        Assert.Equal(["/privacy"], (await ViewsAsync()).Select(v => v.Path));

        // With JavaScript, "Hide cookie message" hides the message without leaving the page.
        await Banner.GetByRole(AriaRole.Button, new() { Name = "Hide cookie message" }).ClickAsync();
        await Expect(Banner).ToBeHiddenAsync();
        await CheckPageAsync(Page, "cookie message hidden");

        await SubmitAsync(Page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = "Cookies", Exact = true }));
        Assert.Equal("/cookies", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cookies");
        await Expect(Banner).ToHaveCountAsync(0);
        await Expect(Page.GetByText("You have accepted analytics cookies.")).ToBeVisibleAsync();
        var question = Page.GetByRole(AriaRole.Group, new() { Name = "Do you want to accept analytics cookies?" });
        await Expect(question.GetByLabel("Yes")).ToBeCheckedAsync();
        // "/privacy" once or twice: "Hide cookie message" is a link back to the page when JavaScript has not started yet.
        var paths = (await ViewsAsync()).Select(v => v.Path).ToList();
        Assert.Contains("/cookies", paths);
        Assert.All(paths, path => Assert.True(path is "/privacy" or "/cookies", path));

        await question.GetByLabel("No").CheckAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save cookie settings" }));

        Assert.Equal("/cookies", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You’ve set your cookie preferences.");
        await Expect(Page.GetByText("You have rejected analytics cookies.")).ToBeVisibleAsync();
        await Expect(question.GetByLabel("No")).ToBeCheckedAsync();
        Assert.DoesNotContain("__Host-Haven-Analytics", await CookieNamesAsync());
        Assert.Empty(await ViewsAsync());

        await GotoAsync("/accessibility");
        await Expect(Banner).ToHaveCountAsync(0);
        Assert.Empty(await ViewsAsync());
    }

    [Fact]
    public async Task A_signed_in_user_sees_the_banner_and_can_reject_analytics()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        await Expect(Banner).ToBeVisibleAsync();

        await SubmitAsync(Banner.GetByRole(AriaRole.Button, new() { Name = "Reject analytics cookies" }));

        Assert.Equal("/", PathOf(Page));
        await Expect(Banner).ToContainTextAsync("You’ve rejected analytics cookies.");
        await Expect(Banner.GetByRole(AriaRole.Link, new() { Name = "change your cookie settings" })).ToHaveAttributeAsync("href", "/cookies");
        Assert.DoesNotContain("__Host-Haven-Analytics", await CookieNamesAsync());

        // Without JavaScript, "Hide cookie message" is a link back to the same page, which then shows no banner.
        await Expect(Banner.GetByRole(AriaRole.Button, new() { Name = "Hide cookie message" })).ToHaveAttributeAsync("href", "/");
        await GotoAsync("/");
        await Expect(Banner).ToHaveCountAsync(0);
        Assert.Empty(await ViewsAsync());
    }
}
