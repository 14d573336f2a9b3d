using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// An information governance officer reviews an access request (redacts a name, prepares the bundle and is told
/// someone else must sign it off) and the Data Protection Officer signs it off; each page checked with axe.
/// </summary>
public sealed class AccessRequestJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_bundle_is_reviewed_prepared_and_signed_off_by_someone_else()
    {
        var id = await CreateRequestAsync();

        await SignInAsync(Page, "iris.rights@demo.haven.test", "Iris Mbeki");
        await GotoAsync($"/rights/{id}/review");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Review the information found");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Who has accessed your record" })).ToBeVisibleAsync();

        await Page.GetByText("Redact other words").ClickAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Redact these words" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the name or words to redact");
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select the legal reason (exemption)");

        await Page.GetByLabel("Words to redact").FillAsync("Jayden");
        await Page.GetByLabel("Legal reason").SelectOptionAsync("third_party");
        await Page.GetByLabel("Why it is redacted").FillAsync("Amara's brother has not agreed to his information being shared");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Redact these words" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("will be redacted wherever they appear");
        await Expect(Page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Words: Jayden" })).ToBeVisibleAsync();

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Prepare bundle for sign-off" }));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("The bundle is ready for sign-off");
        await Expect(Page.Locator(".govuk-warning-text")).ToContainTextAsync("You prepared this bundle, so someone else must check it and sign it off");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign off" })).ToHaveCountAsync(0);

        var dpo = await NewWindowAsync();
        await SubmitPasswordAsync(dpo, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(dpo, CurrentSecurityCode());
        await GotoAsync($"/rights/{id}/review", dpo);
        await Expect(dpo.GetByRole(AriaRole.Link, new() { Name = "Bundle (PDF)" })).ToBeVisibleAsync();
        await SubmitAsync(dpo.GetByRole(AriaRole.Button, new() { Name = "Sign off" }));
        await Expect(dpo.Locator(".govuk-notification-banner")).ToContainTextAsync("Bundle signed off");
        await Expect(dpo.GetByRole(AriaRole.Table, new() { Name = "Earlier bundles" })).ToContainTextAsync("Signed off by");
    }

    private async Task<Guid> CreateRequestAsync()
    {
        using var scope = Haven.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Haven.Core.Data.HavenDbContext>();
        var dora = await db.Users.Where(u => u.Email == "dora.dpo@demo.haven.test").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
        var amara = await db.People.Where(p => p.GivenName == "Amara" && p.FamilyName == "Clarke").Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
        var requests = scope.ServiceProvider.GetRequiredService<RightsRequestService>();
        var (_, submitted) = await requests.SubmitAsync(new RightsRequestInput("afc", [RightsCodes.Access], RightsCodes.RelationshipChild, "Amara Clarke",
            "amara@example.test", null, null, null, null, null, null, null, "email"), dora, TestContext.Current.CancellationToken);
        await requests.MatchSubjectAsync(dora, submitted!.Id, amara, TestContext.Current.CancellationToken);
        await requests.RecordIdentityAsync(dora, submitted.Id, true, "known_to_service", null, TestContext.Current.CancellationToken);
        return submitted.Id;
    }
}
