using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>Involvements, court orders and professionals: pages, API, pre-birth plans, sealing, validation, access and audit.</summary>
public sealed class InvolvementTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<int> InvolvementCountAsync() => _factory.WithDbAsync(db => db.Set<Involvement>().CountAsync());

    [Fact]
    public async Task A_referral_recorded_through_the_page_shows_on_the_record_and_is_audited()
    {
        using var sam = await SignedInAsync(_factory);
        var jayden = await PersonAsync(_factory, "Jayden");
        var form = new Dictionary<string, string> { ["InvolvementType"] = "referral", ["ReferralSource"] = "3B", ["CategoryOfAbuse"] = "PHY", ["Source"] = "health_visitor" };
        Date(form, "StartedOn", Today.AddMonths(-8));
        Date(form, "EndedOn", Today.AddMonths(-8).AddDays(1));
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/involvements/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var row = await _factory.WithDbAsync(db => db.Set<Involvement>().SingleAsync(i => i.PersonId == jayden && i.InvolvementType == "referral"));
        Assert.Equal("3B", row.ReferralSource);
        Assert.Null(row.CategoryOfAbuse);
        var html = await TextAsync(await sam.GetAsync($"/people/{jayden}", Ct));
        Assert.Contains("Health services - health visitor", html, StringComparison.Ordinal);
        Assert.Contains("Child in need plan", html, StringComparison.Ordinal);
        var audit = await _factory.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == CaseRecordAuditActions.InvolvementRecorded));
        Assert.Equal([jayden], audit.PersonIds);
    }

    [Fact]
    public async Task A_child_protection_plan_for_an_unborn_child_is_a_pre_birth_plan()
    {
        using var sam = await SignedInAsync(_factory);
        var unborn = await PersonAsync(_factory, "Unborn");
        var demo = await sam.GetFromJsonAsync<InvolvementsView>($"/api/v1/people/{unborn}/involvements", Ct);
        var plan = Assert.Single(demo!.Involvements);
        Assert.True(plan.PreBirth);
        Assert.Equal("Child protection plan (pre-birth)", plan.TypeLabel);

        // A new unborn child, recorded against the mother, gets a pre-birth plan through the page.
        var danielle = await PersonAsync(_factory, "Danielle");
        var created = await PostJsonAsync(sam, "/api/v1/people", new
        {
            personType = "unborn",
            familyName = "Clarke-Test",
            expectedDateOfBirth = Iso(Today.AddMonths(4)),
            motherId = danielle,
            duplicatesChecked = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var second = await _factory.WithDbAsync(db => db.People.Where(p => p.FamilyName == "Clarke-Test").Select(p => p.Id).SingleAsync());
        var form = new Dictionary<string, string> { ["InvolvementType"] = "child_protection", ["CategoryOfAbuse"] = "EMO", ["Source"] = "health_visitor" };
        Date(form, "StartedOn", Today);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{second}/involvements/new", form)).StatusCode);
        Assert.True(await _factory.WithDbAsync(db => db.Set<Involvement>().Where(i => i.PersonId == second).Select(i => i.PreBirth).SingleAsync()));
        Assert.Contains("Child protection plan (pre-birth)", await TextAsync(await sam.GetAsync($"/people/{second}", Ct)), StringComparison.Ordinal);

        // An unborn child cannot be looked after, and cannot be on two plans at once.
        var before = await InvolvementCountAsync();
        var looked = await PostJsonAsync(sam, $"/api/v1/people/{unborn}/involvements", new { involvementType = "looked_after", startedOn = Iso(Today), legalStatus = "V2", source = "family" });
        Assert.Contains("An unborn child can have", (await ValidationErrorsAsync(looked))["InvolvementType"][0], StringComparison.Ordinal);
        var twice = await PostJsonAsync(sam, $"/api/v1/people/{unborn}/involvements", new { involvementType = "child_protection", startedOn = Iso(Today), categoryOfAbuse = "NEG", source = "family" });
        Assert.Contains("must not overlap", (await ValidationErrorsAsync(twice))["StartedOn"][0], StringComparison.Ordinal);
        Assert.Equal(before, await InvolvementCountAsync());
    }

    [Fact]
    public async Task Disability_details_are_sealed_at_rest_and_shown_to_the_worker()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var form = new Dictionary<string, string> { ["InvolvementType"] = "disability", ["Details"] = "Hearing impairment; uses hearing aids in class", ["Source"] = "gp" };
        Date(form, "StartedOn", Today.AddYears(-3));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{amara}/involvements/new", form)).StatusCode);

        var sealedValue = await _factory.WithDbAsync(db => db.Set<Involvement>().Where(i => i.PersonId == amara && i.InvolvementType == "disability").Select(i => i.DetailsSealed).SingleAsync());
        Assert.NotNull(sealedValue);
        Assert.DoesNotContain("hearing", Encoding.UTF8.GetString(sealedValue), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hearing impairment; uses hearing aids in class", await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);
        var audit = await _factory.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == CaseRecordAuditActions.InvolvementRecorded));
        Assert.DoesNotContain("hearing", audit.Details ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bad_involvement_input_gets_an_error_for_each_field_and_nothing_is_stored()
    {
        using var sam = await SignedInAsync(_factory);
        var jayden = await PersonAsync(_factory, "Jayden");
        var before = await InvolvementCountAsync();
        var form = new Dictionary<string, string> { ["InvolvementType"] = "child_protection", ["Details"] = "bad\u0001text" };
        Date(form, "StartedOn", Today.AddMonths(-1));
        Date(form, "EndedOn", Today.AddMonths(-2));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{jayden}/involvements/new", form));
        Assert.Contains("Select category of abuse", html, StringComparison.Ordinal);
        Assert.Contains("End date must be the same as or after the start date", html, StringComparison.Ordinal);
        Assert.Contains("Details must not contain control or invisible formatting characters", html, StringComparison.Ordinal);
        Assert.Contains("Select where this information came from", html, StringComparison.Ordinal);

        var future = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/involvements", new { involvementType = "police_protection", startedOn = Iso(Today.AddDays(2)), source = "police" });
        Assert.Equal("Start date must be today or in the past", (await ValidationErrorsAsync(future))["StartedOn"][0]);
        var unknown = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/involvements", new { involvementType = "sanctioned", startedOn = Iso(Today), source = "police" });
        Assert.Equal("Select type of involvement from the list", (await ValidationErrorsAsync(unknown))["InvolvementType"][0]);
        var looked = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/involvements", new { involvementType = "looked_after", startedOn = Iso(Today), legalStatus = "Z9", source = "police" });
        Assert.Equal("Select legal status from the list", (await ValidationErrorsAsync(looked))["LegalStatus"][0]);
        var adoption = await PostJsonAsync(sam, $"/api/v1/people/{jayden}/involvements", new { involvementType = "adoption", startedOn = Iso(Today.AddYears(-1)), adoptionOrderOn = Iso(Today.AddYears(-2)), source = "other_agency" });
        Assert.Equal("Adoption order date must be the same as or after the start date", (await ValidationErrorsAsync(adoption))["AdoptionOrderOn"][0]);
        Assert.Equal(before, await InvolvementCountAsync());
    }

    [Fact]
    public async Task Looked_after_with_legal_status_court_orders_and_professionals_are_recorded()
    {
        using var sam = await SignedInAsync(_factory);
        var lily = await PersonAsync(_factory, "Lily");
        var looked = await PostJsonAsync(sam, $"/api/v1/people/{lily}/involvements", new { involvementType = "looked_after", startedOn = Iso(Today.AddMonths(-2)), legalStatus = "C2", source = "other_agency" });
        Assert.Equal(HttpStatusCode.Created, looked.StatusCode);

        var order = new Dictionary<string, string> { ["OrderType"] = "care_order", ["Court"] = "Kingston upon Thames Family Court", ["Source"] = "other_agency" };
        Date(order, "MadeOn", Today.AddMonths(-2));
        Date(order, "EndsOn", Today.AddYears(6));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{lily}/court-orders/new", order)).StatusCode);

        var badOrder = new Dictionary<string, string> { ["OrderType"] = "care_order", ["Source"] = "other_agency" };
        Date(badOrder, "MadeOn", Today.AddDays(5));
        var html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{lily}/court-orders/new", badOrder));
        Assert.Contains("Enter court", html, StringComparison.Ordinal);
        Assert.Contains("Date the order was made must be today or in the past", html, StringComparison.Ordinal);

        var gp = new Dictionary<string, string> { ["Role"] = "gp", ["Name"] = "Dr Ana Silva", ["Organisation"] = "Mill Lane Practice", ["Contact"] = "01632 960 333", ["Source"] = "carer" };
        Date(gp, "InvolvedFrom", Today.AddYears(-1));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{lily}/professionals/new", gp)).StatusCode);
        var badGp = new Dictionary<string, string> { ["Role"] = "plumber", ["Source"] = "carer" };
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{lily}/professionals/new", badGp));
        Assert.Contains("Select role from the list", html, StringComparison.Ordinal);
        Assert.Contains("Enter name", html, StringComparison.Ordinal);

        var view = await sam.GetFromJsonAsync<InvolvementsView>($"/api/v1/people/{lily}/involvements", Ct);
        Assert.Equal("C2", Assert.Single(view!.Involvements).LegalStatus);
        Assert.Equal(Today.AddYears(6), Assert.Single(view.CourtOrders).EndsOn);
        Assert.Equal("Dr Ana Silva", Assert.Single(view.Professionals).Name);
        var page = await TextAsync(await sam.GetAsync($"/people/{lily}", Ct));
        Assert.Contains("C2: Full care order", page, StringComparison.Ordinal);
        Assert.Contains("Care order (section 31)", page, StringComparison.Ordinal);
        var actions = await AuditActionsAsync(_factory);
        Assert.Contains(CaseRecordAuditActions.CourtOrderRecorded, actions);
        Assert.Contains(CaseRecordAuditActions.ProfessionalRecorded, actions);
    }

    [Fact]
    public async Task Adoption_with_its_order_date_is_shown_only_to_those_who_may_open_restricted_records()
    {
        var noah = await PersonAsync(_factory, "Noah");
        using var dora = await SignedInAsync(_factory, "dora.dpo@demo.haven.test");
        // The DPO may open restricted records but has no working relationship with Noah.
        Assert.Equal(HttpStatusCode.Forbidden, (await dora.GetAsync($"/api/v1/people/{noah}/involvements", Ct)).StatusCode);
        using var lee = await SignedInAsync(_factory, "lee.lead@demo.haven.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/people/{noah}/involvements", Ct)).StatusCode);
        var order = await _factory.WithDbAsync(db => db.Set<Involvement>().Where(i => i.PersonId == noah).Select(i => i.AdoptionOrderOn).SingleAsync());
        Assert.NotNull(order);
    }
}
