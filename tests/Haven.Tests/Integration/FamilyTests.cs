using System.Net;
using System.Net.Http.Json;
using Haven.Core.Audit;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>Relationships and household membership over time: pages, API, validation, access and audit.</summary>
public sealed class FamilyTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<int> RelationshipCountAsync() => _factory.WithDbAsync(db => db.Set<Relationship>().CountAsync());

    private Task<int> MembershipCountAsync() => _factory.WithDbAsync(db => db.Set<HouseholdMember>().CountAsync());

    [Fact]
    public async Task The_record_page_shows_the_demo_family_household_involvements_and_education()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var html = await TextAsync(await sam.GetAsync($"/people/{amara}", Ct));
        Assert.Contains("Danielle Clarke is Amara Clarke's mother", html, StringComparison.Ordinal);
        Assert.Contains("Amara Clarke is Jayden Clarke's brother or sister", html, StringComparison.Ordinal);
        Assert.Contains("14 Orchard Row, Kingston upon Thames KT1 2AB", html, StringComparison.Ordinal);
        Assert.Contains("Child protection plan", html, StringComparison.Ordinal);
        Assert.Contains("Neglect", html, StringComparison.Ordinal);
        Assert.Contains("Riverside Primary School (demo)", html, StringComparison.Ordinal);
        Assert.Contains("Personal education plan (PEP)", html, StringComparison.Ordinal);
        Assert.Contains("80.0%", html, StringComparison.Ordinal);
        Assert.Contains(CaseRecordAuditActions.FamilyViewed, await AuditActionsAsync(_factory));
    }

    [Fact]
    public async Task A_relationship_recorded_through_the_page_is_stored_shown_and_audited_with_both_people()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var danielle = await PersonAsync(_factory, "Danielle");
        var form = new Dictionary<string, string>
        {
            ["RelatedPersonId"] = amara.ToString(),
            ["RelationshipType"] = "other",
            ["ParentalResponsibility"] = "no",
            ["Source"] = "family",
        };
        Date(form, "StartedOn", Today.AddYears(-1));
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{danielle}/relationships/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var row = await _factory.WithDbAsync(db => db.Set<Relationship>().SingleAsync(r => r.PersonId == danielle && r.RelatedPersonId == amara));
        Assert.Equal("other", row.RelationshipType);
        Assert.False(row.ParentalResponsibility);
        Assert.Equal("family", row.Source);
        var html = await TextAsync(await sam.GetAsync($"/people/{danielle}", Ct));
        Assert.Contains("Amara Clarke has another family relationship with Danielle Clarke", html, StringComparison.Ordinal);
        var audit = await _factory.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == CaseRecordAuditActions.RelationshipRecorded));
        Assert.Contains(amara, audit.PersonIds);
        Assert.Contains(danielle, audit.PersonIds);
    }

    [Fact]
    public async Task Bad_relationship_input_gets_an_error_for_each_field_and_nothing_is_stored()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var before = await RelationshipCountAsync();
        var form = new Dictionary<string, string>
        {
            ["RelatedPersonId"] = amara.ToString(),
            ["RelationshipType"] = "cousin",
            ["Source"] = "rumour",
        };
        Date(form, "StartedOn", new DateOnly(2020, 5, 1));
        Date(form, "EndedOn", new DateOnly(2019, 5, 1));
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{amara}/relationships/new", form);
        var html = await TextAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("A person cannot be related to themselves", html, StringComparison.Ordinal);
        Assert.Contains("Select relationship from the list", html, StringComparison.Ordinal);
        Assert.Contains("Select whether this person has parental responsibility", html, StringComparison.Ordinal);
        Assert.Contains("End date must be the same as or after the start date", html, StringComparison.Ordinal);
        Assert.Contains("Select where this information came from", html, StringComparison.Ordinal);

        var future = new Dictionary<string, string> { ["RelatedPersonId"] = "not-a-record-number", ["RelationshipType"] = "father", ["ParentalResponsibility"] = "yes", ["Source"] = "family" };
        Date(future, "StartedOn", Today.AddDays(10));
        future["EndedOnDay"] = "31";
        future["EndedOnMonth"] = "2";
        future["EndedOnYear"] = "2024";
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/relationships/new", future));
        Assert.Contains("Enter the Haven record number as it appears", html, StringComparison.Ordinal);
        Assert.Contains("Start date must be today or in the past", html, StringComparison.Ordinal);
        Assert.Contains("End date must be a real date", html, StringComparison.Ordinal);
        Assert.Equal(before, await RelationshipCountAsync());
        Assert.DoesNotContain(CaseRecordAuditActions.RelationshipRecorded, await AuditActionsAsync(_factory));
    }

    [Fact]
    public async Task Linking_to_a_record_the_worker_cannot_open_is_refused()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var noah = await PersonAsync(_factory, "Noah");
        var before = await RelationshipCountAsync();
        var response = await PostJsonAsync(sam, $"/api/v1/people/{amara}/relationships",
            new { relatedPersonId = noah, relationshipType = "half_sibling", parentalResponsibility = false, source = "family" });
        var errors = await ValidationErrorsAsync(response);
        Assert.Contains("You can only link records you can open", errors["RelatedPersonId"][0], StringComparison.Ordinal);
        Assert.Equal(before, await RelationshipCountAsync());
    }

    [Fact]
    public async Task The_api_records_relationships_and_lists_them_both_ways()
    {
        using var sam = await SignedInAsync(_factory);
        var jayden = await PersonAsync(_factory, "Jayden");
        var danielle = await PersonAsync(_factory, "Danielle");
        var created = await PostJsonAsync(sam, $"/api/v1/people/{danielle}/relationships",
            new { relatedPersonId = jayden, relationshipType = "other", parentalResponsibility = false, startedOn = Iso(Today.AddMonths(-2)), source = "carer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var family = await sam.GetFromJsonAsync<FamilyView>($"/api/v1/people/{danielle}/family", Ct);
        Assert.Contains(family!.Relationships, r => r.PersonId == jayden && r.RelatedPersonId == danielle && r.RelationshipType == "mother" && r.ParentalResponsibility);
        Assert.Contains(family.Relationships, r => r.PersonId == danielle && r.RelatedPersonId == jayden && r.Source == "carer");
        Assert.Equal(3, family.HouseholdNow.Single().Members.Count);

        var invalid = await PostJsonAsync(sam, $"/api/v1/people/{danielle}/relationships", new { relatedPersonId = danielle, relationshipType = "mother" });
        var errors = await ValidationErrorsAsync(invalid);
        Assert.Contains("RelatedPersonId", errors.Keys);
        Assert.Contains("ParentalResponsibility", errors.Keys);
        Assert.Contains("Source", errors.Keys);
    }

    [Fact]
    public async Task Who_lived_in_the_household_on_a_date_follows_moves()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var jayden = await PersonAsync(_factory, "Jayden");
        var moved = Today.AddMonths(-3);

        // Jayden moves to his grandmother's: the Orchard Row household ends for him the day before.
        var form = new Dictionary<string, string> { ["NewHouseholdLabel"] = "5 Elm Road, Surbiton KT6 1AA", ["Source"] = "family" };
        Date(form, "LivedFrom", moved);
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/household/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        async Task<List<HouseholdOnDate>> OnAsync(Guid person, DateOnly date) =>
            (await sam.GetFromJsonAsync<List<HouseholdOnDate>>($"/api/v1/people/{person}/household?date={Iso(date)}", Ct))!;

        var lastYear = await OnAsync(amara, Today.AddYears(-1));
        Assert.Equal(["Amara Clarke", "Danielle Clarke", "Jayden Clarke"], lastYear.Single().Members.Select(m => m.Name).Order(StringComparer.Ordinal));
        var dayBefore = await OnAsync(amara, moved.AddDays(-1));
        Assert.Contains(dayBefore.Single().Members, m => m.PersonId == jayden && m.LivedTo == moved.AddDays(-1));
        var now = await OnAsync(amara, Today);
        Assert.DoesNotContain(now.Single().Members, m => m.PersonId == jayden);
        Assert.Equal(2, now.Single().Members.Count);
        var jaydenNow = await OnAsync(jayden, moved);
        Assert.Equal("5 Elm Road, Surbiton KT6 1AA", jaydenNow.Single().Label);
        Assert.Equal([jayden], jaydenNow.Single().Members.Select(m => m.PersonId));
        Assert.Empty(await OnAsync(amara, Today.AddYears(-3)));

        // The page answers the same question, with the date in the query string only.
        var page = await TextAsync(await sam.GetAsync($"/people/{amara}/household?DateDay={moved.AddDays(-1).Day}&DateMonth={moved.AddDays(-1).Month}&DateYear={moved.AddDays(-1).Year}", Ct));
        Assert.Contains("Jayden Clarke", page, StringComparison.Ordinal);
        page = await TextAsync(await sam.GetAsync($"/people/{amara}/household?date={Iso(Today)}", Ct));
        Assert.DoesNotContain("Jayden Clarke", page, StringComparison.Ordinal);
        Assert.Contains("Danielle Clarke", page, StringComparison.Ordinal);
        page = await TextAsync(await sam.GetAsync($"/people/{amara}/household?date={Iso(Today.AddYears(-5))}", Ct));
        Assert.Contains("No household is recorded for Amara Clarke", page, StringComparison.Ordinal);

        var actions = await AuditActionsAsync(_factory);
        Assert.Contains(CaseRecordAuditActions.HouseholdCreated, actions);
        Assert.Contains(CaseRecordAuditActions.HouseholdMemberEnded, actions);
        Assert.Contains(CaseRecordAuditActions.HouseholdMemberAdded, actions);
        var viewed = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == CaseRecordAuditActions.HouseholdViewed).ToListAsync());
        Assert.Contains(viewed, e => e.PersonIds.Contains(jayden) && e.PersonIds.Contains(amara));
    }

    [Fact]
    public async Task Overlapping_or_impossible_household_dates_are_refused_and_nothing_is_stored()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var orchardRow = await _factory.WithDbAsync(db => db.Set<Household>().Select(h => h.Id).SingleAsync());
        var before = await MembershipCountAsync();

        var same = new Dictionary<string, string> { ["HouseholdId"] = orchardRow.ToString(), ["Source"] = "family" };
        Date(same, "LivedFrom", Today.AddYears(-1));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/household/new", same));
        Assert.Contains("already recorded as living in this household", html, StringComparison.Ordinal);

        var backwards = new Dictionary<string, string> { ["NewHouseholdLabel"] = "2 Quay Street", ["Source"] = "family" };
        Date(backwards, "LivedFrom", Today.AddYears(-4));
        Date(backwards, "LivedTo", Today.AddYears(-5));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/household/new", backwards));
        Assert.Contains("Date moved out must be the same as or after the date moved in", html, StringComparison.Ordinal);

        var neither = new Dictionary<string, string> { ["Source"] = "family" };
        Date(neither, "LivedFrom", Today.AddDays(3));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/household/new", neither));
        Assert.Contains("Select a household, or enter the address of a new household", html, StringComparison.Ordinal);
        Assert.Contains("Date moved in must be today or in the past", html, StringComparison.Ordinal);

        var overlapEarlier = await PostJsonAsync(sam, $"/api/v1/people/{amara}/household-memberships",
            new { newHouseholdLabel = "9 Canal Walk", livedFrom = Iso(Today.AddYears(-3)), livedTo = Iso(Today.AddYears(-1)), source = "family" });
        Assert.Contains("must not overlap", (await ValidationErrorsAsync(overlapEarlier))["LivedFrom"][0], StringComparison.Ordinal);

        Assert.Equal(before, await MembershipCountAsync());
        Assert.Equal(1, await _factory.WithDbAsync(db => db.Set<Household>().CountAsync()));
    }

    [Fact]
    public async Task A_user_without_a_working_relationship_gets_403_with_the_explanation_and_no_family_data()
    {
        var amara = await PersonAsync(_factory, "Amara");
        using var lee = await SignedInAsync(_factory, "lee.lead@demo.haven.test");
        var page = await lee.GetAsync($"/people/{amara}/household", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await TextAsync(page);
        Assert.Contains("You do not have a working relationship with this person.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Orchard Row", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/people/{amara}/family", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/people/{amara}/household", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/people/{amara}/relationships/new", Ct)).StatusCode);
        var denied = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditActions.PersonRecordDenied).ToListAsync());
        Assert.Contains(denied, e => e.PersonIds.Contains(amara));

        // A manager may record people, but not on a record she has no relationship with.
        var before = await RelationshipCountAsync();
        using var maria = await SignedInAsync(_factory, "maria.manager@demo.haven.test");
        var jayden = await PersonAsync(_factory, "Jayden");
        var form = new Dictionary<string, string> { ["RelatedPersonId"] = jayden.ToString(), ["RelationshipType"] = "sibling", ["ParentalResponsibility"] = "no", ["Source"] = "family" };
        var refused = await TestSignIn.PostFormAsync(maria, $"/people/{amara}/relationships/new", form);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("You do not have a working relationship with this person", await TextAsync(refused), StringComparison.Ordinal);
        Assert.Equal(before, await RelationshipCountAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await maria.GetAsync($"/api/v1/people/{Guid.NewGuid()}/family", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await maria.GetAsync($"/people/{Guid.NewGuid()}/household", Ct)).StatusCode);
    }

    [Fact]
    public async Task Restricted_relatives_are_named_only_to_those_allowed_to_see_restricted_records()
    {
        var noah = await PersonAsync(_factory, "Noah");
        var danielle = await PersonAsync(_factory, "Danielle");
        // Recorded directly: the link exists (made by someone who may open both), and Sam's team owns Danielle.
        await _factory.WithDbAsync(async db =>
        {
            var org = await db.People.Where(p => p.Id == danielle).Select(p => p.OrganisationId).SingleAsync();
            db.Set<Relationship>().Add(new Relationship { Id = Guid.NewGuid(), OrganisationId = org, PersonId = noah, RelatedPersonId = danielle, RelationshipType = "aunt_or_uncle", Source = "other_agency", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var sam = await SignedInAsync(_factory);
        var html = await TextAsync(await sam.GetAsync($"/people/{danielle}", Ct));
        Assert.Contains("Danielle Clarke is Restricted record's aunt or uncle", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Noah", html, StringComparison.Ordinal);
    }
}
