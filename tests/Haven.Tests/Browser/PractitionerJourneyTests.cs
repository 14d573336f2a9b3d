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

    [Fact]
    public async Task Practitioner_corrects_a_relationship_on_a_childs_record()
    {
        await SignInAsync(Page, "sam.worker@demo.haven.test", "Sam Okafor");
        await SubmitAsync(Page.GetByRole(AriaRole.Table, new() { Name = "People you work with" }).GetByRole(AriaRole.Link, new() { Name = "Amara Clarke" }));
        var record = PathOf(Page);

        var relationships = Page.GetByRole(AriaRole.Table, new() { Name = "Relationships" });
        var mother = relationships.GetByRole(AriaRole.Row).Filter(new() { HasText = "Danielle Clarke is Amara Clarke's mother" });
        await Expect(mother.Locator("td").Nth(4)).ToHaveTextAsync("Family");
        await SubmitAsync(mother.GetByRole(AriaRole.Link, new() { Name = "Change relationship: Danielle Clarke is Amara Clarke's mother" }));

        Assert.Matches(RelationshipEditPath(), PathOf(Page));
        await Expect(Page).ToHaveTitleAsync("Change a relationship – Haven");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Change a relationship");
        await Expect(Page.GetByLabel("The related person is Amara Clarke's")).ToHaveValueAsync("mother");
        await Expect(Page.GetByRole(AriaRole.Radio, new() { Name = "Yes" })).ToBeCheckedAsync();
        var source = Page.GetByLabel("Where did this information come from?");
        await Expect(source).ToHaveValueAsync("family");

        // A mistake is shown with the GOV.UK error summary, and the form keeps what was entered.
        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Day").FillAsync("31");
        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Month").FillAsync("2");
        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Year").FillAsync("2024");
        await source.SelectOptionAsync(new SelectOptionValue { Label = "Health visitor" });
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("End date must be a real date");
        await Expect(source).ToHaveValueAsync("health_visitor");

        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Day").FillAsync(string.Empty);
        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Month").FillAsync(string.Empty);
        await Page.GetByRole(AriaRole.Group, new() { Name = "End date (optional)" }).GetByLabel("Year").FillAsync(string.Empty);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }));

        Assert.Equal(record, PathOf(Page));
        await Expect(Page.Locator(".govuk-notification-banner")).ToContainTextAsync("Relationship corrected");
        await Expect(mother.Locator("td").Nth(4)).ToHaveTextAsync("Health visitor");
    }

    [GeneratedRegex("^/people/[0-9a-f-]{36}/relationships/[0-9a-f-]{36}/edit$")]
    private static partial Regex RelationshipEditPath();

    [GeneratedRegex("^/people/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex PersonPath();
}
