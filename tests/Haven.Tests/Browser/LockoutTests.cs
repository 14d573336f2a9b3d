using Haven.Core.Demo;
using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>Wrong passwords are refused with one message for every cause, and repeated guessing locks the account.</summary>
public sealed class LockoutTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    private const string Email = "sam.worker@demo.haven.test";
    private const string WrongDetails = "Enter a correct email address and password";
    private const string LockedOut = "You have entered incorrect details too many times";

    [Fact]
    public async Task A_wrong_password_is_explained_in_an_error_summary()
    {
        await SubmitPasswordAsync(Page, Email, "not-the-password");

        Assert.Equal("/sign-in", PathOf(Page));
        await Expect(Page).ToHaveTitleAsync("Error: Sign in – Haven");
        var summary = Page.Locator(".govuk-error-summary");
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = WrongDetails })).ToHaveAttributeAsync("href", "#Email");
        await Expect(summary).ToBeFocusedAsync();

        // The email address is kept; the password never is.
        await Expect(Page.GetByLabel("Email address")).ToHaveValueAsync(Email);
        await Expect(Page.GetByLabel("Password")).ToHaveValueAsync(string.Empty);
    }

    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_is_refused()
    {
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SubmitPasswordAsync(Page, Email, $"wrong-password-{attempt}");
            await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync(WrongDetails);
        }

        // The fifth failure locks the account (Haven says so straight away).
        await SubmitPasswordAsync(Page, Email, "wrong-password-5");
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync(LockedOut);

        await SubmitPasswordAsync(Page, Email, DemoSeeder.DemoPassword);

        Assert.Equal("/sign-in", PathOf(Page));
        var summary = Page.Locator(".govuk-error-summary");
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        await Expect(summary).ToContainTextAsync($"{LockedOut}. Try again in 15 minutes");
        await Expect(Page.GetByText("Welcome, Sam Okafor")).ToHaveCountAsync(0);
        Assert.DoesNotContain(await Page.Context.CookiesAsync(), cookie => cookie.Name == "__Host-Haven");
    }
}
