using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

public sealed class ErrorPageTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_unknown_address_shows_page_not_found()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");

        var response = await GotoAsync("/this-does-not-exist");

        Assert.Equal(404, response.Status);
        Assert.Equal("/this-does-not-exist", PathOf(Page));
        await Expect(Page).ToHaveTitleAsync("Page not found – Haven");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Go to the Haven home page" })).ToHaveAttributeAsync("href", "/");
    }
}
