using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>Signing in with a password and a code from an authenticator app (the system administrator).</summary>
public sealed class SignInJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    private const string Admin = "adam.admin@demo.haven.test";

    [Fact]
    public async Task Administrator_signs_in_with_password_and_security_code()
    {
        await SubmitPasswordAsync(Page, Admin);

        Assert.Equal("/sign-in/two-factor", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your security code");
        await Expect(Page).ToHaveTitleAsync("Enter your security code – Haven");

        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());

        Assert.Equal("/", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome, Adam Oyelaran");
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Account navigation" }).GetByRole(AriaRole.Link, new() { Name = "Sign out" }))
            .ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_code_that_is_not_six_digits_is_explained_in_an_error_summary()
    {
        await SubmitPasswordAsync(Page, Admin);
        await SubmitSecurityCodeAsync(Page, "12ab");

        Assert.Equal("/sign-in/two-factor", PathOf(Page));
        await Expect(Page).ToHaveTitleAsync("Error: Enter your security code – Haven");
        var summary = Page.Locator(".govuk-error-summary");
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        var link = summary.GetByRole(AriaRole.Link, new() { Name = "The code must be 6 digits, like 123456" });
        await Expect(link).ToHaveAttributeAsync("href", "#Code");

        // GOV.UK Frontend moves focus to the summary so screen reader users hear about the problem first.
        await Expect(summary).ToBeFocusedAsync();
        await Expect(Page.Locator("#Code-error")).ToContainTextAsync("The code must be 6 digits, like 123456");
        await Expect(Page.GetByLabel("Security code")).ToHaveAttributeAsync("aria-describedby", "Code-hint Code-error");

        // The error summary link takes the user to the field.
        await link.ClickAsync();
        await Expect(Page.GetByLabel("Security code")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_security_code_cannot_be_used_twice()
    {
        await SubmitPasswordAsync(Page, Admin);
        // Read the code only now: on a busy machine the password step can take long enough for the code to change.
        var code = CurrentSecurityCode();
        await SubmitSecurityCodeAsync(Page, code);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome, Adam Oyelaran");

        // Someone who saw the code (or the same person in another browser) tries it again within the same 30 seconds.
        var other = await NewWindowAsync();
        await SubmitPasswordAsync(other, Admin);
        Assert.Equal("/sign-in/two-factor", PathOf(other));
        await SubmitSecurityCodeAsync(other, code);

        Assert.Equal("/sign-in/two-factor", PathOf(other));
        var summary = other.Locator(".govuk-error-summary");
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        await Expect(summary).ToContainTextAsync("The code is not correct or has already been used");
        await Expect(other.GetByText("Welcome, Adam Oyelaran")).ToHaveCountAsync(0);
    }
}
