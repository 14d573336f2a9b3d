using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>The DPO runs retention, decides a review and places and releases a legal hold, each page checked with axe.</summary>
public sealed class RetentionJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_dpo_runs_retention_decides_a_review_and_manages_legal_holds()
    {
        await SubmitPasswordAsync(Page, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Retention", Exact = true }));
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Forecast: falling due in the next 12 months" })).ToContainTextAsync("Due now");

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "See what a run would do (dry run)" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Dry run finished: nothing was changed");

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Run retention now" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("1 destroyed");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Disposal certificates" })).ToContainTextAsync("early-help");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Records waiting for a review" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record decision for Jordan Pike" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select whether to approve disposal or keep the record");
        await Page.GetByRole(AriaRole.Group, new() { Name = "Decision for Jordan Pike" }).GetByLabel("Keep the record longer").CheckAsync();
        await Page.GetByLabel("Keep until (year-month-day, if keeping)").FillAsync(DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByLabel("Reason (required when keeping)").FillAsync("Sibling's care proceedings are still open");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record decision for Jordan Pike" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("The record will be kept until");

        await GotoAsync("/retention/holds");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Holds" })).ToContainTextAsync("Independent Inquiry into Child Sexual Abuse");
        await Page.GetByRole(AriaRole.Radio, new() { Name = "Every record of one type" }).CheckAsync();
        await Page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Short");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Place legal hold" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the record type");

        await Page.GetByLabel("Record type (for every record of one type)").FillAsync("adoption");
        await Page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Adoption records kept during the review of historic adoptions");
        await Page.GetByLabel("Authority", new() { Exact = true }).FillAsync("Director of Children's Services");
        await Page.GetByLabel("Starts on (year-month-day)").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Place legal hold" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Legal hold placed");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Holds" })).ToContainTextAsync("all adoption records");

        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "all adoption records" });
        await row.GetByLabel("Why release it?").FillAsync("Review of historic adoptions finished");
        await SubmitAsync(row.GetByRole(AriaRole.Button, new() { Name = "Release this hold" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Legal hold released");
    }
}
