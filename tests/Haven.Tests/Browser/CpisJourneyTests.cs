using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// The administrator registers an emergency department as a CP-IS setting; the department looks a child up and sends
/// a concern over HTTP; the child's social worker sees both in their CP-IS notifications. Every page is checked with axe.
/// </summary>
public sealed class CpisJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_registered_setting_looks_a_child_up_and_the_social_worker_sees_it_with_the_concern()
    {
        await SubmitPasswordAsync(Page, "adam.admin@demo.haven.test");
        await SubmitSecurityCodeAsync(Page, CurrentSecurityCode());
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "CP-IS settings" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Register a setting" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Register setting" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the name of the setting");

        await Page.GetByLabel("Name of the setting").FillAsync("Kingston Hospital emergency department");
        await Page.GetByLabel("Type of setting").SelectOptionAsync("emergency_department");
        await Page.GetByLabel("ODS code").FillAsync("RAX01");
        await Page.GetByLabel("Most requests a minute").FillAsync("60");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Register setting" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Setting registered" })).ToBeVisibleAsync();
        var token = (await Page.Locator("#credential").InnerTextAsync()).Trim();
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Back to CP-IS settings" }).First);
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Registered settings" })).ToContainTextAsync("Kingston Hospital emergency department");
        await Expect(Page.Locator("body")).Not.ToContainTextAsync(token);

        // The emergency department's system, over HTTP.
        var nhs = await Haven.Factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.NhsNumber!).SingleAsync());
        using var http = Haven.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse("Bearer " + token);
        using var lookup = await http.PostAsJsonAsync("/api/v1/cpis/lookups", new { nhsNumber = nhs, clinicianRole = "Emergency department nurse" }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, lookup.StatusCode);
        var lookupId = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetString();
        using var concern = await http.PostAsJsonAsync("/api/v1/cpis/concerns",
            new { nhsNumber = nhs, lookupId, clinicianRole = "Emergency department nurse", concern = "Burn on the left hand; account given does not fit." }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, concern.StatusCode);

        // The social worker.
        var worker = await NewWindowAsync();
        await SignInAsync(worker, "sam.worker@demo.haven.test", "Sam Okafor");
        await SubmitAsync(worker.GetByRole(AriaRole.Link, new() { Name = "CP-IS notifications" }));
        await Expect(worker.Locator("main")).ToContainTextAsync("Check on Amara Clarke");
        await Expect(worker.Locator("main")).ToContainTextAsync("Concern about Amara Clarke");
        await Expect(worker.Locator("main")).ToContainTextAsync("Burn on the left hand; account given does not fit.");
        await Expect(worker.Locator("main")).ToContainTextAsync("Kingston Hospital emergency department (Emergency department, RAX01)");
        await Expect(worker.Locator("main")).ToContainTextAsync("Emergency department nurse");
        await Expect(worker.Locator("main")).ToContainTextAsync("2 unread.");
        await SubmitAsync(worker.Locator(".govuk-summary-card", new() { HasText = "Burn on the left hand" }).GetByRole(AriaRole.Button, new() { Name = "Mark as read" }));
        await Expect(worker.Locator("main")).ToContainTextAsync("1 unread.");
    }
}
