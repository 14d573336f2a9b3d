using System.Text.RegularExpressions;
using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>A practitioner without two-factor signs in and opens the record of a child they are allocated to.</summary>
/// <remarks>Sam Okafor is the allocated worker for Amara and Jayden Clarke, and Lily Brennan is a case of Sam's team.</remarks>
public sealed partial class PractitionerJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Practitioner_signs_in_sees_the_people_they_work_with_and_opens_a_record()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "People you work with" })).ToBeVisibleAsync();
        var caseload = Page.GetByRole(AriaRole.Table, new() { Name = "People you work with" });
        var people = caseload.Locator("tbody").GetByRole(AriaRole.Row);
        await Expect(caseload.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Amara Clarke", "Danielle Clarke", "Jayden Clarke", "Lily Brennan", "Unborn Clarke"]);
        await Expect(people.Filter(new() { HasText = "Amara Clarke" }).Locator("td").Last).ToHaveTextAsync("Allocated worker");
        await Expect(people.Filter(new() { HasText = "Jayden Clarke" }).Locator("td").Last).ToHaveTextAsync("Allocated worker");
        await Expect(people.Filter(new() { HasText = "Lily Brennan" }).Locator("td").Last).ToHaveTextAsync("Your team's case");

        await SubmitAsync(caseload.GetByRole(AriaRole.Link, new() { Name = "Amara Clarke" }));

        Assert.Matches(PersonPath(), PathOf(Page));
        await Expect(Page).ToHaveTitleAsync("Amara Clarke – Haven");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Amara Clarke");
        await Expect(Page.Locator(".govuk-caption-l")).ToHaveTextAsync("Child");
        var basis = Page.Locator(".govuk-summary-list__row").Filter(new() { HasText = "Why you can see this record" });
        await Expect(basis.Locator("dd")).ToHaveTextAsync("Allocated worker");
    }

    [GeneratedRegex("^/people/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex PersonPath();
}
