using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// The practitioner shares Amara's information with a declared recipient, is refused for a category the notice does
/// not allow that recipient, and the DPO finds the disclosure in the log. Every page is checked with axe.
/// </summary>
public sealed class SharingJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_practitioner_shares_information_is_refused_an_undeclared_category_and_the_dpo_sees_the_log()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Amara Clarke" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Share information" }));

        // Step 1: why.
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
        await Page.GetByLabel("Safeguarding children and young people and carrying out our statutory functions").CheckAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));

        // An empty form: an error for each question.
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check and record the disclosure" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select who the information is being shared with");

        // CP-IS receives only basic details: health information is refused, with the reason, and nothing is stored.
        await Page.GetByLabel("NHS unscheduled care settings (CP-IS)").CheckAsync();
        await Page.GetByLabel("Physical or mental health", new() { Exact = true }).CheckAsync();
        await Page.GetByLabel("What are you sharing?").FillAsync("Health needs summary for the emergency department");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check and record the disclosure" }));
        await Expect(Page.Locator("#refusal")).ToContainTextAsync("Haven cannot share this information");
        await Expect(Page.Locator("#refusal")).ToContainTextAsync("NHS unscheduled care settings");

        // The police, through the demo partner: allowed and logged.
        await Page.GetByLabel("Metropolitan Police — Child Abuse Investigation Team (demo)").CheckAsync();
        await Page.GetByLabel("Physical or mental health", new() { Exact = true }).UncheckAsync();
        await Page.GetByLabel("Safeguarding information").CheckAsync();
        await Page.GetByLabel("What are you sharing?").FillAsync("Child protection plan for the strategy discussion");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check and record the disclosure" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Information shared with Metropolitan Police");
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Multi-agency safeguarding information-sharing agreement");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Disclosures from this record" })).ToContainTextAsync("Child protection plan for the strategy discussion");

        // The DPO's disclosure log.
        var dpo = await NewWindowAsync();
        await SubmitPasswordAsync(dpo, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(dpo, CurrentSecurityCode());
        await SubmitAsync(dpo.GetByRole(AriaRole.Link, new() { Name = "Sharing", Exact = true }));
        var log = dpo.GetByRole(AriaRole.Table, new() { Name = "1 disclosure" });
        await Expect(log).ToContainTextAsync("Amara Clarke");
        await Expect(log).ToContainTextAsync("Metropolitan Police");
        await Expect(log).ToContainTextAsync("Sam Okafor");
        await SubmitAsync(dpo.GetByRole(AriaRole.Link, new() { Name = "Information-sharing agreements" }));
        await Expect(dpo.GetByRole(AriaRole.Table, new() { Name = "Information-sharing agreements" })).ToContainTextAsync("Overdue for review");
        await SubmitAsync(dpo.GetByRole(AriaRole.Link, new() { Name = "Add an agreement" }));
        await SubmitAsync(dpo.GetByRole(AriaRole.Button, new() { Name = "Save agreement" }));
        await Expect(dpo.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the agreement's title");
    }
}
