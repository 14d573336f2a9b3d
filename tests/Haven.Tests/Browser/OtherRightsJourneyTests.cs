using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Haven.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// The DPO restricts a record, records and decides a correction (the recipient it was shared with is told), then
/// tells the person and lifts the restriction: each page checked with axe.
/// </summary>
public sealed class OtherRightsJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_dpo_restricts_a_record_decides_a_correction_and_lifts_the_restriction()
    {
        var factory = Haven.Factory;
        var amara = await CaseRecordTestSupport.PersonAsync(factory, "Amara");
        var request = await RightsTestSupport.RequestAsync(factory, [RightsCodes.Restriction, RightsCodes.Rectification], amara);
        await factory.WithDbAsync(async db =>
        {
            var organisation = await db.People.Where(p => p.Id == amara).Select(p => p.OrganisationId).SingleAsync();
            db.Add(new Disclosure
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation,
                PersonId = amara,
                RecipientCode = "police",
                RecipientName = "Kingston Police",
                RecipientAddress = "safeguarding@police.example.test",
                ServiceCode = "childrens-social-care",
                ActivityCode = "safeguarding-and-care",
                Purpose = "Safeguarding",
                LawfulBasis = "Public task",
                Categories = ["identity.name"],
                Summary = "Name and date of birth",
                DisclosedOn = CaseRecordTestSupport.Today.AddDays(-20),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        await SubmitPasswordAsync(Page, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());

        // Restrict.
        await GotoAsync($"/rights/{request}/decide/restriction");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record restriction decision" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select whether to restrict the record or refuse");
        await Page.GetByLabel("Restrict the records").CheckAsync();
        await Page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Amara says her surname is wrong; we are checking it");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record restriction decision" }));
        await Expect(Page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Processing restricted");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Restrictions placed for this request" })).ToContainTextAsync("In force");

        await GotoAsync($"/people/{amara}");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Processing restricted" })).ToContainTextAsync("Only the Data Protection Officer can open it");

        // Record what is wrong, then decide.
        await GotoAsync($"/rights/{request}/decide/rectification");
        await Page.GetByLabel("Last name").CheckAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Add to the request" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter what it should say");
        await Page.GetByLabel("Last name").CheckAsync();
        await Page.GetByLabel("What it should say").FillAsync("Clarke-Mensah");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Add to the request" }));
        await Expect(Page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Correction recorded");

        await Page.GetByLabel("Last name: “Clarke-Mensah”").CheckAsync();
        await Page.GetByLabel("Apply corrections to name, date of birth, phone and email now").CheckAsync();
        await Page.GetByLabel("What was corrected, or why not, as told to the requester").FillAsync("Your surname has been corrected.");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record rectification decision" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("lift the restriction before applying the correction");

        await Page.GetByLabel("Last name: “Clarke-Mensah”").CheckAsync();
        await Page.GetByLabel("Apply corrections to name, date of birth, phone and email now").UncheckAsync();
        await Page.GetByLabel("What was corrected, or why not, as told to the requester").FillAsync("Your surname will be corrected.");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Record rectification decision" }));
        await Expect(Page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("sent to 1 recipient: Kingston Police");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Notices of correction sent to recipients" })).ToContainTextAsync("Kingston Police");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Correct it in the record" })).ToBeVisibleAsync();

        // Tell the person, then lift.
        await GotoAsync("/rights/restrictions");
        var lift = Page.GetByRole(AriaRole.Button, new() { Name = "Lift restriction on Amara Clarke" });
        await Page.GetByLabel("Why lift the restriction?").FillAsync("Surname checked and corrected");
        await SubmitAsync(lift);
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Tell the person that the restriction will be lifted before lifting it");

        await Page.GetByLabel("How was the person told the restriction will be lifted?").FillAsync("Letter to Amara's home address");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Tell the person about Amara Clarke" }));
        await Expect(Page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("You can now lift it");

        await Page.GetByLabel("Why lift the restriction?").FillAsync("Surname checked and corrected");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Lift restriction on Amara Clarke" }));
        await Expect(Page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Restriction lifted");
        await Expect(Page.GetByText("No records are restricted.")).ToBeVisibleAsync();
    }
}
