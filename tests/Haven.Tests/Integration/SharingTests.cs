using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Haven.Core.Rights;
using Haven.Core.Sharing;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// Information sharing against a real database with the demo data: a disclosure goes through the register check and
/// is logged with the register's lawful basis, or is refused with its reasons and nothing stored; overseas sharing
/// follows the person's recorded consent; a restricted record is refused; a record the worker cannot open gets the
/// same answer as one that does not exist; partners and agreements are validated; and the disclosure shows in the
/// log, on the record, on the timeline and through the API.
/// </summary>
public sealed class SharingTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Sam = "sam.worker@demo.haven.test";
    private const string Fay = "fay.fgc@demo.haven.test";
    private const string Dora = "dora.dpo@demo.haven.test";
    private const string Safeguarding = "childrens-social-care/safeguarding-and-care";
    private const string Fgc = "family-group-conference/family-group-conference";
    private HavenFactory _factory = null!;
    private Guid _amara;
    private Guid _ruby;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await PersonAsync(_factory, "Amara");
        _ruby = await PersonAsync(_factory, "Ruby");
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static object Share(string purpose, string recipient, string[] categories, string? country = null, string when = "made", DateOnly? on = null) =>
        new { purpose, recipient, categories, country, summary = "Strategy discussion minutes and the latest visit note", when, disclosedOn = on, method = "secure-email" };

    private Task<int> DisclosuresAsync(Guid person) => _factory.WithDbAsync(db => db.Set<Disclosure>().CountAsync(d => d.PersonId == person, Ct));

    private Task<int> AuditCountAsync(string action) => _factory.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == action, Ct));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>(Ct));

    private static List<string> Reasons(JsonElement body) => body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();

    [Fact]
    public async Task An_allowed_disclosure_is_logged_with_the_register_basis_and_agreement_and_audited_without_values()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        var response = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share(Safeguarding, "police", ["identity.name", "safeguarding"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await _factory.WithDbAsync(db => db.Set<Disclosure>().AsNoTracking().SingleAsync(d => d.PersonId == _amara, Ct));
        Assert.Equal(("police", Safeguarding.Split('/')[1]), (stored.RecipientCode, stored.ActivityCode));
        Assert.Equal(Haven.Core.Privacy.RegisterCodes.Label(Haven.Core.Privacy.RegisterCodes.LawfulBases, "public-task"), stored.LawfulBasis);
        Assert.Equal(["identity.name", "safeguarding"], stored.Categories);
        Assert.True(stored.MadeThroughHaven);
        Assert.Equal(Today, stored.DisclosedOn);
        // The demo's multi-agency agreement covers the police for safeguarding.
        var agreement = await _factory.WithDbAsync(db => db.Set<SharingAgreement>().SingleAsync(a => a.Id == stored.AgreementId, Ct));
        Assert.Equal("Multi-agency safeguarding information-sharing agreement", agreement.Title);

        var audit = await _factory.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == SharingAuditActions.Disclosed, Ct));
        Assert.Equal([_amara], audit.PersonIds);
        Assert.DoesNotContain("Strategy discussion", audit.Details!, StringComparison.Ordinal);
        Assert.DoesNotContain("Amara", audit.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disclosure_shows_on_the_record_the_timeline_the_api_and_the_organisations_log_only()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share(Safeguarding, "education-providers", ["education.attendance"], when: "recorded", on: Today.AddDays(-3)))).StatusCode);

        var list = await JsonAsync(await sam.GetAsync($"/api/v1/people/{_amara}/disclosures", Ct));
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal("education-providers", item.GetProperty("recipientCode").GetString());
        Assert.False(item.GetProperty("madeThroughHaven").GetBoolean());
        Assert.Equal(Iso(Today.AddDays(-3)), item.GetProperty("disclosedOn").GetString());

        var record = await TextAsync(await sam.GetAsync($"/people/{_amara}", Ct));
        Assert.Contains("Information shared", record, StringComparison.Ordinal);
        Assert.Contains("education providers including early years, schools and colleges", record, StringComparison.Ordinal);
        Assert.Contains($"/people/{_amara}/share", record, StringComparison.Ordinal);
        var timeline = await TextAsync(await sam.GetAsync($"/people/{_amara}/timeline", Ct));
        Assert.Contains("Information shared with education providers", timeline, StringComparison.Ordinal);

        using var dora = await SignedInAsync(_factory, Dora);
        var log = await JsonAsync(await dora.GetAsync("/api/v1/sharing/disclosures?recipient=education-providers", Ct));
        Assert.Single(log.EnumerateArray());
        Assert.Empty((await JsonAsync(await dora.GetAsync($"/api/v1/sharing/disclosures?from={Iso(Today.AddDays(-1))}", Ct))).EnumerateArray());
        var page = await TextAsync(await dora.GetAsync("/sharing/disclosures", Ct));
        Assert.Contains("Amara Clarke", page, StringComparison.Ordinal);
        Assert.Contains("Recorded afterwards", page, StringComparison.Ordinal);
        var csv = await dora.GetAsync("/sharing/disclosures/csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("education providers", await csv.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(SharingAuditActions.LogExported, await AuditActionsAsync(_factory));

        // Essex County Council's governance officer sees only Essex's log.
        using var ian = await SignedInAsync(_factory, "ian.governance@demo.haven.test");
        Assert.Empty((await JsonAsync(await ian.GetAsync("/api/v1/sharing/disclosures", Ct))).EnumerateArray());
    }

    [Fact]
    public async Task An_undeclared_recipient_is_refused_with_the_reason_audited_and_nothing_stored()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        var refusals = await AuditCountAsync(Haven.Core.Privacy.RegisterAuditActions.DisclosureRefused);

        var response = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share(Safeguarding, "local-newspaper", ["identity.name"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Reasons(await JsonAsync(response)), r => r.Contains("does not name 'local-newspaper'", StringComparison.Ordinal));
        Assert.Equal(0, await DisclosuresAsync(_amara));
        Assert.Equal(refusals + 1, await AuditCountAsync(Haven.Core.Privacy.RegisterAuditActions.DisclosureRefused));
        Assert.Equal(0, await AuditCountAsync(SharingAuditActions.Disclosed));
    }

    [Fact]
    public async Task A_category_the_notice_does_not_allow_for_the_recipient_is_refused()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        // CP-IS receives only basic details; health information is not among them.
        var limited = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share(Safeguarding, "nhs-unscheduled-care", ["identity.name", "special.health"]));
        Assert.Equal(HttpStatusCode.BadRequest, limited.StatusCode);
        Assert.Contains(Reasons(await JsonAsync(limited)), r => r.Contains("is shared with NHS unscheduled care settings", StringComparison.Ordinal));
        // Supporting Families does not collect offence data at all.
        var undeclared = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share("childrens-social-care/supporting-families", "dwp", ["criminal.offences"]));
        Assert.Contains(Reasons(await JsonAsync(undeclared)), r => r.Contains("is not collected for supporting families programme", StringComparison.Ordinal));
        Assert.Equal(0, await DisclosuresAsync(_amara));
    }

    [Fact]
    public async Task Family_overseas_needs_recorded_consent_and_a_withdrawn_consent_stops_it_again()
    {
        using var fay = await SignedInAsync(_factory, Fay);
        var overseas = Share(Fgc, "family-overseas", ["identity.name", "family"], country: "Canada");

        var without = await PostJsonAsync(fay, $"/api/v1/people/{_ruby}/disclosures", overseas);
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Contains(Reasons(await JsonAsync(without)), r => r.Contains("Record the person's consent first", StringComparison.Ordinal));

        var ecc = await _factory.WithDbAsync(db => db.People.Where(p => p.Id == _ruby).Select(p => p.OrganisationId).SingleAsync(Ct));
        var consentId = Guid.NewGuid();
        await _factory.WithDbAsync(db =>
        {
            db.Add(new PersonConsent { Id = consentId, PersonId = _ruby, OrganisationId = ecc, ServiceCode = "family-group-conference", Purpose = "Sharing with her aunt in Canada for the conference", GivenOn = Today });
            return db.SaveChangesAsync(Ct);
        });
        var with = await PostJsonAsync(fay, $"/api/v1/people/{_ruby}/disclosures", overseas);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        Assert.Equal("Canada", (await JsonAsync(with)).GetProperty("country").GetString());

        await _factory.WithDbAsync(db => db.Set<PersonConsent>().Where(c => c.Id == consentId).ExecuteUpdateAsync(c => c.SetProperty(x => x.WithdrawnOn, Today), Ct));
        var withdrawn = await PostJsonAsync(fay, $"/api/v1/people/{_ruby}/disclosures", overseas);
        Assert.Equal(HttpStatusCode.BadRequest, withdrawn.StatusCode);
        Assert.Equal(1, await DisclosuresAsync(_ruby));
    }

    [Fact]
    public async Task A_record_whose_processing_is_restricted_is_refused_with_the_reason()
    {
        await _factory.WithDbAsync(db => db.People.Where(p => p.Id == _amara).ExecuteUpdateAsync(p => p.SetProperty(x => x.ProcessingRestricted, true), Ct));
        using var sam = await SignedInAsync(_factory, Sam);

        var response = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", Share(Safeguarding, "police", ["identity.name"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Reasons(await JsonAsync(response)), r => r.Contains("restricted", StringComparison.Ordinal));
        Assert.Equal(0, await DisclosuresAsync(_amara));
        Assert.True(await _factory.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == Haven.Core.Privacy.RegisterAuditActions.DisclosureRefused && e.PersonIds.Contains(_amara), Ct)));
    }

    [Theory]
    [InlineData("maria.manager@demo.haven.test")]
    [InlineData("pat.lapsed@demo.haven.test")]
    [InlineData(Fay)]
    public async Task A_worker_who_cannot_open_the_record_gets_the_same_answer_as_for_a_record_that_does_not_exist(string email)
    {
        using var worker = await SignedInAsync(_factory, email);
        var body = Share(Safeguarding, "police", ["identity.name"]);

        var real = await PostJsonAsync(worker, $"/api/v1/people/{_amara}/disclosures", body);
        var none = await PostJsonAsync(worker, $"/api/v1/people/{Guid.NewGuid()}/disclosures", body);

        Assert.Equal(HttpStatusCode.NotFound, real.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(await none.Content.ReadAsStringAsync(Ct), await real.Content.ReadAsStringAsync(Ct));
        var readReal = await worker.GetAsync($"/api/v1/people/{_amara}/disclosures", Ct);
        var readNone = await worker.GetAsync($"/api/v1/people/{Guid.NewGuid()}/disclosures", Ct);
        Assert.Equal((HttpStatusCode.NotFound, await readNone.Content.ReadAsStringAsync(Ct)), (readReal.StatusCode, await readReal.Content.ReadAsStringAsync(Ct)));
        Assert.Equal((await worker.GetAsync($"/people/{Guid.NewGuid()}/share", Ct)).StatusCode, (await worker.GetAsync($"/people/{_amara}/share", Ct)).StatusCode);
        Assert.Equal(0, await DisclosuresAsync(_amara));
    }

    [Fact]
    public async Task Bad_input_gets_an_error_for_each_field_and_is_not_a_refusal()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        var refusals = await AuditCountAsync(Haven.Core.Privacy.RegisterAuditActions.DisclosureRefused);

        var response = await PostJsonAsync(sam, $"/api/v1/people/{_amara}/disclosures", new { when = "recorded", disclosedOn = Today.AddDays(2) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        foreach (var field in new[] { "Purpose", "Recipient", "Categories", "Summary", "DisclosedOn" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Equal(refusals, await AuditCountAsync(Haven.Core.Privacy.RegisterAuditActions.DisclosureRefused));
    }

    [Fact]
    public async Task The_share_form_lists_the_registers_recipients_and_shows_a_refusal_on_the_page()
    {
        using var sam = await SignedInAsync(_factory, Sam);
        var choose = await TextAsync(await sam.GetAsync($"/people/{_amara}/share", Ct));
        Assert.Contains("Why are you sharing information?", choose, StringComparison.Ordinal);
        var path = $"/people/{_amara}/share?purpose={Uri.EscapeDataString(Safeguarding)}";
        var form = await TextAsync(await sam.GetAsync(path, Ct));
        Assert.Contains("Metropolitan Police", form, StringComparison.Ordinal);
        Assert.Contains("Care Quality Commission (CQC)", form, StringComparison.Ordinal);

        var fields = new Dictionary<string, string> { ["Purpose"] = Safeguarding, ["Recipient"] = "nhs-unscheduled-care", ["Categories"] = "special.health", ["Summary"] = "Health needs", ["When"] = "made" };
        var refused = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/share", fields, path));
        Assert.Contains("Haven cannot share this information", refused, StringComparison.Ordinal);
        Assert.Equal(0, await DisclosuresAsync(_amara));

        var police = await _factory.WithDbAsync(db => db.Set<SharingPartner>().Where(p => p.RecipientCodes.Contains("police")).Select(p => p.Id).FirstAsync(Ct));
        fields["Recipient"] = $"police|{police}";
        fields["Categories"] = "safeguarding";
        var shared = await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/share", fields, path);
        Assert.Equal(HttpStatusCode.Redirect, shared.StatusCode);
        var stored = await _factory.WithDbAsync(db => db.Set<Disclosure>().AsNoTracking().SingleAsync(d => d.PersonId == _amara, Ct));
        Assert.Equal(police, stored.PartnerId);
        Assert.StartsWith("Metropolitan Police", stored.RecipientName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partners_and_agreements_are_validated_and_kept_to_the_users_organisation()
    {
        var dora = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == Dora).Select(u => u.Id).SingleAsync(Ct));
        using var scope = _factory.Services.CreateScope();
        var partners = scope.ServiceProvider.GetRequiredService<PartnerService>();

        var (none, errors) = await partners.SavePartnerAsync(dora, null, new PartnerInput { Email = "not an email", RecipientCodes = ["made-up"] }, Ct);
        Assert.Null(none);
        Assert.Equal(["Name", "PartnerType", "Email", "RecipientCodes"], errors.Keys.ToArray());
        var (partner, ok) = await partners.SavePartnerAsync(dora, null, new PartnerInput { Name = "Kingston Youth Justice Service (test)", PartnerType = "other-council", RecipientCodes = ["youth-offending-probation"] }, Ct);
        Assert.Empty(ok);
        var (_, duplicate) = await partners.SavePartnerAsync(dora, null, new PartnerInput { Name = "Kingston Youth Justice Service (test)", PartnerType = "other", RecipientCodes = [] }, Ct);
        Assert.Contains("Name", duplicate.Keys);

        var afc = await _factory.WithDbAsync(db => db.Organisations.Where(o => o.ShortName == "afc").Select(o => o.Id).SingleAsync(Ct));
        var agreementErrors = await partners.ValidateAgreementAsync(afc, new AgreementInput
        {
            Title = "",
            PartnerIds = [Guid.NewGuid()],
            Purposes = ["no-such/purpose"],
            Categories = ["not-a-category"],
            LawfulBasis = "because",
            StartsOn = Today,
            ReviewOn = Today.AddDays(-1),
            Status = SharingCodes.StatusEnded,
        }, Ct);
        Assert.Equal(["Title", "PartnerIds", "Purposes", "Categories", "LawfulBasis", "ReviewOn", "EndsOn"], agreementErrors.Keys.ToArray());

        var (agreement, saved) = await partners.SaveAgreementAsync(dora, null, new AgreementInput
        {
            Title = "Youth justice protocol (test)",
            PartnerIds = [partner!.Value],
            Purposes = [Safeguarding],
            Categories = ["criminal.offences"],
            LawfulBasis = "public-task",
            StartsOn = Today.AddYears(-2),
            ReviewOn = Today.AddDays(-1),
            Status = SharingCodes.StatusActive,
        }, Ct);
        Assert.Empty(saved);

        using var client = await SignedInAsync(_factory, Dora);
        var list = await JsonAsync(await client.GetAsync("/api/v1/sharing/agreements", Ct));
        var mine = list.EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == agreement);
        Assert.True(mine.GetProperty("overdueForReview").GetBoolean());
        var page = await TextAsync(await client.GetAsync("/sharing/agreements", Ct));
        Assert.Contains("Overdue for review", page, StringComparison.Ordinal);
        var partnersPage = await TextAsync(await client.GetAsync("/sharing/partners", Ct));
        Assert.Contains("Kingston Youth Justice Service (test)", partnersPage, StringComparison.Ordinal);
        var invalid = await TextAsync(await TestSignIn.PostFormAsync(client, "/sharing/partners/edit", new Dictionary<string, string> { ["Name"] = "" }));
        Assert.Contains("There is a problem", invalid, StringComparison.Ordinal);
        Assert.Contains("Enter the partner organisation's name", invalid, StringComparison.Ordinal);

        // Another organisation's governance officer does not see them.
        using var ian = await SignedInAsync(_factory, "ian.governance@demo.haven.test");
        Assert.DoesNotContain("Kingston Youth Justice", await ian.GetStringAsync("/api/v1/sharing/partners", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await ian.GetAsync($"/sharing/agreements/edit/{agreement}", Ct)).StatusCode);
    }
}
