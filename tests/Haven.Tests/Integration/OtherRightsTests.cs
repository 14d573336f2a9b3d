using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Haven.Core.CaseWork;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Retention;
using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Haven.Tests.Integration.RightsTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// Rectification, erasure, objection, consent withdrawal and portability against a real database with the demo data:
/// each writes its decision, history, audit and letters; erasure destroys everything linked and never passes a legal
/// hold; rectification notices go to every recipient in the disclosure log; a withdrawn consent stops a transfer that
/// relied on it; the portability export holds only what the person provided; and only rights handlers get in.
/// </summary>
public sealed class OtherRightsTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string[] NameOnly = ["identity.name"];
    private HavenFactory _factory = null!;
    private Guid _amara;
    private Guid _dora;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await CaseRecordTestSupport.PersonAsync(_factory, "Amara");
        _dora = await UserAsync(_factory, Dora);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    // ---- Erasure ----

    [Fact]
    public async Task Granted_erasure_destroys_the_record_and_everything_linked_to_it_and_keeps_only_counts()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Erasure], _amara);
        await AddDisclosureAsync(_amara, "police", "Kingston Police");
        Assert.True(await CountLinkedAsync(_amara) > 3);

        var result = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(_dora, request, true, null, "We have erased your records.", Ct));

        Assert.Empty(result.Errors);
        Assert.Contains("Erased", result.Message, StringComparison.Ordinal);
        Assert.False(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));
        Assert.Equal(0, await CountLinkedAsync(_amara));
        var decision = Assert.Single(await DecisionsAsync(_factory, request));
        Assert.Equal((RightsCodes.Erasure, "granted"), (decision.RightCode, decision.Outcome));
        Assert.Contains("\"people\":1", decision.Details!.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Amara", decision.Details, StringComparison.Ordinal);
        var kept = await _factory.WithDbAsync(db => db.Set<RightsRequest>().AsNoTracking().SingleAsync(r => r.Id == request, Ct));
        Assert.Equal("Amara Clarke", kept.SubjectName);
        Assert.Null(kept.SubjectDateOfBirth);
        Assert.Contains(await MessagesAsync(_factory, request), m => m.Kind == "erasure_done");
        Assert.Contains(OtherRightsAuditActions.ErasureDecided, await AuditActionsAsync(_factory, "rights.erasure"));
    }

    [Fact]
    public async Task Erasure_under_a_legal_hold_is_refused_with_ground_legal_hold_and_nothing_is_deleted()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Erasure], _amara);
        var (holdErrors, _) = await WithAsync<LegalHoldService, (IReadOnlyDictionary<string, string>, Guid?)>(_factory, h => h.PlaceAsync(_dora,
            new LegalHoldInput("person", null, _amara, null, null, "Independent inquiry into children's services", "Inquiry chair", CaseRecordTestSupport.Today, null), Ct));
        Assert.Empty(holdErrors);
        var before = await CountLinkedAsync(_amara);

        var result = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(_dora, request, true, null, "We have erased your records.", Ct));

        Assert.Empty(result.Errors);
        Assert.Contains("legal hold", result.Message, StringComparison.Ordinal);
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));
        Assert.Equal(before, await CountLinkedAsync(_amara));
        var decision = Assert.Single(await DecisionsAsync(_factory, request));
        Assert.Equal(("refused", "legal_hold"), (decision.Outcome, decision.Ground));
        Assert.Contains(await MessagesAsync(_factory, request), m => m.Kind == "erasure_refused" && m.Body.Contains("legal hold", StringComparison.Ordinal));
        Assert.Contains(OtherRightsAuditActions.ErasureRefusedHeld, await AuditActionsAsync(_factory, "rights.erasure"));
    }

    [Fact]
    public async Task Erasure_refused_needs_an_Article_17_ground_and_a_reason_and_is_decided_once()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Erasure], _amara);

        var bad = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(_dora, request, false, "because", null, Ct));
        Assert.Equal("Select the lawful ground for refusing erasure", bad.Errors["Ground"]);
        Assert.Equal("Enter why erasure is refused", bad.Errors["Reason"]);
        Assert.Empty(await DecisionsAsync(_factory, request));

        var refused = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(_dora, request, false, "public_task",
            "Records of child protection work must be kept to protect children.", Ct));
        Assert.Empty(refused.Errors);
        Assert.Equal(("refused", "public_task"), (Assert.Single(await DecisionsAsync(_factory, request)).Outcome, Assert.Single(await DecisionsAsync(_factory, request)).Ground));
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));
        Assert.Contains(await MessagesAsync(_factory, request), m => m.Kind == "erasure_refused" && m.Body.Contains("Information Commissioner", StringComparison.Ordinal));

        var again = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(_dora, request, true, null, "Erase", Ct));
        Assert.Contains("already been recorded", again.Errors["Outcome"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_decided_before_the_requesters_identity_is_confirmed()
    {
        var staff = _dora;
        var (_, submitted) = await WithAsync<RightsRequestService, (IReadOnlyDictionary<string, string>, SubmittedRequest?)>(_factory, s => s.SubmitAsync(
            new RightsRequestInput("afc", [RightsCodes.Erasure], "self", "Amara Clarke", "a@example.test", null, null, "Amara Clarke", null, null, null, null, Channel: "email"), staff, Ct));
        Assert.Empty(await WithAsync<RightsRequestService, IReadOnlyDictionary<string, string>>(_factory, s => s.MatchSubjectAsync(staff, submitted!.Id, _amara, Ct)));

        var result = await WithAsync<ErasureService, ErasureResult>(_factory, s => s.DecideAsync(staff, submitted!.Id, true, null, "Erase", Ct));

        Assert.Contains("identity", result.Errors["Outcome"], StringComparison.Ordinal);
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));
    }

    // ---- Rectification ----

    [Fact]
    public async Task Accepted_rectification_is_applied_and_a_notice_goes_to_every_recipient_the_data_was_shared_with()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Rectification], _amara);
        await AddDisclosureAsync(_amara, "police", "Kingston Police");
        await AddDisclosureAsync(_amara, "police", "Kingston Police");
        await AddDisclosureAsync(_amara, "school", "Latchmere School");

        var bad = await WithAsync<RectificationService, IReadOnlyDictionary<string, string>>(_factory, s => s.ProposeAsync(_dora, request,
            new RectificationInput(_amara, "date_of_birth", null, null, "31/02/2015"), Ct));
        Assert.Contains("year-month-day", bad["ProposedValue"], StringComparison.Ordinal);
        Assert.Empty(await WithAsync<RectificationService, IReadOnlyDictionary<string, string>>(_factory, s => s.ProposeAsync(_dora, request,
            new RectificationInput(_amara, "family_name", null, null, "Clarke-Mensah"), Ct)));
        Assert.Empty(await WithAsync<RectificationService, IReadOnlyDictionary<string, string>>(_factory, s => s.ProposeAsync(_dora, request,
            new RectificationInput(_amara, "other", "Case note of 3 March", "Says Amara missed school", "Amara was at school that day"), Ct)));
        var items = await WithAsync<RectificationService, IReadOnlyList<RectificationItem>>(_factory, s => s.ItemsAsync(request, Ct));
        Assert.Equal("Clarke", items[0].CurrentValue);

        var result = await WithAsync<RectificationService, RectificationResult>(_factory, s => s.DecideAsync(_dora, request,
            new RectificationDecisionInput([items[0].Id], ApplyDirectly: true, "Your surname is corrected.", "I was at school on 3 March."), Ct));

        Assert.Empty(result.Errors);
        Assert.Equal(["Kingston Police", "Latchmere School"], result.RecipientsTold);
        Assert.Equal("Clarke-Mensah", await _factory.WithDbAsync(db => db.People.Where(p => p.Id == _amara).Select(p => p.FamilyName).SingleAsync(Ct)));
        var messages = await MessagesAsync(_factory, request);
        var notices = messages.Where(m => m.Kind == "rectification_notice").ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Contains("Clarke-Mensah", n.Body, StringComparison.Ordinal));
        Assert.All(notices, n => Assert.DoesNotContain("at school that day", n.Body, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Kind == "rectification_decision" && m.Body.Contains("Kingston Police, Latchmere School", StringComparison.Ordinal));
        var decision = Assert.Single(await DecisionsAsync(_factory, request));
        Assert.Equal("partly", decision.Outcome);
        var statement = await _factory.WithDbAsync(db => db.Set<RecordStatement>().AsNoTracking().SingleAsync(s => s.PersonId == _amara, Ct));
        Assert.Equal("I was at school on 3 March.", statement.Text);
        // The audit says what happened, never the values.
        var details = await _factory.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(a => a.Action.StartsWith("rights.rectification")).Select(a => a.Details).ToListAsync(Ct));
        Assert.All(details, d => Assert.DoesNotContain("Mensah", d ?? "", StringComparison.Ordinal));
    }

    // ---- Objection ----

    [Fact]
    public async Task An_objection_is_upheld_saying_what_stops_or_refused_on_an_Article_21_ground()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Objection], _amara);
        var bad = await WithAsync<ObjectionService, IReadOnlyDictionary<string, string>>(_factory, s => s.DecideAsync(_dora, request, false, "not-a-ground", null, "No", Ct));
        Assert.Equal("Select the ground for refusing the objection", bad["Ground"]);

        Assert.Empty(await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.PlaceWhileObjectionConsideredAsync(_dora, request, "While we consider the objection", Ct)));
        Assert.True(await _factory.WithDbAsync(db => db.People.Where(p => p.Id == _amara).Select(p => p.ProcessingRestricted).SingleAsync(Ct)));
        Assert.Empty(await WithAsync<ObjectionService, IReadOnlyDictionary<string, string>>(_factory, s => s.DecideAsync(_dora, request, false, "compelling_grounds", null,
            "Safeguarding Amara outweighs the objection.", Ct)));
        var decision = Assert.Single(await DecisionsAsync(_factory, request));
        Assert.Equal((RightsCodes.Objection, "refused", "compelling_grounds"), (decision.RightCode, decision.Outcome, decision.Ground));
    }

    // ---- Consent ----

    [Fact]
    public async Task Withdrawing_consent_makes_a_consent_based_overseas_disclosure_check_refuse()
    {
        var ecc = await OrganisationAsync(_factory, "ecc-fgc");
        var ian = await UserAsync(_factory, Ian);
        var person = await PersonInAsync(ecc, "Tobiah", "Wrenfield");
        var request = await RequestAsync(_factory, [RightsCodes.ConsentWithdrawal], person, organisation: "ecc-fgc", staffEmail: Ian);
        var overseas = new DisclosureRequest("family-group-conference", "family-group-conference", "family-overseas", ["identity.name", "family"]);

        Assert.False((await CheckAsync(ecc, overseas, person)).Allowed);
        Assert.Empty(await WithAsync<ConsentService, IReadOnlyDictionary<string, string>>(_factory, s => s.RecordAsync(ian, request,
            new ConsentInput(person, "family-group-conference", "Sharing with family members overseas for the conference", CaseRecordTestSupport.Today.AddDays(-30)), Ct)));
        // The caller's own consent flag does not count when a person is named: their recorded consents do.
        Assert.True((await CheckAsync(ecc, overseas with { ConsentRecorded = false }, person)).Allowed);

        var consent = await _factory.WithDbAsync(db => db.Set<PersonConsent>().Where(c => c.PersonId == person).Select(c => c.Id).SingleAsync(Ct));
        var none = await WithAsync<ConsentService, IReadOnlyDictionary<string, string>>(_factory, s => s.WithdrawAsync(ian, request, [], "Withdrawn", Ct));
        Assert.Equal("Select the consents the person withdraws", none["ConsentIds"]);
        Assert.Empty(await WithAsync<ConsentService, IReadOnlyDictionary<string, string>>(_factory, s => s.WithdrawAsync(ian, request, [consent], "Your consent is withdrawn.", Ct)));

        var refused = await CheckAsync(ecc, overseas with { ConsentRecorded = true }, person);
        Assert.False(refused.Allowed);
        Assert.Contains("Record the person's consent first", Assert.Single(refused.Reasons), StringComparison.Ordinal);
        var withdrawn = await _factory.WithDbAsync(db => db.Set<PersonConsent>().AsNoTracking().SingleAsync(c => c.Id == consent, Ct));
        Assert.Equal((CaseRecordTestSupport.Today, request), (withdrawn.WithdrawnOn!.Value, withdrawn.WithdrawnRequestId!.Value));
        Assert.Equal("granted", Assert.Single(await DecisionsAsync(_factory, request)).Outcome);

        // Through the API, with the person's record number.
        using var client = await CaseRecordTestSupport.SignedInAsync(_factory, Ian);
        var response = await CaseRecordTestSupport.PostJsonAsync(client, "/api/v1/register/ecc-fgc/disclosure-check",
            new { service = "family-group-conference", activity = "family-group-conference", recipient = "family-overseas", categories = NameOnly, consentRecorded = true, personId = person });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(body.GetProperty("allowed").GetBoolean());
    }

    // ---- Portability ----

    [Fact]
    public async Task The_portability_export_holds_only_what_the_person_provided()
    {
        await AddNoteAsync(_amara, "child", "I told my worker I like drawing");
        await AddNoteAsync(_amara, "family", "Mum said Amara sleeps well");
        await AddNoteAsync(_amara, "police", "Police welfare check found nothing of concern");
        var childRequest = await RequestAsync(_factory, [RightsCodes.Portability], _amara, relationship: RightsCodes.RelationshipChild);
        var selfRequest = await RequestAsync(_factory, [RightsCodes.Portability], _amara);

        var child = (await WithAsync<PortabilityExport, PortabilityData?>(_factory, s => s.BuildAsync(_dora, childRequest, Ct)))!;
        var json = System.Text.Encoding.UTF8.GetString(PortabilityExport.Json(child));
        Assert.Contains("I told my worker I like drawing", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Mum said", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Police welfare", json, StringComparison.Ordinal);
        Assert.All(child.Subjects.SelectMany(s => s.Entries), e => Assert.Equal("child", e.Source));
        Assert.Equal("Amara", Assert.Single(child.Subjects).Details["givenName"]);

        var self = (await WithAsync<PortabilityExport, PortabilityData?>(_factory, s => s.BuildAsync(_dora, selfRequest, Ct)))!;
        Assert.Contains(self.Subjects.SelectMany(s => s.Entries), e => e.Fields.GetValueOrDefault("text") == "Mum said Amara sleeps well");
        Assert.DoesNotContain(self.Subjects.SelectMany(s => s.Entries), e => e.Source is not ("child" or "family"));

        Assert.Empty(await WithAsync<PortabilityExport, IReadOnlyDictionary<string, string>>(_factory, s => s.DecideAsync(_dora, childRequest, true, "Your export is ready.", Ct)));
        var decision = Assert.Single(await DecisionsAsync(_factory, childRequest));
        Assert.Equal("granted", decision.Outcome);
        Assert.Contains($"\"entries\":{child.EntryCount}", decision.Details!.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // Downloads through the API, as JSON and CSV, are audited.
        using var client = await CaseRecordTestSupport.SignedInAsync(_factory, Dora);
        var download = await client.GetAsync($"/api/v1/rights/{childRequest}/portability.json", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Contains("I told my worker I like drawing", await download.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var csv = await client.GetStringAsync($"/api/v1/rights/{childRequest}/portability.csv", Ct);
        Assert.StartsWith("record_number,entry_type", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains(",case_note,", csv, StringComparison.Ordinal);
        Assert.Contains("I told my worker I like drawing", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Police welfare", csv, StringComparison.Ordinal);
        Assert.Equal(2, (await AuditActionsAsync(_factory, OtherRightsAuditActions.PortabilityDownloaded)).Count);
    }

    // ---- Access to the pages and API ----

    [Fact]
    public async Task A_practitioner_gets_403_and_another_organisation_gets_the_same_404_as_an_unknown_request()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Erasure, RightsCodes.Portability], _amara);
        using var sam = await CaseRecordTestSupport.SignedInAsync(_factory, Sam);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/rights/{request}/decide/erasure", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/api/v1/rights/{request}/portability.json", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CaseRecordTestSupport.PostJsonAsync(sam, $"/api/v1/rights/{request}/decisions",
            new { right = "erasure", outcome = "granted", reason = "x" })).StatusCode);
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));

        using var ian = await CaseRecordTestSupport.SignedInAsync(_factory, Ian);
        var theirs = await CaseRecordTestSupport.PostJsonAsync(ian, $"/api/v1/rights/{request}/decisions", new { right = "erasure", outcome = "granted", reason = "x" });
        var unknown = await CaseRecordTestSupport.PostJsonAsync(ian, $"/api/v1/rights/{Guid.NewGuid()}/decisions", new { right = "erasure", outcome = "granted", reason = "x" });
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (theirs.StatusCode, unknown.StatusCode));
        Assert.Equal(await unknown.Content.ReadAsStringAsync(Ct), await theirs.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await ian.GetAsync($"/rights/{request}/decide/erasure", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ian.GetAsync($"/api/v1/rights/{request}/portability.json", Ct)).StatusCode);
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == _amara, Ct)));

        // The DPO decides through the API; bad input gets field errors and changes nothing.
        using var dora = await CaseRecordTestSupport.SignedInAsync(_factory, Dora);
        var errors = await CaseRecordTestSupport.ValidationErrorsAsync(await CaseRecordTestSupport.PostJsonAsync(dora, $"/api/v1/rights/{request}/decisions",
            new { right = "erasure", outcome = "refused", ground = "nonsense" }));
        Assert.Equal(["Select the lawful ground for refusing erasure"], errors["Ground"]);
        Assert.Equal(HttpStatusCode.NotFound, (await dora.GetAsync($"/rights/{request}/decide/restriction", Ct)).StatusCode);
        var ok = await CaseRecordTestSupport.PostJsonAsync(dora, $"/api/v1/rights/{request}/decisions",
            new { right = "erasure", outcome = "refused", ground = "legal_claims", reason = "Needed for care proceedings." });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("refused", (await ok.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        var page = await CaseRecordTestSupport.TextAsync(await dora.GetAsync($"/rights/{request}/decide/erasure", Ct));
        Assert.Contains("Establishing, exercising or defending legal claims", page, StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private async Task<DisclosureDecision> CheckAsync(Guid organisation, DisclosureRequest request, Guid person) =>
        await WithAsync<DisclosureChecker, DisclosureDecision>(_factory, c => c.CheckForPersonAsync(organisation, request, person, Ct));

    private async Task<int> CountLinkedAsync(Guid person)
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        var total = 0;
        foreach (var (table, column) in PersonLinks.Columns)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*)::int FROM {table} WHERE {column} = @id", connection);
            command.Parameters.AddWithValue("id", person);
            total += (int)(await command.ExecuteScalarAsync(Ct))!;
        }

        return total;
    }

    private Task<int> AddDisclosureAsync(Guid person, string code, string name) => _factory.WithDbAsync(async db =>
    {
        var organisation = await db.People.Where(p => p.Id == person).Select(p => p.OrganisationId).SingleAsync(Ct);
        db.Add(new Disclosure
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation,
            PersonId = person,
            RecipientCode = code,
            RecipientName = name,
            RecipientAddress = $"{code}@example.test",
            ServiceCode = "childrens-social-care",
            ActivityCode = "safeguarding-and-care",
            Purpose = "Safeguarding",
            LawfulBasis = "Public task",
            Categories = ["identity.name"],
            Summary = "Name and date of birth for a strategy discussion",
            DisclosedOn = CaseRecordTestSupport.Today.AddDays(-10),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return await db.SaveChangesAsync(Ct);
    });

    private Task<int> AddNoteAsync(Guid person, string source, string text) => _factory.WithDbAsync(async db =>
    {
        db.Add(new CaseNote
        {
            Id = Guid.NewGuid(),
            PersonId = person,
            Source = source,
            ContactType = "visit",
            ContactDate = CaseRecordTestSupport.Today.AddDays(-5),
            Text = text,
            CreatedByUserId = await UserAsync(_factory, Sam),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return await db.SaveChangesAsync(Ct);
    });

    private Task<Guid> PersonInAsync(Guid organisation, string given, string family) => _factory.WithDbAsync(async db =>
    {
        var person = new Haven.Core.Data.Entities.Person
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation,
            GivenName = given,
            FamilyName = family,
            DateOfBirth = new DateOnly(2012, 4, 2),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.People.Add(person);
        await db.SaveChangesAsync(Ct);
        return person.Id;
    });
}
