using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Haven.Core.Cpis;
using Haven.Core.Data.Entities;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>
/// CP-IS against a real database: who is on the list (plans, looked after, unborn under the mother's number, 12 months
/// after the end), the exact answer, audit and notification committed before the answer, recent accesses, bad input,
/// credentials, scopes, the rate limit, concerns and the responsible team's inbox, and registering a client.
/// </summary>
public sealed partial class CpisTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(Guid Id, string Token)> RegisterAsync(int limit = 10_000, string[]? scopes = null)
    {
        using var scope = _factory.Services.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<Haven.Core.Data.HavenDbContext>().Users
            .Where(u => u.Email == "adam.admin@demo.haven.test").Select(u => u.Id).SingleAsync(Ct);
        var (errors, client) = await scope.ServiceProvider.GetRequiredService<CpisService>().RegisterAsync(
            new ClientInput("Kingston Hospital emergency department", "emergency_department", "RAX01", limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                scopes ?? [CpisCodes.ScopeLookup, CpisCodes.ScopeConcern]), admin, Ct);
        Assert.Empty(errors);
        return (client!.Id, client.Token);
    }

    private HttpClient Client(string token)
    {
        var client = _factory.NewClient();
        client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse("Bearer " + token);
        return client;
    }

    private static Task<HttpResponseMessage> LookupAsync(HttpClient client, string? nhsNumber, string role = "Emergency department nurse") =>
        client.PostAsJsonAsync("/api/v1/cpis/lookups", new { nhsNumber, clinicianRole = role }, Ct);

    private Task<string> NhsOfAsync(string givenName) =>
        _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == givenName).Select(p => p.NhsNumber!).SingleAsync(Ct));

    private Task<Guid> PersonAsync(string givenName) =>
        _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == givenName).Select(p => p.Id).SingleAsync(Ct));

    private async Task AddInvolvementAsync(string givenName, string type, DateOnly started, DateOnly? ended)
    {
        var person = await _factory.WithDbAsync(db => db.People.SingleAsync(p => p.GivenName == givenName, Ct));
        await _factory.WithDbAsync(async db =>
        {
            db.Set<Involvement>().Add(new Involvement
            {
                Id = Guid.NewGuid(),
                OrganisationId = person.OrganisationId,
                PersonId = person.Id,
                InvolvementType = type,
                StartedOn = started,
                EndedOn = ended,
                CategoryOfAbuse = type == "child_protection" ? "NEG" : null,
                LegalStatus = type == "looked_after" ? "C2" : null,
                Source = "other_agency",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync(Ct);
        });
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_child_on_a_plan_is_answered_with_exactly_the_documented_fields_after_the_audit_and_notification_are_committed()
    {
        var (clientId, token) = await RegisterAsync();
        using var client = Client(token);
        var amara = await PersonAsync("Amara");
        var nhs = await NhsOfAsync("Amara");

        using var response = await LookupAsync(client, nhs);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Read straight after the answer: both must already be committed.
        var lookupId = Guid.Parse((await JsonAsync(response)).GetProperty("id").GetString()!);
        var access = await _factory.WithDbAsync(db => db.Set<CpisAccess>().SingleAsync(a => a.LookupId == lookupId, Ct));
        Assert.Equal(amara, access.PersonId);
        Assert.Equal(clientId, access.ClientId);
        Assert.Equal("Emergency department nurse", access.ClinicianRole);
        var audit = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == CpisCodes.LookupAction).ToListAsync(Ct));
        var lookupAudit = Assert.Single(audit);
        Assert.Equal([amara], lookupAudit.PersonIds);
        Assert.Contains(lookupId.ToString(), lookupAudit.Details, StringComparison.Ordinal);
        Assert.Equal("cpis_client", lookupAudit.ActorRole);

        var body = await JsonAsync(response);
        Assert.Equal(["entry", "id", "recentAccess", "resourceType", "timestamp", "total", "type"], Names(body));
        Assert.Equal("Bundle", body.GetProperty("resourceType").GetString());
        Assert.Equal(1, body.GetProperty("total").GetInt32());
        Assert.Equal(0, body.GetProperty("recentAccess").GetArrayLength());
        var flag = body.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal(["author", "code", "period", "resourceType", "status", "subject"], Names(flag));
        Assert.Equal("Flag", flag.GetProperty("resourceType").GetString());
        Assert.Equal("active", flag.GetProperty("status").GetString());
        Assert.Equal("CPP", flag.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal("https://fhir.nhs.uk/Id/nhs-number", flag.GetProperty("subject").GetProperty("identifier").GetProperty("system").GetString());
        Assert.Equal(nhs, flag.GetProperty("subject").GetProperty("identifier").GetProperty("value").GetString());
        Assert.Equal(["start"], Names(flag.GetProperty("period")));
        Assert.Equal(Today.AddMonths(-6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), flag.GetProperty("period").GetProperty("start").GetString());
        var author = flag.GetProperty("author");
        Assert.Equal("Achieving for Children (Kingston and Richmond)", author.GetProperty("display").GetString());
        var telecom = author.GetProperty("telecom").EnumerateArray().ToDictionary(t => t.GetProperty("purpose").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal("020 7946 0101", telecom["office-hours"]);
        Assert.Equal("020 7946 0199", telecom["emergency-duty"]);
        // Nothing else about the child: no name, date of birth, address or record id.
        var text = body.GetRawText();
        Assert.DoesNotContain("Amara", text, StringComparison.Ordinal);
        Assert.DoesNotContain(amara.ToString(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Looked_after_children_and_unborn_children_under_the_mothers_number_are_listed()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        await AddInvolvementAsync("Lily", "looked_after", Today.AddMonths(-2), null);

        using var lily = await LookupAsync(client, await NhsOfAsync("Lily"));
        Assert.Equal(HttpStatusCode.OK, lily.StatusCode);
        Assert.Equal("LAC", (await JsonAsync(lily)).GetProperty("entry")[0].GetProperty("resource").GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());

        // The unborn Clarke baby has no NHS number; the pre-birth plan is found under Danielle's.
        var danielleNhs = await NhsOfAsync("Danielle");
        using var unborn = await LookupAsync(client, danielleNhs);
        Assert.Equal(HttpStatusCode.OK, unborn.StatusCode);
        var flag = (await JsonAsync(unborn)).GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("UCPP", flag.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(danielleNhs, flag.GetProperty("subject").GetProperty("identifier").GetProperty("value").GetString());
        var unbornId = await _factory.WithDbAsync(db => db.People.Where(p => p.PersonType == "unborn").Select(p => p.Id).SingleAsync(Ct));
        Assert.True(await _factory.WithDbAsync(db => db.Set<CpisAccess>().AnyAsync(a => a.PersonId == unbornId, Ct)));
    }

    [Fact]
    public async Task Lookups_that_found_nobody_are_removed_after_12_months_and_others_are_kept()
    {
        var (client, _) = await RegisterAsync();
        var person = await _factory.WithDbAsync(db => db.People.Select(p => p.Id).FirstAsync(Ct));
        var now = DateTimeOffset.UtcNow;
        await _factory.WithDbAsync(db =>
        {
            db.Set<Haven.Core.Cpis.CpisAccess>().AddRange(
                new Haven.Core.Cpis.CpisAccess { Id = Guid.NewGuid(), LookupId = Guid.NewGuid(), OccurredAt = now.AddMonths(-13), ClientId = client },
                new Haven.Core.Cpis.CpisAccess { Id = Guid.NewGuid(), LookupId = Guid.NewGuid(), OccurredAt = now.AddMonths(-11), ClientId = client },
                new Haven.Core.Cpis.CpisAccess { Id = Guid.NewGuid(), LookupId = Guid.NewGuid(), OccurredAt = now.AddMonths(-13), ClientId = client, PersonId = person });
            return db.SaveChangesAsync(Ct);
        });
        var purged = await Haven.Core.Cpis.CpisList.PurgeUnlistedAsync(_factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), now, Ct);
        Assert.Equal(1, purged);
        Assert.Equal(2, await _factory.WithDbAsync(db => db.Set<Haven.Core.Cpis.CpisAccess>().CountAsync(a => a.ClientId == client, Ct)));
    }

    [Fact]
    public async Task An_ended_plan_stays_on_the_list_for_12_months_and_then_comes_off()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        var nhs = await NhsOfAsync("Amara");
        var amara = await PersonAsync("Amara");
        async Task EndPlanAsync(DateOnly ended) => await _factory.WithDbAsync(db => db.Set<Involvement>()
            .Where(i => i.PersonId == amara && i.InvolvementType == "child_protection")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.StartedOn, ended.AddYears(-1)).SetProperty(i => i.EndedOn, ended), Ct));

        await EndPlanAsync(Today.AddMonths(-11));
        using var within = await LookupAsync(client, nhs);
        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        var flag = (await JsonAsync(within)).GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("inactive", flag.GetProperty("status").GetString());
        Assert.Equal(Today.AddMonths(-11).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), flag.GetProperty("period").GetProperty("end").GetString());

        await EndPlanAsync(Today.AddMonths(-13));
        using var after = await LookupAsync(client, nhs);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_lookup_shows_the_25_most_recent_earlier_accesses()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        var nhs = await NhsOfAsync("Amara");
        for (var i = 0; i < 27; i++)
        {
            using var earlier = await LookupAsync(client, nhs, $"Role {i}");
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }

        using var response = await LookupAsync(client, nhs);
        var accesses = (await JsonAsync(response)).GetProperty("recentAccess").EnumerateArray().ToList();
        Assert.Equal(25, accesses.Count);
        Assert.Equal("Role 26", accesses[0].GetProperty("clinicianRole").GetString());
        Assert.Equal("Role 2", accesses[24].GetProperty("clinicianRole").GetString());
        Assert.Equal(["clinicianRole", "odsCode", "recorded", "setting", "settingType"], Names(accesses[0]));
        Assert.Equal("emergency_department", accesses[0].GetProperty("settingType").GetString());
    }

    [Fact]
    public async Task Malformed_numbers_get_400_with_the_reason_and_numbers_not_on_the_list_get_one_identical_404()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        foreach (var (bad, reason) in new[] { ("12345", "10 digits"), ("9434765918", "check the digits"), ("94347A5919", "numbers 0 to 9"), ("", "Enter the NHS number") })
        {
            using var response = await LookupAsync(client, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Jayden is in Haven (child in need, not on a plan); the other number is valid and belongs to nobody in Haven.
        using var held = await LookupAsync(client, await NhsOfAsync("Jayden"));
        using var unknown = await LookupAsync(client, "9434765919");
        Assert.Equal(HttpStatusCode.NotFound, held.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var heldBody = await held.Content.ReadAsStringAsync(Ct);
        Assert.Equal(heldBody, await unknown.Content.ReadAsStringAsync(Ct));
        Assert.Contains("not on the list", heldBody, StringComparison.Ordinal);
        Assert.Equal(held.Content.Headers.ContentType?.ToString(), unknown.Content.Headers.ContentType?.ToString());

        // Both were recorded the same way, with no person.
        var events = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == CpisCodes.LookupAction).ToListAsync(Ct));
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Empty(e.PersonIds));
        Assert.Equal(2, await _factory.WithDbAsync(db => db.Set<CpisAccess>().CountAsync(a => a.PersonId == null, Ct)));
    }

    [Fact]
    public async Task Numbers_on_and_off_the_list_take_about_the_same_time()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        var listed = await NhsOfAsync("Amara");
        var held = await NhsOfAsync("Jayden");
        var times = new Dictionary<string, List<double>> { [listed] = [], [held] = [], ["9434765919"] = [] };
        for (var round = 0; round < 25; round++)
        {
            foreach (var number in times.Keys)
            {
                var watch = Stopwatch.StartNew();
                using var response = await LookupAsync(client, number);
                await response.Content.ReadAsStringAsync(Ct);
                times[number].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var medians = times.Values.Select(Median).ToList();
        // Loose: the same statements and the same writes run either way, so medians differ by noise only.
        Assert.True(medians.Max() - medians.Min() < 25, "Medians (ms): " + string.Join(", ", medians.Select(m => m.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Wrong_unknown_and_revoked_credentials_get_the_same_401_and_a_missing_scope_403()
    {
        var (clientId, token) = await RegisterAsync();
        var nhs = await NhsOfAsync("Amara");
        var bodies = new List<string>();
        foreach (var credential in new[] { clientId.ToString("N") + ".wrong-secret-wrong-secret-wrong-secret", Guid.NewGuid().ToString("N") + token[32..], "not-a-credential" })
        {
            using var wrong = Client(credential);
            using var response = await LookupAsync(wrong, nhs);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        using (var none = _factory.NewClient())
        using (var response = await LookupAsync(none, nhs))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        using var client = Client(token);
        using (var ok = await LookupAsync(client, nhs))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var scope = _factory.Services.CreateScope())
        {
            var admin = await scope.ServiceProvider.GetRequiredService<Haven.Core.Data.HavenDbContext>().Users.Where(u => u.Email == "adam.admin@demo.haven.test").Select(u => u.Id).SingleAsync(Ct);
            Assert.True(await scope.ServiceProvider.GetRequiredService<CpisService>().RevokeAsync(clientId, admin, Ct));
        }

        // Another instance would notice within the cache lifetime; this test waits it out rather than relying on the page's eviction.
        await Task.Delay(Haven.Web.Infrastructure.CpisClientCache.Lifetime + TimeSpan.FromMilliseconds(200), Ct);
        using (var revoked = await LookupAsync(client, nhs))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
            bodies.Add(await revoked.Content.ReadAsStringAsync(Ct));
        }

        Assert.Single(bodies.Distinct());
        Assert.DoesNotContain("revoked", bodies[0], StringComparison.OrdinalIgnoreCase);

        var (_, lookupOnly) = await RegisterAsync(scopes: [CpisCodes.ScopeLookup]);
        using var limited = Client(lookupOnly);
        using var concern = await limited.PostAsJsonAsync("/api/v1/cpis/concerns", new { nhsNumber = nhs, lookupId = Guid.NewGuid(), concern = "x" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, concern.StatusCode);

        // A signed-in member of staff is not a CP-IS client.
        using var nurse = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, nurse, "nina.nurse@demo.haven.test");
        using var staff = await LookupAsync(nurse, nhs);
        Assert.Equal(HttpStatusCode.Unauthorized, staff.StatusCode);
    }

    [Fact]
    public async Task Requests_above_the_clients_limit_get_429_and_other_clients_are_unaffected()
    {
        var (_, token) = await RegisterAsync(limit: 3);
        var (_, other) = await RegisterAsync(limit: 3);
        using var client = Client(token);
        var nhs = await NhsOfAsync("Amara");
        for (var i = 0; i < 3; i++)
        {
            using var ok = await LookupAsync(client, nhs);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var flood = await LookupAsync(client, nhs);
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.Contains("Too many requests", await flood.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(flood.Headers.Contains("Retry-After"));
        // A refused request is not a lookup: nothing recorded for it.
        Assert.Equal(3, await _factory.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == CpisCodes.LookupAction, Ct)));

        using var otherClient = Client(other);
        using var fine = await LookupAsync(otherClient, nhs);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_concern_reaches_the_responsible_teams_inbox_and_only_theirs()
    {
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        var nhs = await NhsOfAsync("Amara");
        using var lookup = await LookupAsync(client, nhs, "Paediatric registrar");
        var lookupId = (await JsonAsync(lookup)).GetProperty("id").GetString();

        using var wrongNumber = await client.PostAsJsonAsync("/api/v1/cpis/concerns", new { nhsNumber = await NhsOfAsync("Lily"), lookupId, concern = "Bruising" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, wrongNumber.StatusCode);
        using var sent = await client.PostAsJsonAsync("/api/v1/cpis/concerns",
            new { nhsNumber = nhs, lookupId, clinicianRole = "Paediatric registrar", concern = "Unexplained bruising on both upper arms." }, Ct);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == CpisCodes.ConcernAction, Ct)));

        // Ruby belongs to Essex's family group conference team: her check goes to Fay, not to Sam.
        await AddInvolvementAsync("Ruby", "child_protection", Today.AddMonths(-1), null);
        using (var ruby = await LookupAsync(client, await NhsOfAsync("Ruby")))
        {
            Assert.Equal(HttpStatusCode.OK, ruby.StatusCode);
        }

        using var sam = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, sam, "sam.worker@demo.haven.test");
        var inbox = await sam.GetStringAsync("/cpis/notifications", Ct);
        Assert.Contains("Unexplained bruising on both upper arms.", inbox, StringComparison.Ordinal);
        Assert.Contains("Kingston Hospital emergency department", inbox, StringComparison.Ordinal);
        Assert.Contains("Paediatric registrar", inbox, StringComparison.Ordinal);
        Assert.Contains("Amara Clarke", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("Ruby", inbox, StringComparison.Ordinal);
        Assert.Contains("href=\"/cpis/notifications\"", inbox, StringComparison.Ordinal);

        using var fay = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, fay, "fay.fgc@demo.haven.test");
        var fayInbox = await fay.GetStringAsync("/cpis/notifications", Ct);
        Assert.Contains("Ruby Hart", fayInbox, StringComparison.Ordinal);
        Assert.DoesNotContain("Amara", fayInbox, StringComparison.Ordinal);

        // Marking as read: only for notifications the user receives.
        var concernId = await _factory.WithDbAsync(db => db.Set<CpisConcern>().Select(c => c.Id).SingleAsync(Ct));
        using (var byFay = await TestSignIn.PostFormAsync(fay, "/cpis/notifications?handler=read", new Dictionary<string, string> { ["id"] = concernId.ToString() }, "/cpis/notifications"))
        {
            Assert.Equal(HttpStatusCode.Redirect, byFay.StatusCode);
        }

        Assert.Null(await _factory.WithDbAsync(db => db.Set<CpisConcern>().Select(c => c.ReadAt).SingleAsync(Ct)));
        using (var bySam = await TestSignIn.PostFormAsync(sam, "/cpis/notifications?handler=read", new Dictionary<string, string> { ["id"] = concernId.ToString() }, "/cpis/notifications"))
        {
            Assert.Equal(HttpStatusCode.Redirect, bySam.StatusCode);
        }

        Assert.NotNull(await _factory.WithDbAsync(db => db.Set<CpisConcern>().Select(c => c.ReadAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Registering_a_client_shows_the_secret_once_and_stores_only_its_hash()
    {
        using var admin = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, admin, "adam.admin@demo.haven.test");
        using var invalid = await TestSignIn.PostFormAsync(admin, "/cpis/clients/new", new Dictionary<string, string> { ["Name"] = "", ["OdsCode"] = "x", ["RateLimitPerMinute"] = "0" });
        var errors = await invalid.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Enter the name of the setting", errors, StringComparison.Ordinal);
        Assert.Contains("Select the type of setting", errors, StringComparison.Ordinal);

        using var response = await TestSignIn.PostFormAsync(admin, "/cpis/clients/new", new Dictionary<string, string>
        {
            ["Name"] = "Surbiton walk-in centre",
            ["SettingType"] = "walk_in_centre",
            ["OdsCode"] = "rax02",
            ["RateLimitPerMinute"] = "60",
            ["Scopes"] = CpisCodes.ScopeLookup,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var token = CredentialPattern().Match(html).Groups[1].Value;
        Assert.True(CpisCredentials.TryParse("Bearer " + token, out var id, out var secret), html);

        var stored = await _factory.WithDbAsync(db => db.Set<CpisClient>().AsNoTracking().SingleAsync(c => c.Id == id, Ct));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), stored.SecretHash);
        Assert.Equal("RAX02", stored.OdsCode);
        Assert.Equal([CpisCodes.ScopeLookup], stored.Scopes);
        var dump = await _factory.DumpAsync(Ct);
        Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        var list = await admin.GetStringAsync("/cpis/clients", Ct);
        Assert.Contains("Surbiton walk-in centre", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.True(await _factory.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == CpisCodes.ClientRegisteredAction, Ct)));

        // The credential works at once; revoking from the page stops it at once on this instance.
        using var client = Client(token);
        using (var ok = await LookupAsync(client, await NhsOfAsync("Amara")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var revoke = await TestSignIn.PostFormAsync(admin, "/cpis/clients?handler=revoke", new Dictionary<string, string> { ["clientId"] = id.ToString() }, "/cpis/clients"))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }

        using var refused = await LookupAsync(client, await NhsOfAsync("Amara"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_authority_contacts_are_editable_and_the_OpenAPI_document_describes_every_answer()
    {
        using var dpo = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, dpo, "dora.dpo@demo.haven.test");
        using var saved = await TestSignIn.PostFormAsync(dpo, "/cpis/authority", new Dictionary<string, string>
        {
            ["DisplayName"] = "Achieving for Children",
            ["OfficeHoursPhone"] = "020 7946 0555",
            ["EmergencyDutyPhone"] = "020 7946 0556",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, token) = await RegisterAsync();
        using var client = Client(token);
        using var response = await LookupAsync(client, await NhsOfAsync("Amara"));
        Assert.Contains("020 7946 0556", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var openApi = JsonDocument.Parse(await _factory.NewClient().GetStringAsync("/openapi/v1.json", Ct)).RootElement;
        var responses = openApi.GetProperty("paths").GetProperty("/api/v1/cpis/lookups").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "403", "404", "429" })
        {
            Assert.True(responses.TryGetProperty(status, out _), "OpenAPI has no " + status + " for the lookup");
        }

        Assert.True(openApi.GetProperty("components").GetProperty("schemas").TryGetProperty("CpisBundle", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/cpis/concerns", out _));
        Assert.False(openApi.GetProperty("paths").TryGetProperty("/bench/cpis-minimal", out _));
    }

    [GeneratedRegex("id=\"credential\">([^<]+)<")]
    private static partial Regex CredentialPattern();
}
