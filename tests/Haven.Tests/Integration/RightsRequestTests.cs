using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>
/// Rights requests from intake to closure against a real database: the public form and status check, staff intake,
/// identity and authority, the clock's pauses and extension, matching the subject, closure rules, reminders, the
/// requests' own retention rule, organisation scoping and rate limiting.
/// </summary>
public sealed partial class RightsRequestTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string[] Rectification = ["rectification"];
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        // The demo's own requests would count alongside the ones each test makes; these tests start without them.
        await _factory.WithDbAsync(db => db.Set<RightsRequest>().ExecuteDeleteAsync());
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static Dictionary<string, string> PublicForm(string organisation = "afc") => new()
    {
        ["Organisation"] = organisation,
        ["Rights"] = "access",
        ["Relationship"] = "self",
        ["RequesterName"] = "Amara Clarke",
        ["RequesterEmail"] = "amara@example.org",
        ["SubjectDateOfBirthDay"] = "4",
        ["SubjectDateOfBirthMonth"] = "6",
        ["SubjectDateOfBirthYear"] = "2008",
        ["Details"] = "Everything from 2015 onwards",
    };

    private static async Task<(string Reference, string Code)> SubmitPublicAsync(HttpClient client, Dictionary<string, string>? form = null)
    {
        var response = await TestSignIn.PostFormAsync(client, "/information-rights/request", form ?? PublicForm());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/information-rights/sent", response.Headers.Location?.OriginalString);
        var html = await client.GetStringAsync("/information-rights/sent", Ct);
        var reference = ReferencePattern().Match(html).Groups[1].Value;
        var code = CodePattern().Match(html).Groups[1].Value;
        Assert.NotEmpty(reference);
        Assert.NotEmpty(code);
        return (reference, code);
    }

    private async Task<RightsRequest> RequestAsync(string reference) =>
        await _factory.WithDbAsync(db => db.Set<RightsRequest>().AsNoTracking().SingleAsync(r => r.Reference == reference));

    private async Task<HttpClient> StaffAsync(string email = "dora.dpo@demo.haven.test")
    {
        var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, email);
        return client;
    }

    [Fact]
    public async Task The_demo_request_can_be_checked_with_its_published_reference_and_code()
    {
        await using var demo = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        using var client = demo.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/public/rights-requests/status",
            new { reference = Haven.Core.Demo.RightsDemoData.DemoReference, code = Haven.Core.Demo.RightsDemoData.DemoStatusCode }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("In progress", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_of_the_public_makes_a_request_and_checks_it_with_the_reference_and_code()
    {
        using var client = _factory.NewClient();
        var (reference, code) = await SubmitPublicAsync(client);
        var request = await RequestAsync(reference);
        Assert.Equal("online", request.Channel);
        Assert.Equal(Today, request.ReceivedOn);
        Assert.Equal(["access"], request.Rights);
        Assert.Equal("Amara Clarke", request.SubjectName); // about themselves: the subject is the requester
        Assert.Equal("not_needed", request.AuthorityStatus);

        // The code is shown once.
        Assert.DoesNotContain(code, await client.GetStringAsync("/information-rights/sent", Ct), StringComparison.Ordinal);

        var status = await TestSignIn.PostFormAsync(client, "/information-rights/status", new Dictionary<string, string> { ["Reference"] = reference.ToLowerInvariant(), ["Code"] = code });
        var html = await status.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"Request {reference}", html, StringComparison.Ordinal);
        Assert.Contains(Today.AddMonths(1).ToString("d MMMM yyyy"), html, StringComparison.Ordinal);
        Assert.DoesNotContain("Amara", html, StringComparison.Ordinal); // nothing about the subject or any record

        // An acknowledgement is queued to the requester's email.
        var messages = await _factory.WithDbAsync(db => db.Set<OutboundMessage>().Where(m => m.RequestId == request.Id).ToListAsync());
        var ack = Assert.Single(messages);
        Assert.Equal("amara@example.org", ack.Address);
        Assert.Contains(reference, ack.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_code_and_an_unknown_reference_get_the_same_answer()
    {
        using var client = _factory.NewClient();
        var (reference, _) = await SubmitPublicAsync(client);
        var wrongCode = await (await TestSignIn.PostFormAsync(client, "/information-rights/status",
            new Dictionary<string, string> { ["Reference"] = reference, ["Code"] = "AAAA-BBBB" })).Content.ReadAsStringAsync(Ct);
        var unknown = await (await TestSignIn.PostFormAsync(client, "/information-rights/status",
            new Dictionary<string, string> { ["Reference"] = "IR-2026-ZZZZZZ", ["Code"] = "AAAA-BBBB" })).Content.ReadAsStringAsync(Ct);
        const string message = "We cannot find a request with this reference and status code";
        Assert.Contains(message, wrongCode, StringComparison.Ordinal);
        Assert.Contains(message, unknown, StringComparison.Ordinal);
        Assert.DoesNotContain(reference + "</h1>", wrongCode, StringComparison.Ordinal);

        // The API answers both with the same 404 body.
        var a = await client.PostAsJsonAsync("/api/v1/public/rights-requests/status", new { reference, code = "AAAA-BBBB" }, Ct);
        var b = await client.PostAsJsonAsync("/api/v1/public/rights-requests/status", new { reference = "IR-2026-ZZZZZZ", code = "AAAA-BBBB" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, a.StatusCode);
        Assert.Equal(await a.Content.ReadAsStringAsync(Ct), await b.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_message_for_each_field_and_nothing_is_stored()
    {
        using var client = _factory.NewClient();
        var form = new Dictionary<string, string>
        {
            ["Organisation"] = "nowhere",
            ["Rights"] = "telepathy",
            ["Relationship"] = "parent",
            ["RequesterName"] = "",
            ["SubjectDateOfBirthDay"] = "31",
            ["SubjectDateOfBirthMonth"] = "2",
            ["SubjectDateOfBirthYear"] = "2010",
        };
        var response = await TestSignIn.PostFormAsync(client, "/information-rights/request", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Select one of the organisations in the list", html, StringComparison.Ordinal);
        Assert.Contains("is not one of the rights in the list", html, StringComparison.Ordinal);
        Assert.Contains("Enter full name", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Enter full name of the person the request is about", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Enter an email address or a postal address", html, StringComparison.Ordinal);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<RightsRequest>().CountAsync()));

        var api = await client.PostAsJsonAsync("/api/v1/public/rights-requests", new { organisation = "afc", rights = Rectification, relationship = "self", requesterName = "A B", requesterEmail = "not-an-email" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var body = await api.Content.ReadAsStringAsync(Ct);
        Assert.Contains("requesterEmail", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Details", body, StringComparison.Ordinal); // a correction must say what is wrong
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<RightsRequest>().CountAsync()));
    }

    [Fact]
    public async Task Staff_record_a_postal_request_check_identity_stop_and_restart_the_clock_and_extend_it()
    {
        using var dpo = await StaffAsync();
        var received = Today.AddDays(-5);
        var response = await TestSignIn.PostFormAsync(dpo, "/rights/new", new Dictionary<string, string>
        {
            ["Channel"] = "post",
            ["ReceivedOnDay"] = received.Day.ToString(),
            ["ReceivedOnMonth"] = received.Month.ToString(),
            ["ReceivedOnYear"] = received.Year.ToString(),
            ["Organisation"] = "afc",
            ["Rights"] = "access",
            ["Relationship"] = "parent",
            ["RequesterName"] = "Grace Clarke",
            ["RequesterAddress"] = "12 Acacia Road\nKingston KT1 1AA",
            ["SubjectName"] = "Amara Clarke",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = response.Headers.Location!.OriginalString;
        var id = Guid.Parse(page.Split('/', '?')[2]);
        var request = await _factory.WithDbAsync(db => db.Set<RightsRequest>().SingleAsync(r => r.Id == id));
        Assert.Equal("post", request.Channel);
        Assert.Equal(received, request.ReceivedOn);
        Assert.Equal("not_checked", request.AuthorityStatus); // a parent must show parental responsibility
        var html = await dpo.GetStringAsync(page, Ct);
        Assert.Contains(received.AddMonths(1).ToString("d MMMM yyyy"), html, StringComparison.Ordinal);
        // The acknowledgement is a letter to post, with the status code for the requester.
        var letter = await _factory.WithDbAsync(db => db.Set<OutboundMessage>().SingleAsync(m => m.RequestId == id));
        Assert.Null(letter.SentAt);
        Assert.Contains("status code", letter.Body, StringComparison.Ordinal);

        var url = $"/rights/{id}";
        var pause = await TestSignIn.PostFormAsync(dpo, url + "/pause", new Dictionary<string, string> { ["PauseReason"] = "authority", ["PauseNote"] = "A copy of Amara's birth certificate" }, url);
        Assert.Contains("Clock stopped", await pause.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(RightsCodes.StatusPaused, (await RequestAsync(request.Reference)).Status);

        // Accepting the authority restarts the clock by itself.
        var authority = await TestSignIn.PostFormAsync(dpo, url + "/authority", new Dictionary<string, string> { ["AuthorityOutcome"] = "verified", ["AuthorityEvidence"] = "Birth certificate naming Grace Clarke as mother" }, url);
        Assert.Contains("Authority check recorded", await authority.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var after = await RequestAsync(request.Reference);
        Assert.Equal(RightsCodes.StatusOpen, after.Status);
        Assert.Equal("verified", after.AuthorityStatus);

        var identityMissing = await TestSignIn.PostFormAsync(dpo, url + "/identity", new Dictionary<string, string> { ["IdentityOutcome"] = "verified" }, url);
        Assert.Contains("Select how identity was checked", await identityMissing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await TestSignIn.PostFormAsync(dpo, url + "/identity", new Dictionary<string, string> { ["IdentityOutcome"] = "verified", ["IdentityMethod"] = "photo_id" }, url);
        Assert.Equal("verified", (await RequestAsync(request.Reference)).IdentityStatus);

        var noReason = await TestSignIn.PostFormAsync(dpo, url + "/extend", new Dictionary<string, string> { ["ExtensionMonths"] = "2" }, url);
        Assert.Contains("Enter why the request needs more time", await noReason.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        await TestSignIn.PostFormAsync(dpo, url + "/extend", new Dictionary<string, string> { ["ExtensionMonths"] = "2", ["ExtensionReason"] = "Twenty years of records across three services" }, url);
        var extended = await RequestAsync(request.Reference);
        Assert.Equal(2, extended.ExtensionMonths);
        Assert.Equal(Today, extended.ExtensionToldOn);
        var again = await TestSignIn.PostFormAsync(dpo, url + "/extend", new Dictionary<string, string> { ["ExtensionMonths"] = "1", ["ExtensionReason"] = "Still more records to read" }, url);
        Assert.Contains("already been extended by the two months the law allows", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Every step is in the audit chain, naming no values.
        var actions = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Purpose == $"rights request {request.Reference}").Select(e => e.Action).ToListAsync());
        Assert.Contains(RightsAuditActions.Received, actions);
        Assert.Contains(RightsAuditActions.ClockPaused, actions);
        Assert.Contains(RightsAuditActions.AuthorityChecked, actions);
        Assert.Contains(RightsAuditActions.IdentityChecked, actions);
        Assert.Contains(RightsAuditActions.Extended, actions);
    }

    [Fact]
    public async Task An_extension_after_the_first_month_is_refused()
    {
        var id = await SeedRequestAsync(Today.AddMonths(-1).AddDays(-3), ["access"]);
        var errors = await WithServiceAsync((s, dpo) => s.ExtendAsync(dpo, id, 1, "Too late to ask"));
        Assert.Contains("within the first month", errors["ExtensionMonths"], StringComparison.Ordinal);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<RightsRequest>().Where(r => r.Id == id).Select(r => r.ExtensionMonths).SingleAsync()));
    }

    [Fact]
    public async Task Staff_link_the_subject_from_a_search_of_their_own_organisation_only()
    {
        var id = await SeedRequestAsync(Today, ["access"]);
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        var candidates = await WithServiceAsync((s, dpo) => s.CandidatesAsync(dpo, id, "Amara Clarke", null));
        Assert.Contains(candidates, c => c.Id == amara);
        Assert.Empty(await WithServiceAsync((s, dpo) => s.CandidatesAsync(dpo, id, "Callum Reyes", null))); // a South Essex record

        var linked = await WithServiceAsync((s, dpo) => s.MatchSubjectAsync(dpo, id, amara));
        Assert.Empty(linked);
        var other = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Callum").Select(p => p.Id).SingleAsync());
        var refused = await WithServiceAsync((s, dpo) => s.MatchSubjectAsync(dpo, id, other));
        Assert.Equal("There is no record with this number in your organisation", refused["PersonId"]);
        var unknown = await WithServiceAsync((s, dpo) => s.MatchSubjectAsync(dpo, id, Guid.NewGuid()));
        Assert.Equal(refused["PersonId"], unknown["PersonId"]); // the same words whether the record exists elsewhere or not at all
    }

    [Fact]
    public async Task Another_organisations_request_is_not_found_and_staff_record_requests_only_for_their_own()
    {
        var id = await SeedRequestAsync(Today, ["access"]);
        using var essex = await StaffAsync("ian.governance@demo.haven.test");
        Assert.Equal(HttpStatusCode.NotFound, (await essex.GetAsync($"/rights/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await essex.GetAsync($"/api/v1/rights/requests/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await essex.GetAsync($"/api/v1/rights/requests/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.DoesNotContain(id.ToString(), await essex.GetStringAsync("/api/v1/rights/requests?closed=true", Ct), StringComparison.Ordinal);

        var html = await (await TestSignIn.PostFormAsync(essex, "/rights/new", new Dictionary<string, string>
        {
            ["Channel"] = "email",
            ["ReceivedOnDay"] = Today.Day.ToString(),
            ["ReceivedOnMonth"] = Today.Month.ToString(),
            ["ReceivedOnYear"] = Today.Year.ToString(),
            ["Organisation"] = "afc",
            ["Rights"] = "access",
            ["Relationship"] = "self",
            ["RequesterName"] = "Someone",
            ["RequesterEmail"] = "someone@example.org",
        })).Content.ReadAsStringAsync(Ct);
        Assert.Contains("You can record requests only for your own organisation", html, StringComparison.Ordinal);

        using var worker = await StaffAsync("sam.worker@demo.haven.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync($"/rights/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/api/v1/rights/requests", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_access_request_closes_as_completed_only_with_a_signed_off_bundle_and_a_refusal_needs_a_ground()
    {
        var id = await SeedRequestAsync(Today, ["access", "erasure"]);
        var incomplete = await WithServiceAsync((s, dpo) => s.CloseAsync(dpo, id, RightsCodes.StatusCompleted, null, "Sent everything"));
        Assert.Contains("disclosure bundle has been signed off", incomplete["CloseStatus"], StringComparison.Ordinal);
        var noGround = await WithServiceAsync((s, dpo) => s.CloseAsync(dpo, id, RightsCodes.StatusRefused, null, "No"));
        Assert.Equal("Select the ground for refusing the request", noGround["CloseGround"]);
        Assert.Null(await _factory.WithDbAsync(db => db.Set<RightsRequest>().Where(r => r.Id == id).Select(r => r.ClosedOn).SingleAsync()));

        var refused = await WithServiceAsync((s, dpo) => s.CloseAsync(dpo, id, RightsCodes.StatusRefused, "identity_not_confirmed", "We asked twice for proof of identity and received none."));
        Assert.Empty(refused);
        var closed = await _factory.WithDbAsync(db => db.Set<RightsRequest>().SingleAsync(r => r.Id == id));
        Assert.Equal(Today, closed.ClosedOn);
        // A closed request cannot be changed.
        var late = await WithServiceAsync((s, dpo) => s.PauseAsync(dpo, id, "identity", "Passport please"));
        Assert.Equal("This request is closed and can no longer be changed", late["PauseReason"]);
    }

    [Fact]
    public async Task Reminders_go_to_the_handler_once_per_stage_and_closed_requests_are_destroyed_after_their_retention_period()
    {
        var dueSoon = await SeedRequestAsync(Today.AddMonths(-1).AddDays(5), ["access"]);
        var overdue = await SeedRequestAsync(Today.AddMonths(-1).AddDays(-2), ["access"]);
        var fresh = await SeedRequestAsync(Today, ["access"]);
        var sent = await WithServiceAsync((s, _) => s.SendRemindersAsync());
        Assert.Equal(2, sent);
        Assert.Equal(0, await WithServiceAsync((s, _) => s.SendRemindersAsync())); // each stage once
        var reminders = await _factory.WithDbAsync(db => db.Set<OutboundMessage>().Where(m => m.Kind == "reminder").ToListAsync());
        Assert.Contains(reminders, m => m.RequestId == overdue && m.Body.Contains("overdue", StringComparison.Ordinal));
        Assert.Contains(reminders, m => m.RequestId == dueSoon && m.Body.Contains("5 days left", StringComparison.Ordinal));
        Assert.DoesNotContain(reminders, m => m.RequestId == fresh);
        // Both rights handlers at Achieving for Children are told when nobody is assigned.
        Assert.Equal(2, reminders.Count(m => m.RequestId == overdue));

        // The dashboard lists overdue first, highlighted.
        using var dpo = await StaffAsync();
        var html = await dpo.GetStringAsync("/rights", Ct);
        Assert.Contains("Overdue by", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(overdue.ToString(), StringComparison.Ordinal) < html.IndexOf(fresh.ToString(), StringComparison.Ordinal));

        // Retention: closed more than two years ago → destroyed with everything attached; recent closures stay.
        await _factory.WithDbAsync(db => db.Set<RightsRequest>().Where(r => r.Id == overdue)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClosedOn, Today.AddYears(-2).AddDays(-1)).SetProperty(r => r.Status, RightsCodes.StatusCompleted)));
        await _factory.WithDbAsync(db => db.Set<RightsRequest>().Where(r => r.Id == dueSoon)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClosedOn, Today.AddYears(-2).AddDays(1)).SetProperty(r => r.Status, RightsCodes.StatusCompleted)));
        Assert.Equal(1, await WithServiceAsync((s, _) => s.DestroyClosedAsync(Today)));
        Assert.False(await _factory.WithDbAsync(db => db.Set<RightsRequest>().AnyAsync(r => r.Id == overdue)));
        Assert.False(await _factory.WithDbAsync(db => db.Set<OutboundMessage>().AnyAsync(m => m.RequestId == overdue)));
        Assert.True(await _factory.WithDbAsync(db => db.Set<RightsRequest>().AnyAsync(r => r.Id == dueSoon)));
    }

    [Fact]
    public async Task Queued_emails_are_delivered_to_the_pickup_directory_and_letters_wait_to_be_posted()
    {
        using var client = _factory.NewClient();
        await SubmitPublicAsync(client);
        var postal = await SeedRequestAsync(Today, ["access"]);
        await _factory.WithDbAsync(db =>
        {
            db.Add(new OutboundMessage { Id = Guid.NewGuid(), RequestId = postal, Kind = "letter", Recipient = "Test Requester", Address = "1 High Street\nKingston", Subject = "A letter", Body = "Dear requester", CreatedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        using var scope = _factory.Services.CreateScope();
        var settings = scope.ServiceProvider.GetRequiredService<MailSettings>();
        var before = Directory.Exists(settings.PickupDirectory) ? Directory.GetFiles(settings.PickupDirectory).Length : 0;
        var delivered = await scope.ServiceProvider.GetRequiredService<MessageDelivery>().DeliverAsync(Ct);
        Assert.Equal(1, delivered);
        Assert.Equal(before + 1, Directory.GetFiles(settings.PickupDirectory).Length);
        Assert.True(await _factory.WithDbAsync(db => db.Set<OutboundMessage>().AnyAsync(m => m.Address == "amara@example.org" && m.SentAt != null)));
    }

    [Fact]
    public async Task The_public_form_is_rate_limited()
    {
        await using var limited = new HavenFactory(cluster, await cluster.NewDatabaseAsync(), new Dictionary<string, string?> { ["Haven:RateLimits:PublicFormPostsPerMinute"] = "2" });
        using var client = limited.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/public/rights-requests/status", new { reference = "IR-2026-AAAAAA", code = "AAAA-AAAA" }, Ct)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/information-rights/status", Ct)).StatusCode); // reading is never limited
    }

    private async Task<Guid> SeedRequestAsync(DateOnly received, string[] rights)
    {
        var id = Guid.NewGuid();
        await _factory.WithDbAsync(async db =>
        {
            var afc = await db.Organisations.Where(o => o.ShortName == "afc").Select(o => o.Id).SingleAsync();
            db.Add(new RightsRequest
            {
                Id = id,
                Reference = "IR-T-" + id.ToString("N")[..8].ToUpperInvariant(),
                OrganisationId = afc,
                Channel = "email",
                ReceivedOn = received,
                Rights = rights,
                RequesterName = "Test Requester",
                RequesterEmail = "requester@example.org",
                Relationship = "self",
                SubjectName = "Test Requester",
                Status = RightsCodes.StatusOpen,
                AuthorityStatus = "not_needed",
                StatusCodeHash = new byte[32],
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    private async Task<T> WithServiceAsync<T>(Func<RightsRequestService, Guid, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Haven.Core.Data.HavenDbContext>();
        var dpo = await db.Users.Where(u => u.Email == "dora.dpo@demo.haven.test").Select(u => u.Id).SingleAsync(Ct);
        return await work(scope.ServiceProvider.GetRequiredService<RightsRequestService>(), dpo);
    }

    [GeneratedRegex("<strong id=\"reference\">([A-Z0-9-]+)</strong>")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("<p class=\"[^\"]*\" id=\"status-code\">([A-Z0-9-]+)</p>")]
    private static partial Regex CodePattern();
}
