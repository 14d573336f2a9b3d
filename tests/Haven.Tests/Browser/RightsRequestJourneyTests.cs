using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// A member of the public makes a request and checks it; the DPO finds it on the dashboard, checks identity, stops
/// and restarts the clock, links the subject's record and extends the deadline. Every page is checked with axe.
/// </summary>
public sealed class RightsRequestJourneyTests(PostgresCluster cluster, ChromiumFixture chromium)
    : BrowserTest(cluster, chromium), IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_request_made_online_is_tracked_by_the_dpo_against_the_clock()
    {
        // The public side: no sign-in.
        await GotoAsync("/notices/afc");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Make a request to use your rights" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Start now" }));
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Send request" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select the organisation you are asking");
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("Select at least one right you want to use");

        await Page.GetByLabel("Which organisation are you asking?").SelectOptionAsync("afc");
        await Page.GetByLabel("Access: a copy of the information held").CheckAsync();
        await Page.GetByLabel("The person themselves (an adult asking about themselves)").CheckAsync();
        await Page.GetByLabel("Full name", new() { Exact = true }).First.FillAsync("Danielle Clarke");
        await Page.GetByLabel("Email address", new() { Exact = true }).FillAsync("danielle@example.org");
        await Page.GetByLabel("Details of the request").FillAsync("My records from the assessment team");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Send request" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Request sent" })).ToBeVisibleAsync();
        var reference = await Page.Locator("#reference").InnerTextAsync();
        var code = await Page.Locator("#status-code").InnerTextAsync();

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Check the progress of your request" }).First);
        await Page.GetByLabel("Reference").FillAsync(reference);
        await Page.GetByLabel("Status code").FillAsync("WRONG-CODE");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check progress" }));
        await Expect(Page.Locator(".govuk-error-summary")).ToContainTextAsync("We cannot find a request with this reference and status code");
        await Page.GetByLabel("Status code").FillAsync(code);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check progress" }));
        await Expect(Page.Locator("#request-status")).ToHaveTextAsync("In progress");

        // The DPO's side.
        var staff = await NewWindowAsync();
        await SubmitPasswordAsync(staff, "dora.dpo@demo.haven.test");
        await SubmitSecurityCodeAsync(staff, CurrentSecurityCode());
        await SubmitAsync(staff.GetByRole(AriaRole.Link, new() { Name = "Rights requests", Exact = true }));
        var openRequests = staff.GetByRole(AriaRole.Table, new() { Name = "Open requests by days left" });
        await Expect(openRequests).ToContainTextAsync(reference);
        await Expect(openRequests).ToContainTextAsync("Overdue by"); // the demo's unanswered erasure request
        await SubmitAsync(staff.GetByRole(AriaRole.Link, new() { Name = reference }));

        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Stop the clock and write to the requester" }));
        await Expect(staff.Locator(".govuk-error-summary")).ToContainTextAsync("Select what you are waiting for");
        await staff.GetByLabel("Stop the clock while waiting for").SelectOptionAsync("identity");
        await staff.GetByLabel("What you are asking the requester for").FillAsync("A copy of your passport or driving licence");
        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Stop the clock and write to the requester" }));
        await Expect(staff.Locator("#request-status")).ToHaveTextAsync("Clock stopped");

        await staff.GetByLabel("Identity confirmed").CheckAsync();
        await staff.GetByLabel("How it was checked").SelectOptionAsync("photo_id");
        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Record identity check" }));
        await Expect(staff.Locator("#identity-status")).ToContainTextAsync("Confirmed");
        await Expect(staff.Locator("#request-status")).ToHaveTextAsync("In progress"); // the proof restarted the clock

        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Search records" }));
        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Link Danielle Clarke" }));
        await Expect(staff.GetByRole(AriaRole.Table, new() { Name = "Linked records" })).ToContainTextAsync("Danielle Clarke");

        await staff.GetByLabel("1 month").CheckAsync();
        await staff.GetByLabel("Why the request needs more time").FillAsync("Records span three services and two case-management systems");
        await SubmitAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Extend and tell the requester" }));
        await Expect(staff.Locator(".govuk-notification-banner")).ToContainTextAsync("Deadline extended");
        await Expect(staff.Locator("#history")).ToContainTextAsync("Extended by 1 month");

        // The requester sees the new date.
        await GotoAsync("/information-rights/status");
        await Page.GetByLabel("Reference").FillAsync(reference);
        await Page.GetByLabel("Status code").FillAsync(code);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Check progress" }));
        await Expect(Page.Locator("#due")).ToContainTextAsync(DateTime.UtcNow.AddMonths(2).ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
    }
}
