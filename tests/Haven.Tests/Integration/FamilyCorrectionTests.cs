using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Haven.Core.Audit;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// Correcting relationships and household memberships: pages and API, the changed fields in the audit (never the
/// values), validation, version conflicts, need-to-know access, facts of another person and the privacy register.
/// </summary>
public sealed partial class FamilyCorrectionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<Relationship> RelationshipAsync(Guid personId, Guid relatedId) =>
        _factory.WithDbAsync(db => db.Set<Relationship>().AsNoTracking().SingleAsync(r => r.PersonId == personId && r.RelatedPersonId == relatedId));

    private Task<Relationship> RelationshipAsync(Guid id) => _factory.WithDbAsync(db => db.Set<Relationship>().AsNoTracking().SingleAsync(r => r.Id == id));

    private Task<HouseholdMember> MembershipAsync(Guid id) => _factory.WithDbAsync(db => db.Set<HouseholdMember>().AsNoTracking().SingleAsync(m => m.Id == id));

    private Task<List<AuditEvent>> AuditAsync(string action) => _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == action).ToListAsync());

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static uint VersionOn(string html) => uint.Parse(VersionField().Match(html).Groups[1].Value, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> RelationshipForm(Relationship r, uint version)
    {
        var form = new Dictionary<string, string>
        {
            ["Version"] = version.ToString(CultureInfo.InvariantCulture),
            ["RelatedPersonId"] = r.RelatedPersonId.ToString(),
            ["RelationshipType"] = r.RelationshipType,
            ["ParentalResponsibility"] = r.ParentalResponsibility ? "yes" : "no",
            ["Source"] = r.Source,
        };
        if (r.StartedOn is { } started)
        {
            Date(form, "StartedOn", started);
        }

        if (r.EndedOn is { } ended)
        {
            Date(form, "EndedOn", ended);
        }

        return form;
    }

    [Fact]
    public async Task A_relationship_is_corrected_through_the_page_and_audited_with_the_changed_field_names_only()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var row = await RelationshipAsync(amara, danielle);
        var editPath = $"/people/{amara}/relationships/{row.Id}/edit";

        var record = await TextAsync(await sam.GetAsync($"/people/{amara}", Ct));
        Assert.Contains(editPath, record, StringComparison.Ordinal);

        var edit = await sam.GetAsync(editPath, Ct);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var html = await TextAsync(edit);
        Assert.Contains("Change a relationship", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{danielle}\"", html, StringComparison.Ordinal);
        Assert.Equal(row.Version, VersionOn(html));

        // The mother is unchanged, so the relationship is not a duplicate of itself.
        var corrected = row.StartedOn!.Value.AddDays(1);
        var form = RelationshipForm(row, row.Version);
        Date(form, "StartedOn", corrected);
        form["Source"] = "health_visitor";
        var response = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/people/{amara}#family", response.Headers.Location?.OriginalString);

        var stored = await RelationshipAsync(row.Id);
        Assert.Equal(corrected, stored.StartedOn);
        Assert.Equal("health_visitor", stored.Source);
        Assert.Equal("mother", stored.RelationshipType);
        Assert.True(stored.ParentalResponsibility);
        Assert.NotEqual(row.Version, stored.Version);

        var audit = Assert.Single(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));
        Assert.Contains(amara, audit.PersonIds);
        Assert.Contains(danielle, audit.PersonIds);
        Assert.Contains("StartedOn", audit.Details, StringComparison.Ordinal);
        Assert.Contains("Source", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("RelationshipType", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("ParentalResponsibility", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("health_visitor", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Day(corrected), audit.Details, StringComparison.Ordinal);

        var after = await TextAsync(await sam.GetAsync($"/people/{amara}", Ct));
        Assert.Contains("Relationship corrected", after, StringComparison.Ordinal);
        Assert.Contains(corrected.ToString("d MMM yyyy", CultureInfo.InvariantCulture), after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_relationship_corrections_show_every_error_and_store_nothing()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var row = await RelationshipAsync(amara, danielle);
        var editPath = $"/people/{amara}/relationships/{row.Id}/edit";

        var form = new Dictionary<string, string>
        {
            ["Version"] = row.Version.ToString(CultureInfo.InvariantCulture),
            ["RelatedPersonId"] = amara.ToString(),
            ["RelationshipType"] = "cousin",
            ["Source"] = "rumour",
        };
        Date(form, "StartedOn", new DateOnly(2020, 5, 1));
        Date(form, "EndedOn", new DateOnly(2019, 5, 1));
        var response = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("A person cannot be related to themselves", html, StringComparison.Ordinal);
        Assert.Contains("Select relationship from the list", html, StringComparison.Ordinal);
        Assert.Contains("Select whether this person has parental responsibility", html, StringComparison.Ordinal);
        Assert.Contains("End date must be the same as or after the start date", html, StringComparison.Ordinal);
        Assert.Contains("Select where this information came from", html, StringComparison.Ordinal);

        // A date that is not a real date is reported with the others, and nothing is stored either.
        var notADate = RelationshipForm(row, row.Version);
        notADate["EndedOnDay"] = "31";
        notADate["EndedOnMonth"] = "2";
        notADate["EndedOnYear"] = "2024";
        notADate["Source"] = "rumour";
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, editPath, notADate));
        Assert.Contains("End date must be a real date", html, StringComparison.Ordinal);
        Assert.Contains("Select where this information came from", html, StringComparison.Ordinal);

        var api = $"/api/v1/people/{amara}/relationships/{row.Id}";
        var errors = await ValidationErrorsAsync(await PutJsonAsync(sam, api, new { relatedPersonId = danielle, relationshipType = "cousin", version = row.Version }));
        Assert.Contains("RelationshipType", errors.Keys);
        Assert.Contains("ParentalResponsibility", errors.Keys);
        Assert.Contains("Source", errors.Keys);
        errors = await ValidationErrorsAsync(await PutJsonAsync(sam, api, new { relatedPersonId = danielle, relationshipType = "mother", parentalResponsibility = true, source = "family" }));
        Assert.Contains("Send the version", errors["version"][0], StringComparison.Ordinal);

        var stored = await RelationshipAsync(row.Id);
        Assert.Equal(row.Version, stored.Version);
        Assert.Equal(row.Source, stored.Source);
        Assert.Equal(row.StartedOn, stored.StartedOn);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));
    }

    [Fact]
    public async Task A_stale_relationship_version_gives_a_conflict_with_the_current_values_and_stores_nothing()
    {
        using var sam = await SignedInAsync(_factory);
        using var samElsewhere = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var row = await RelationshipAsync(amara, danielle);
        var editPath = $"/people/{amara}/relationships/{row.Id}/edit";
        var started = VersionOn(await TextAsync(await sam.GetAsync(editPath, Ct)));

        // Meanwhile the same relationship is corrected elsewhere, through the API.
        var api = $"/api/v1/people/{amara}/relationships/{row.Id}";
        var first = await PutJsonAsync(samElsewhere, api,
            new { relatedPersonId = danielle, relationshipType = "mother", parentalResponsibility = true, startedOn = Iso(row.StartedOn!.Value), source = "school", version = started });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var saved = (await first.Content.ReadFromJsonAsync<RelationshipItem>(Ct))!;
        Assert.Equal("school", saved.Source);
        Assert.NotEqual(started, saved.Version);

        var form = RelationshipForm(row, started);
        form["Source"] = "police";
        var response = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("Someone else changed this relationship", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"govuk-table__cell\">School</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"govuk-table__cell\">Police</td>", html, StringComparison.Ordinal);
        Assert.Equal(saved.Version, VersionOn(html));
        Assert.Equal("school", (await RelationshipAsync(row.Id)).Source);

        var stale = await PutJsonAsync(sam, api,
            new { relatedPersonId = danielle, relationshipType = "mother", parentalResponsibility = true, source = "police", version = started });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        using (var body = JsonDocument.Parse(await stale.Content.ReadAsStringAsync(Ct)))
        {
            var current = body.RootElement.GetProperty("current");
            Assert.Equal("school", current.GetProperty("source").GetString());
            Assert.Equal(saved.Version, current.GetProperty("version").GetUInt32());
        }

        Assert.Equal("school", (await RelationshipAsync(row.Id)).Source);
        Assert.Single(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));

        // Having seen the other version, the worker saves theirs onto it.
        form["Version"] = saved.Version.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, editPath, form)).StatusCode);
        Assert.Equal("police", (await RelationshipAsync(row.Id)).Source);
        Assert.Equal(2, (await AuditAsync(CaseRecordAuditActions.RelationshipCorrected)).Count);
    }

    [Fact]
    public async Task A_household_membership_is_corrected_through_the_page_and_the_api()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var family = (await sam.GetFromJsonAsync<FamilyView>($"/api/v1/people/{amara}/family", Ct))!;
        var membership = Assert.Single(family.Memberships);
        var editPath = $"/people/{amara}/household/{membership.Id}/edit";
        Assert.Contains(editPath, await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);

        var html = await TextAsync(await sam.GetAsync(editPath, Ct));
        Assert.Contains("Change where this person lived", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{membership.HouseholdId}\" selected", html, StringComparison.Ordinal);
        Assert.Equal(membership.Version, VersionOn(html));

        var movedIn = membership.LivedFrom.AddMonths(-1);
        var form = new Dictionary<string, string>
        {
            ["Version"] = membership.Version.ToString(CultureInfo.InvariantCulture),
            ["HouseholdId"] = membership.HouseholdId.ToString(),
            ["Source"] = "school",
        };
        Date(form, "LivedFrom", movedIn);
        var response = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await MembershipAsync(membership.Id);
        Assert.Equal(movedIn, stored.LivedFrom);
        Assert.Equal("school", stored.Source);
        var audit = Assert.Single(await AuditAsync(CaseRecordAuditActions.HouseholdMemberCorrected));
        Assert.Equal([amara], audit.PersonIds);
        Assert.Contains("changed LivedFrom, Source", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("school", audit.Details, StringComparison.Ordinal);

        // The address was mistyped: the API moves the membership to a new household with the right address.
        var corrected = await PutJsonAsync(sam, $"/api/v1/people/{amara}/household-memberships/{membership.Id}",
            new { newHouseholdLabel = "41 Orchard Row, Kingston upon Thames KT1 2AB", livedFrom = Iso(movedIn), source = "school", version = stored.Version });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var item = (await corrected.Content.ReadFromJsonAsync<MembershipItem>(Ct))!;
        Assert.Equal("41 Orchard Row, Kingston upon Thames KT1 2AB", item.Label);
        Assert.NotEqual(membership.HouseholdId, item.HouseholdId);
        Assert.Equal(item.HouseholdId, (await MembershipAsync(membership.Id)).HouseholdId);
        Assert.Contains(await AuditAsync(CaseRecordAuditActions.HouseholdCreated), e => e.PersonIds.Contains(amara));
        Assert.Contains(await AuditAsync(CaseRecordAuditActions.HouseholdMemberCorrected), e => e.Details == $"membership {membership.Id}; changed HouseholdId");
    }

    [Fact]
    public async Task Bad_or_stale_household_corrections_store_nothing_and_never_end_another_membership()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var current = (await _factory.WithDbAsync(db => db.Set<HouseholdMember>().AsNoTracking().SingleAsync(m => m.PersonId == amara)));
        var earlier = await PostJsonAsync(sam, $"/api/v1/people/{amara}/household-memberships",
            new { newHouseholdLabel = "2 Quay Street, Kingston upon Thames KT1 1AA", livedFrom = Iso(Today.AddYears(-5)), livedTo = Iso(Today.AddYears(-3)), source = "family" });
        Assert.Equal(HttpStatusCode.Created, earlier.StatusCode);
        var earlierId = (await earlier.Content.ReadFromJsonAsync<Haven.Web.Api.FactCreated>(Ct))!.Id;
        var earlierRow = await MembershipAsync(earlierId);
        var householdsBefore = await _factory.WithDbAsync(db => db.Set<Household>().CountAsync());

        var editPath = $"/people/{amara}/household/{earlierId}/edit";
        var form = new Dictionary<string, string>
        {
            ["Version"] = earlierRow.Version.ToString(CultureInfo.InvariantCulture),
            ["HouseholdId"] = earlierRow.HouseholdId.ToString(),
            ["NewHouseholdLabel"] = "3 Quay Street",
            ["Source"] = "family",
        };
        Date(form, "LivedFrom", Today.AddYears(-3));
        Date(form, "LivedTo", Today.AddYears(-4));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, editPath, form));
        Assert.Contains("Either select a household or enter a new one, not both", html, StringComparison.Ordinal);
        Assert.Contains("Date moved out must be the same as or after the date moved in", html, StringComparison.Ordinal);

        // Stretching the earlier household into the current one is an overlap: a correction does not end the other one.
        var api = $"/api/v1/people/{amara}/household-memberships/{earlierId}";
        var overlap = await PutJsonAsync(sam, api,
            new { householdId = earlierRow.HouseholdId, livedFrom = Iso(Today.AddYears(-5)), source = "family", version = earlierRow.Version });
        Assert.Contains("must not overlap", (await ValidationErrorsAsync(overlap))["LivedFrom"][0], StringComparison.Ordinal);

        var first = await PutJsonAsync(sam, api,
            new { householdId = earlierRow.HouseholdId, livedFrom = Iso(Today.AddYears(-5)), livedTo = Iso(Today.AddYears(-3)), source = "carer", version = earlierRow.Version });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stale = await PutJsonAsync(sam, api,
            new { householdId = earlierRow.HouseholdId, livedFrom = Iso(Today.AddYears(-6)), livedTo = Iso(Today.AddYears(-3)), source = "family", version = earlierRow.Version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        using (var body = JsonDocument.Parse(await stale.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal("carer", body.RootElement.GetProperty("current").GetProperty("source").GetString());
        }

        var pageForm = new Dictionary<string, string>
        {
            ["Version"] = earlierRow.Version.ToString(CultureInfo.InvariantCulture),
            ["HouseholdId"] = earlierRow.HouseholdId.ToString(),
            ["Source"] = "police",
        };
        Date(pageForm, "LivedFrom", Today.AddYears(-5));
        Date(pageForm, "LivedTo", Today.AddYears(-3));
        var conflict = await TestSignIn.PostFormAsync(sam, editPath, pageForm);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Someone else changed this household membership", await TextAsync(conflict), StringComparison.Ordinal);

        var stored = await MembershipAsync(earlierId);
        Assert.Equal("carer", stored.Source);
        Assert.Equal(Today.AddYears(-3), stored.LivedTo);
        var untouched = await MembershipAsync(current.Id);
        Assert.Null(untouched.LivedTo);
        Assert.Equal(current.Version, untouched.Version);
        Assert.Equal(householdsBefore, await _factory.WithDbAsync(db => db.Set<Household>().CountAsync()));
        Assert.Single(await AuditAsync(CaseRecordAuditActions.HouseholdMemberCorrected));
    }

    [Fact]
    public async Task A_worker_without_a_working_relationship_cannot_correct_family_facts()
    {
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var row = await RelationshipAsync(amara, danielle);
        var membership = await _factory.WithDbAsync(db => db.Set<HouseholdMember>().AsNoTracking().SingleAsync(m => m.PersonId == amara));

        // A team manager may record people, but has no working relationship with Amara.
        using var maria = await SignedInAsync(_factory, "maria.manager@demo.haven.test");
        foreach (var path in new[] { $"/people/{amara}/relationships/{row.Id}/edit", $"/people/{amara}/household/{membership.Id}/edit" })
        {
            var page = await maria.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            var html = await TextAsync(page);
            Assert.Contains("You do not have a working relationship with this person", html, StringComparison.Ordinal);
            Assert.DoesNotContain(danielle.ToString(), html, StringComparison.Ordinal);
            Assert.DoesNotContain("Orchard Row", html, StringComparison.Ordinal);
        }

        var form = RelationshipForm(row, row.Version);
        form["Source"] = "police";
        var refused = await TestSignIn.PostFormAsync(maria, $"/people/{amara}/relationships/{row.Id}/edit", form);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var api = await PutJsonAsync(maria, $"/api/v1/people/{amara}/relationships/{row.Id}",
            new { relatedPersonId = danielle, relationshipType = "mother", parentalResponsibility = true, source = "police", version = row.Version });
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        api = await PutJsonAsync(maria, $"/api/v1/people/{amara}/household-memberships/{membership.Id}",
            new { householdId = membership.HouseholdId, livedFrom = Iso(membership.LivedFrom), source = "police", version = membership.Version });
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);

        Assert.Equal(row.Version, (await RelationshipAsync(row.Id)).Version);
        Assert.Equal(membership.Version, (await MembershipAsync(membership.Id)).Version);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.HouseholdMemberCorrected));
        Assert.Contains(await AuditAsync(AuditActions.PersonRecordDenied), e => e.PersonIds.Contains(amara));
    }

    [Fact]
    public async Task A_fact_of_another_person_cannot_be_changed_through_this_persons_route()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var jayden = await PersonAsync(_factory, "Jayden");
        var danielle = await PersonAsync(_factory, "Danielle");
        var jaydensMother = await RelationshipAsync(jayden, danielle);
        // "Amara is Jayden's sister" is recorded on Jayden's record: Amara's page links to it there.
        var jaydensSister = await RelationshipAsync(jayden, amara);
        var jaydensHousehold = await _factory.WithDbAsync(db => db.Set<HouseholdMember>().AsNoTracking().SingleAsync(m => m.PersonId == jayden));
        Assert.Contains($"/people/{jayden}/relationships/{jaydensSister.Id}/edit", await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);

        foreach (var relationship in new[] { jaydensMother, jaydensSister })
        {
            var path = $"/people/{amara}/relationships/{relationship.Id}/edit";
            Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(path, Ct)).StatusCode);
            var form = RelationshipForm(relationship, relationship.Version);
            form["Source"] = "police";
            Assert.Equal(HttpStatusCode.NotFound, (await TestSignIn.PostFormAsync(sam, path, form, $"/people/{amara}/relationships/new")).StatusCode);
            var api = await PutJsonAsync(sam, $"/api/v1/people/{amara}/relationships/{relationship.Id}",
                new { relatedPersonId = relationship.RelatedPersonId, relationshipType = relationship.RelationshipType, parentalResponsibility = relationship.ParentalResponsibility, source = "police", version = relationship.Version });
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            Assert.Equal(relationship.Version, (await RelationshipAsync(relationship.Id)).Version);
        }

        var householdPath = $"/people/{amara}/household/{jaydensHousehold.Id}/edit";
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(householdPath, Ct)).StatusCode);
        var householdForm = new Dictionary<string, string>
        {
            ["Version"] = jaydensHousehold.Version.ToString(CultureInfo.InvariantCulture),
            ["HouseholdId"] = jaydensHousehold.HouseholdId.ToString(),
            ["Source"] = "police",
        };
        Date(householdForm, "LivedFrom", jaydensHousehold.LivedFrom);
        Assert.Equal(HttpStatusCode.NotFound, (await TestSignIn.PostFormAsync(sam, householdPath, householdForm, $"/people/{amara}/household/new")).StatusCode);
        var membershipApi = await PutJsonAsync(sam, $"/api/v1/people/{amara}/household-memberships/{jaydensHousehold.Id}",
            new { householdId = jaydensHousehold.HouseholdId, livedFrom = Iso(jaydensHousehold.LivedFrom), source = "police", version = jaydensHousehold.Version });
        Assert.Equal(HttpStatusCode.NotFound, membershipApi.StatusCode);
        Assert.Equal(jaydensHousehold.Version, (await MembershipAsync(jaydensHousehold.Id)).Version);

        // Through its own record, the same relationship can be corrected.
        var own = await PutJsonAsync(sam, $"/api/v1/people/{jayden}/relationships/{jaydensSister.Id}",
            new { relatedPersonId = amara, relationshipType = "sibling", parentalResponsibility = false, startedOn = Iso(jaydensSister.StartedOn!.Value), source = "school", version = jaydensSister.Version });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Single(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.HouseholdMemberCorrected));
    }

    [Fact]
    public async Task A_correction_is_held_to_the_privacy_register_like_a_new_fact()
    {
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var row = await RelationshipAsync(amara, danielle);
        // Sam's team's work now falls under a service the register does not describe: nothing may be collected.
        await _factory.WithDbAsync(async db =>
        {
            var team = await db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.TeamId).SingleAsync();
            return await db.Teams.Where(t => t.Id == team).ExecuteUpdateAsync(s => s.SetProperty(t => t.ServiceCode, "no-such-service"));
        });

        using var sam = await SignedInAsync(_factory);
        var response = await PutJsonAsync(sam, $"/api/v1/people/{amara}/relationships/{row.Id}",
            new { relatedPersonId = danielle, relationshipType = "mother", parentalResponsibility = false, source = "family", version = row.Version });
        var errors = await ValidationErrorsAsync(response);
        Assert.Contains("does not describe", Assert.Single(errors).Value[0], StringComparison.Ordinal);
        Assert.True((await RelationshipAsync(row.Id)).ParentalResponsibility);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.RelationshipCorrected));
    }

    [GeneratedRegex("name=\"Version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionField();
}
