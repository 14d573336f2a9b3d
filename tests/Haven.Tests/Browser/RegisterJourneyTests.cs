using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>The public reading a notice, and the DPO maintaining the register, each page checked with axe.</summary>
public sealed class RegisterJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_member_of_the_public_reads_a_notice_and_its_past_versions()
    {
        await GotoAsync("/privacy");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Achieving for Children — Children's Social Care" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Privacy notice for Children's Social Care");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Privacy notice for Children's Social Care" }).Last);
        await Expect(Page.Locator("main")).ToContainTextAsync("Adoption records: date of adoption order at least 100 years");
        await Expect(Page.Locator("main")).ToContainTextAsync("ZA045069");

        await Page.GetByLabel("See the notice that was in force on a past date").FillAsync("2020-13-01");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Show notice" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the date as year-month-day");

        await Page.GetByLabel("See the notice that was in force on a past date").FillAsync("2020-01-01");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Show notice" }));
        await Expect(Page.Locator("main")).ToContainTextAsync("No notice was in force on 1 January 2020");

        await GotoAsync("/notices/afc/versions");
        await Expect(Page.Locator("table")).ToContainTextAsync("1 April 2024");
    }

    [Fact]
    public async Task The_dpo_reads_the_register_and_changes_it_only_when_the_whole_file_is_right()
    {
        await SubmitPasswordAsync(Page, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Privacy register" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Essex County Council — Family Group Conference" }));
        await Expect(Page.Locator("main")).ToContainTextAsync("dpo@essex.gov.uk");
        Assert.Equal(0, await Page.GetByRole(AriaRole.Link, new() { Name = "Change the register" }).CountAsync());

        await GotoAsync("/register/afc");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Safeguarding children and young people and carrying out our statutory functions" }));
        await Expect(Page.Locator("main")).ToContainTextAsync("Article 9(2)(g)");
        await GotoAsync("/register/afc/conformance");
        await Expect(Page.Locator("main")).ToContainTextAsync("Not yet");

        await GotoAsync("/register/afc");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Change the register" }));
        var original = await Page.GetByLabel("Register file (YAML)").InputValueAsync();
        await Page.GetByLabel("Register file (YAML)").FillAsync(original.Replace("category: special.ethnicity", "category: special.ethnicty", StringComparison.Ordinal));
        await Page.GetByLabel("Why is the register changing?").FillAsync("Typo test");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save a new version" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Nothing was saved");
        await Expect(Page.Locator(".govuk-inset-text")).ToContainTextAsync("'special.ethnicty' is not a data category Haven knows");

        await Page.GetByLabel("Register file (YAML)").FillAsync(original.Replace("effective-from: 2024-04-01", "effective-from: 2025-01-01", StringComparison.Ordinal));
        await Page.GetByLabel("Why is the register changing?").FillAsync("Annual review of the notice");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save a new version" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Version 2 saved");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "History of changes" }));
        await Expect(Page.Locator("table")).ToContainTextAsync("Annual review of the notice");
    }
}
