using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

public sealed class SignOutTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        Assert.Contains(await Page.Context.CookiesAsync(), cookie => cookie.Name == "__Host-Haven");

        await SubmitAsync(Page.GetByRole(AriaRole.Navigation, new() { Name = "Account navigation" }).GetByRole(AriaRole.Link, new() { Name = "Sign out" }));
        Assert.Equal("/sign-out", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign out of Haven");

        await SubmitAsync(Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" }));

        Assert.Equal("/signed-out", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have signed out");
        Assert.DoesNotContain(await Page.Context.CookiesAsync(), cookie => cookie.Name == "__Host-Haven");
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Account navigation" })).ToHaveCountAsync(0);

        await GotoAsync("/");

        Assert.Equal("/sign-in", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to Haven");
    }
}
