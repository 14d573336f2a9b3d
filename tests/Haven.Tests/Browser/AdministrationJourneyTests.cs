using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>The administrator's and the team manager's journeys, and the public pages, each page checked with axe.</summary>
public sealed class AdministrationJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_administrator_creates_a_user_records_training_and_checks_the_audit_chain()
    {
        await SubmitPasswordAsync(Page, "adam.admin@demo.haven.test");
        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome, Adam Oyelaran");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Create a user" }));

        // Nothing filled in: every problem is listed.
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter full name");
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select at least one role");

        await Page.GetByLabel("Full name").FillAsync("Priya Raman");
        await Page.GetByLabel("Work email address").FillAsync("priya.raman@demo.haven.test");
        await Page.GetByLabel("Organisation").SelectOptionAsync(new SelectOptionValue { Label = "Achieving for Children — Children's Social Care" });
        await Page.GetByLabel("Social worker or early-help practitioner").CheckAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }));
        await Expect(Page.Locator(".govuk-panel__title")).ToHaveTextAsync("Account created");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Back to users" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Priya Raman" }));
        await Page.GetByLabel("Date of training").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record training" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Training recorded");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Roles and permissions" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check the audit chain" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Chain intact");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Your account" }));
        await Expect(Page.Locator(".govuk-summary-list")).ToContainTextAsync("Two-factor sign-in");
    }

    [Fact]
    public async Task Emergency_access_is_reviewed_by_the_team_manager()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        var ellis = await Haven.Factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.People.Where(p => p.GivenName == "Ellis").Select(p => p.Id)));
        await GotoAsync($"/people/{ellis}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot open this record");
        await Page.GetByLabel("Why do you need to see this record now?").FillAsync("Out-of-hours call from police about Ellis");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Use emergency access" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ellis Marsh");

        var manager = await NewWindowAsync();
        await SignInAsync(manager, "maria.manager@demo.haven.test", "Maria Fernandes");
        await SubmitAsync(manager.GetByRole(AriaRole.Link, new() { Name = "Emergency access alerts" }));
        await Expect(manager.Locator(".govuk-summary-card")).ToContainTextAsync("Out-of-hours call from police about Ellis");
        await manager.GetByLabel("What did you find?").FillAsync("Spoke to Sam: justified");
        await SubmitAsync(manager.GetByRole(AriaRole.Button, new() { Name = "Record review" }));
        await Expect(manager.Locator(".govuk-tag--green")).ToHaveTextAsync("Reviewed");
    }

    [Fact]
    public async Task The_public_pages_are_accessible()
    {
        foreach (var path in new[] { "/privacy", "/cookies", "/accessibility", "/signed-out" })
        {
            var response = await GotoAsync(path);
            Assert.Equal(200, response.Status);
        }
    }
}
