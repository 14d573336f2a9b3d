using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// The idle-timeout warning (frontend/js/haven.js). Haven runs here with very short settings:
/// sessions end after 1 minute without a request, and the warning opens 40 seconds before the page's own end of the session,
/// so it appears 10 seconds after a page loads (the page ends the session 10 seconds before the server does).
/// </summary>
public sealed class IdleTimeoutTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    private const string Warning = "[data-module='haven-timeout-warning']";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Haven:Security:IdleTimeoutMinutes"] = "1",
        ["Haven:Security:TimeoutWarningSeconds"] = "40",
    };

    [Fact]
    public async Task The_warning_takes_focus_and_stay_signed_in_closes_it()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        var dialog = Page.Locator(Warning);
        await Expect(dialog).ToBeHiddenAsync();

        await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 25_000 });

        await Expect(dialog).ToHaveAttributeAsync("role", "dialog");
        await Expect(dialog).ToHaveAttributeAsync("aria-modal", "true");
        await Expect(Page.GetByRole(AriaRole.Dialog, new() { Name = "You’re about to be signed out" })).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("For your security, we will sign you out in");
        await Expect(dialog.GetByRole(AriaRole.Heading)).ToBeFocusedAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.querySelector('main').closest('[inert]') !== null"),
            "The page behind the warning should be inert while the warning is open.");

        // Tab moves between the two buttons and never leaves the dialog.
        var stay = dialog.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" });
        var signOut = dialog.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        await Page.Keyboard.PressAsync("Tab");
        await Expect(stay).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Tab");
        await Expect(signOut).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Tab");
        await Expect(stay).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Shift+Tab");
        await Expect(signOut).ToBeFocusedAsync();

        await CheckPageAsync(Page, "idle-timeout warning open");

        var keepAlive = await Page.RunAndWaitForResponseAsync(() => stay.ClickAsync(), response => response.Url.EndsWith("/session/keep-alive", StringComparison.Ordinal));

        Assert.Equal(204, keepAlive.Status);
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(dialog).Not.ToHaveAttributeAsync("role", "dialog");
        Assert.False(await Page.EvaluateAsync<bool>("() => document.querySelector('[inert]') !== null"),
            "Nothing on the page should stay inert once the warning has closed.");
        Assert.Equal("/", PathOf(Page));
        await CheckPageAsync(Page, "idle-timeout warning closed");
    }

    [Fact]
    public async Task Doing_nothing_signs_the_user_out()
    {
        // The browser's one-minute count starts when the home page loads, so after this moment.
        var started = DateTimeOffset.UtcNow;
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        await Expect(Page.Locator(Warning)).ToBeVisibleAsync(new() { Timeout = 25_000 });

        await Page.WaitForURLAsync("**/session/timed-out", new() { Timeout = 90_000 });

        // The page ends the session 10 seconds before the server would, so the timeout is recorded against the user.
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(49), TimeSpan.FromSeconds(100));
        await CheckPageAsync(Page);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("For your security, we signed you out");
        var timedOut = await Haven.Factory.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == global::Haven.Core.Audit.AuditActions.SessionTimedOut));
        Assert.Equal(1, timedOut);
        var cookies = await Page.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "__Host-Haven");

        // The session really is over: Haven asks for a password again.
        await GotoAsync("/");
        Assert.Equal("/sign-in", PathOf(Page));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to Haven");
    }
}
