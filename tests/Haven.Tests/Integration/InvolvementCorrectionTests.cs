using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Haven.Core.Audit;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// Correcting involvements, court orders and professionals: pages and API, sealed details, the changed fields in
/// the audit (never the values), validation, version conflicts, need-to-know access and facts of another person.
/// </summary>
public sealed class InvolvementCorrectionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private Task<Involvement> InvolvementAsync(Guid id) => _factory.WithDbAsync(db => db.Set<Involvement>().AsNoTracking().SingleAsync(i => i.Id == id));

    private Task<CourtOrder> CourtOrderAsync(Guid id) => _factory.WithDbAsync(db => db.Set<CourtOrder>().AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<ProfessionalInvolved> ProfessionalAsync(Guid id) => _factory.WithDbAsync(db => db.Set<ProfessionalInvolved>().AsNoTracking().SingleAsync(p => p.Id == id));

    private Task<List<AuditEvent>> AuditAsync(string action) => _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == action).ToListAsync());

    private static string Number(uint version) => version.ToString(CultureInfo.InvariantCulture);

    private static async Task<InvolvementsView> ListAsync(HttpClient client, Guid personId) =>
        (await client.GetFromJsonAsync<InvolvementsView>($"/api/v1/people/{personId}/involvements", Ct))!;

    /// <summary>Amara's current child protection plan (neglect), as the API lists it.</summary>
    private static async Task<InvolvementItem> AmarasPlanAsync(HttpClient client, Guid amara) =>
        (await ListAsync(client, amara)).Involvements.Single(i => i.InvolvementType == "child_protection");

    /// <summary>Records a court order for Amara through the API (the demo has none for her) and returns it as listed.</summary>
    private static async Task<CourtOrderItem> AddCourtOrderAsync(HttpClient client, Guid amara)
    {
        var created = await PostJsonAsync(client, $"/api/v1/people/{amara}/court-orders",
            new { orderType = "interim_care_order", court = "Kingston Famly Court", madeOn = Iso(Today.AddMonths(-2)), source = "other_agency" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return Assert.Single((await ListAsync(client, amara)).CourtOrders);
    }

    private static Dictionary<string, string> PlanForm(InvolvementItem plan, uint version, string category, string? details, string source)
    {
        var form = new Dictionary<string, string>
        {
            ["Version"] = Number(version),
            ["InvolvementType"] = plan.InvolvementType,
            ["CategoryOfAbuse"] = category,
            ["Details"] = details ?? string.Empty,
            ["Source"] = source,
        };
        Date(form, "StartedOn", plan.StartedOn);
        return form;
    }

    [Fact]
    public async Task An_involvement_is_corrected_through_the_page_with_details_sealed_and_audited_by_field_name()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var plan = await AmarasPlanAsync(sam, amara);
        var editPath = $"/people/{amara}/involvements/{plan.Id}/edit";
        Assert.Contains(editPath, await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);

        var html = await TextAsync(await sam.GetAsync(editPath, Ct));
        Assert.Contains("Change an involvement", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"NEG\" selected", html, StringComparison.Ordinal);
        Assert.Equal(plan.Version, FamilyCorrectionTests.VersionOn(html));

        // The plan's own dates do not count as an overlapping child protection plan.
        const string details = "Emotional harm from exposure to domestic abuse.";
        var response = await TestSignIn.PostFormAsync(sam, editPath, PlanForm(plan, plan.Version, "EMO", details, "police"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/people/{amara}#involvements", response.Headers.Location?.OriginalString);

        var stored = await InvolvementAsync(plan.Id);
        Assert.Equal("EMO", stored.CategoryOfAbuse);
        Assert.Equal("police", stored.Source);
        Assert.DoesNotContain("domestic abuse", Encoding.UTF8.GetString(stored.DetailsSealed!), StringComparison.Ordinal);
        var listed = await AmarasPlanAsync(sam, amara);
        Assert.Equal(details, listed.Details);
        Assert.Equal(stored.Version, listed.Version);

        var audit = Assert.Single(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
        Assert.Equal([amara], audit.PersonIds);
        Assert.Equal($"involvement {plan.Id}; changed CategoryOfAbuse, Details, Source", audit.Details);

        // Saving what is already stored changes nothing and is not audited as a correction.
        var same = await TestSignIn.PostFormAsync(sam, editPath, PlanForm(plan, stored.Version, "EMO", details, "police"));
        Assert.Equal(HttpStatusCode.Redirect, same.StatusCode);
        Assert.Equal(stored.Version, (await InvolvementAsync(plan.Id)).Version);
        Assert.Single(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
    }

    [Fact]
    public async Task A_corrected_type_keeps_sealed_details_readable_under_the_new_type()
    {
        using var sam = await SignedInAsync(_factory);
        var jayden = await PersonAsync(_factory, "Jayden");
        var disability = (await ListAsync(sam, jayden)).Involvements.Single(i => i.InvolvementType == "disability");
        var response = await PutJsonAsync(sam, $"/api/v1/people/{jayden}/involvements/{disability.Id}",
            new { involvementType = "early_help", startedOn = Iso(disability.StartedOn), details = disability.Details, source = disability.Source, version = disability.Version });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var corrected = (await response.Content.ReadFromJsonAsync<InvolvementItem>(Ct))!;
        Assert.Equal("early_help", corrected.InvolvementType);
        Assert.Equal(disability.Details, corrected.Details);
        Assert.Equal(disability.Details, (await ListAsync(sam, jayden)).Involvements.Single(i => i.Id == disability.Id).Details);
        Assert.Equal($"involvement {disability.Id}; changed InvolvementType", Assert.Single(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected)).Details);
    }

    [Fact]
    public async Task Bad_involvement_court_order_and_professional_corrections_show_every_error_and_store_nothing()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var plan = await AmarasPlanAsync(sam, amara);
        var order = await AddCourtOrderAsync(sam, amara);
        var gp = (await ListAsync(sam, amara)).Professionals.Single(p => p.Role == "gp");

        var form = new Dictionary<string, string> { ["Version"] = Number(plan.Version), ["InvolvementType"] = "child_protection", ["CategoryOfAbuse"] = "XYZ", ["Source"] = "rumour" };
        Date(form, "StartedOn", Today.AddDays(5));
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{amara}/involvements/{plan.Id}/edit", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("Start date must be today or in the past", html, StringComparison.Ordinal);
        Assert.Contains("Select category of abuse from the list", html, StringComparison.Ordinal);
        Assert.Contains("Select where this information came from", html, StringComparison.Ordinal);

        // Amara's ended referral cannot become a second child protection plan over the current one.
        var referral = (await ListAsync(sam, amara)).Involvements.Single(i => i.InvolvementType == "referral");
        var overlap = await PutJsonAsync(sam, $"/api/v1/people/{amara}/involvements/{referral.Id}",
            new { involvementType = "child_protection", startedOn = Iso(plan.StartedOn.AddDays(1)), categoryOfAbuse = "NEG", source = "school", version = referral.Version });
        Assert.Contains("must not overlap", (await ValidationErrorsAsync(overlap))["StartedOn"][0], StringComparison.Ordinal);

        var orderForm = new Dictionary<string, string> { ["Version"] = Number(order.Version), ["OrderType"] = "interim_care_order", ["Court"] = "", ["Source"] = "other_agency" };
        Date(orderForm, "MadeOn", Today.AddDays(3));
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/court-orders/{order.Id}/edit", orderForm));
        Assert.Contains("Enter court", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Date the order was made must be today or in the past", html, StringComparison.Ordinal);
        var orderErrors = await ValidationErrorsAsync(await PutJsonAsync(sam, $"/api/v1/people/{amara}/court-orders/{order.Id}",
            new { orderType = "no_such_order", court = "Kingston Family Court", madeOn = Iso(order.MadeOn), endsOn = Iso(order.MadeOn.AddDays(-1)), source = "other_agency", version = order.Version }));
        Assert.Contains("OrderType", orderErrors.Keys);
        Assert.Contains("EndsOn", orderErrors.Keys);

        var gpForm = new Dictionary<string, string> { ["Version"] = Number(gp.Version), ["Role"] = "gp", ["Name"] = "", ["Source"] = "family", ["InvolvedToDay"] = "40", ["InvolvedToMonth"] = "1", ["InvolvedToYear"] = "2024" };
        html = await TextAsync(await TestSignIn.PostFormAsync(sam, $"/people/{amara}/professionals/{gp.Id}/edit", gpForm));
        Assert.Contains("End date must be a real date", html, StringComparison.Ordinal);
        Assert.Contains("Enter name", html, StringComparison.OrdinalIgnoreCase);
        var gpErrors = await ValidationErrorsAsync(await PutJsonAsync(sam, $"/api/v1/people/{amara}/professionals/{gp.Id}",
            new { role = "wizard", name = gp.Name, source = "family", version = gp.Version }));
        Assert.Contains("Role", gpErrors.Keys);

        Assert.Equal(plan.Version, (await InvolvementAsync(plan.Id)).Version);
        Assert.Equal(referral.Version, (await InvolvementAsync(referral.Id)).Version);
        Assert.Equal(order.Version, (await CourtOrderAsync(order.Id)).Version);
        Assert.Equal(gp.Version, (await ProfessionalAsync(gp.Id)).Version);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.CourtOrderCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.ProfessionalCorrected));
    }

    [Fact]
    public async Task A_court_order_is_corrected_through_the_page_and_a_stale_version_conflicts()
    {
        using var sam = await SignedInAsync(_factory);
        using var samElsewhere = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var order = await AddCourtOrderAsync(sam, amara);
        var editPath = $"/people/{amara}/court-orders/{order.Id}/edit";
        Assert.Contains(editPath, await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);
        var html = await TextAsync(await sam.GetAsync(editPath, Ct));
        Assert.Contains("Change a court order", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Kingston Famly Court\"", html, StringComparison.Ordinal);

        var form = new Dictionary<string, string>
        {
            ["Version"] = Number(order.Version),
            ["OrderType"] = "interim_care_order",
            ["Court"] = "Kingston upon Thames Family Court",
            ["Source"] = "other_agency",
        };
        Date(form, "MadeOn", order.MadeOn);
        Date(form, "EndsOn", Today.AddMonths(6));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, editPath, form)).StatusCode);
        var stored = await CourtOrderAsync(order.Id);
        Assert.Equal("Kingston upon Thames Family Court", stored.Court);
        Assert.Equal(Today.AddMonths(6), stored.EndsOn);
        var audit = Assert.Single(await AuditAsync(CaseRecordAuditActions.CourtOrderCorrected));
        Assert.Equal([amara], audit.PersonIds);
        Assert.Equal($"court order {order.Id}; changed Court, EndsOn", audit.Details);

        // Someone else corrects it again; the first worker's stale version is refused on the page and in the API.
        var api = $"/api/v1/people/{amara}/court-orders/{order.Id}";
        var other = await PutJsonAsync(samElsewhere, api,
            new { orderType = "care_order", court = stored.Court, madeOn = Iso(stored.MadeOn), endsOn = Iso(stored.EndsOn!.Value), source = "other_agency", version = stored.Version });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        form["Court"] = "Kingston Family Court";
        var conflict = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        html = await TextAsync(conflict);
        Assert.Contains("Someone else changed this court order", html, StringComparison.Ordinal);
        Assert.Contains("Care order (section 31)", html, StringComparison.Ordinal);
        var stale = await PutJsonAsync(sam, api,
            new { orderType = "interim_care_order", court = "Kingston Family Court", madeOn = Iso(stored.MadeOn), source = "other_agency", version = stored.Version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        using (var body = JsonDocument.Parse(await stale.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal("care_order", body.RootElement.GetProperty("current").GetProperty("orderType").GetString());
        }

        var final = await CourtOrderAsync(order.Id);
        Assert.Equal("care_order", final.OrderType);
        Assert.Equal("Kingston upon Thames Family Court", final.Court);
        Assert.Equal(2, (await AuditAsync(CaseRecordAuditActions.CourtOrderCorrected)).Count);
    }

    [Fact]
    public async Task A_professional_is_corrected_through_the_page_and_api_and_stale_versions_of_involvements_conflict()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var gp = (await ListAsync(sam, amara)).Professionals.Single(p => p.Role == "gp");
        var editPath = $"/people/{amara}/professionals/{gp.Id}/edit";
        Assert.Contains(editPath, await TextAsync(await sam.GetAsync($"/people/{amara}", Ct)), StringComparison.Ordinal);
        var html = await TextAsync(await sam.GetAsync(editPath, Ct));
        Assert.Contains("Change a professional", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{gp.Name}\"", html, StringComparison.Ordinal);

        var form = new Dictionary<string, string>
        {
            ["Version"] = Number(gp.Version),
            ["Role"] = "gp",
            ["Name"] = "Dr Priya Navaratnam-Shah",
            ["Organisation"] = gp.Organisation!,
            ["Contact"] = "01632 960 112",
            ["Source"] = gp.Source,
        };
        Date(form, "InvolvedFrom", gp.InvolvedFrom!.Value);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, editPath, form)).StatusCode);
        var stored = await ProfessionalAsync(gp.Id);
        Assert.Equal("Dr Priya Navaratnam-Shah", stored.Name);
        Assert.Equal("01632 960 112", stored.Contact);
        var audit = Assert.Single(await AuditAsync(CaseRecordAuditActions.ProfessionalCorrected));
        Assert.Equal($"professional {gp.Id}; changed Name, Contact", audit.Details);

        var api = $"/api/v1/people/{amara}/professionals/{gp.Id}";
        var ended = await PutJsonAsync(sam, api, new
        {
            role = "gp",
            name = stored.Name,
            organisation = stored.ProfessionalOrganisation,
            contact = stored.Contact,
            involvedFrom = Iso(stored.InvolvedFrom!.Value),
            involvedTo = Iso(Today),
            source = stored.Source,
            version = stored.Version,
        });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(Today, (await ended.Content.ReadFromJsonAsync<ProfessionalItem>(Ct))!.InvolvedTo);

        // The page form still holds the version it was read at: it is now stale.
        var conflict = await TestSignIn.PostFormAsync(sam, editPath, form);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Someone else changed this professional", await TextAsync(conflict), StringComparison.Ordinal);
        var stale = await PutJsonAsync(sam, api, new { role = "gp", name = "Dr P Navaratnam", source = "family", version = stored.Version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(Today, (await ProfessionalAsync(gp.Id)).InvolvedTo);

        var plan = await AmarasPlanAsync(sam, amara);
        var planApi = $"/api/v1/people/{amara}/involvements/{plan.Id}";
        var first = await PutJsonAsync(sam, planApi,
            new { involvementType = "child_protection", startedOn = Iso(plan.StartedOn), categoryOfAbuse = "MUL", source = plan.Source, version = plan.Version });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var planConflict = await TestSignIn.PostFormAsync(sam, $"/people/{amara}/involvements/{plan.Id}/edit", PlanForm(plan, plan.Version, "PHY", null, plan.Source));
        Assert.Equal(HttpStatusCode.Conflict, planConflict.StatusCode);
        html = await TextAsync(planConflict);
        Assert.Contains("Someone else changed this involvement", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"govuk-table__cell\">Multiple</td>", html, StringComparison.Ordinal);
        var planStale = await PutJsonAsync(sam, planApi,
            new { involvementType = "child_protection", startedOn = Iso(plan.StartedOn), categoryOfAbuse = "PHY", source = plan.Source, version = plan.Version });
        Assert.Equal(HttpStatusCode.Conflict, planStale.StatusCode);
        Assert.Equal("MUL", (await InvolvementAsync(plan.Id)).CategoryOfAbuse);
        Assert.Equal(2, (await AuditAsync(CaseRecordAuditActions.ProfessionalCorrected)).Count);
        Assert.Single(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
    }

    [Fact]
    public async Task A_worker_without_a_working_relationship_cannot_correct_involvements_court_orders_or_professionals()
    {
        var amara = await PersonAsync(_factory, "Amara");
        CourtOrderItem order;
        InvolvementItem plan;
        ProfessionalItem gp;
        using (var sam = await SignedInAsync(_factory))
        {
            order = await AddCourtOrderAsync(sam, amara);
            plan = await AmarasPlanAsync(sam, amara);
            gp = (await ListAsync(sam, amara)).Professionals.Single(p => p.Role == "gp");
        }

        using var maria = await SignedInAsync(_factory, "maria.manager@demo.haven.test");
        foreach (var path in new[] { $"/people/{amara}/involvements/{plan.Id}/edit", $"/people/{amara}/court-orders/{order.Id}/edit", $"/people/{amara}/professionals/{gp.Id}/edit" })
        {
            var page = await maria.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            var html = await TextAsync(page);
            Assert.Contains("You do not have a working relationship with this person", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Kingston Famly Court", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Navaratnam", html, StringComparison.Ordinal);
        }

        var refused = await TestSignIn.PostFormAsync(maria, $"/people/{amara}/involvements/{plan.Id}/edit", PlanForm(plan, plan.Version, "PHY", null, "police"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutJsonAsync(maria, $"/api/v1/people/{amara}/involvements/{plan.Id}",
            new { involvementType = "child_protection", startedOn = Iso(plan.StartedOn), categoryOfAbuse = "PHY", source = "police", version = plan.Version })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutJsonAsync(maria, $"/api/v1/people/{amara}/court-orders/{order.Id}",
            new { orderType = "care_order", court = "Kingston Family Court", madeOn = Iso(order.MadeOn), source = "police", version = order.Version })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutJsonAsync(maria, $"/api/v1/people/{amara}/professionals/{gp.Id}",
            new { role = "gp", name = "Someone else", source = "police", version = gp.Version })).StatusCode);

        Assert.Equal(plan.Version, (await InvolvementAsync(plan.Id)).Version);
        Assert.Equal(order.Version, (await CourtOrderAsync(order.Id)).Version);
        Assert.Equal(gp.Version, (await ProfessionalAsync(gp.Id)).Version);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.CourtOrderCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.ProfessionalCorrected));
        Assert.Contains(await AuditAsync(AuditActions.PersonRecordDenied), e => e.PersonIds.Contains(amara));
    }

    [Fact]
    public async Task Involvements_court_orders_and_professionals_of_another_person_cannot_be_changed_through_this_persons_route()
    {
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var jayden = await PersonAsync(_factory, "Jayden");
        var unborn = await PersonAsync(_factory, "Unborn");
        var noah = await PersonAsync(_factory, "Noah");
        var jaydensPlan = (await ListAsync(sam, jayden)).Involvements.Single(i => i.InvolvementType == "child_in_need");
        var healthVisitor = (await ListAsync(sam, unborn)).Professionals.Single();
        var noahsOrder = await _factory.WithDbAsync(db => db.Set<CourtOrder>().AsNoTracking().SingleAsync(o => o.PersonId == noah));

        var involvementPath = $"/people/{amara}/involvements/{jaydensPlan.Id}/edit";
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(involvementPath, Ct)).StatusCode);
        var form = PlanForm(jaydensPlan, jaydensPlan.Version, string.Empty, null, "police");
        Assert.Equal(HttpStatusCode.NotFound, (await TestSignIn.PostFormAsync(sam, involvementPath, form, $"/people/{amara}/involvements/new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutJsonAsync(sam, $"/api/v1/people/{amara}/involvements/{jaydensPlan.Id}",
            new { involvementType = "child_in_need", startedOn = Iso(jaydensPlan.StartedOn), source = "police", version = jaydensPlan.Version })).StatusCode);

        var orderPath = $"/people/{amara}/court-orders/{noahsOrder.Id}/edit";
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(orderPath, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutJsonAsync(sam, $"/api/v1/people/{amara}/court-orders/{noahsOrder.Id}",
            new { orderType = "care_order", court = "Somewhere", madeOn = Iso(noahsOrder.MadeOn), source = "police", version = noahsOrder.Version })).StatusCode);

        var professionalPath = $"/people/{amara}/professionals/{healthVisitor.Id}/edit";
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(professionalPath, Ct)).StatusCode);
        var professionalForm = new Dictionary<string, string> { ["Version"] = Number(healthVisitor.Version), ["Role"] = "health_visitor", ["Name"] = "Someone else", ["Source"] = "police" };
        Assert.Equal(HttpStatusCode.NotFound, (await TestSignIn.PostFormAsync(sam, professionalPath, professionalForm, $"/people/{amara}/professionals/new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutJsonAsync(sam, $"/api/v1/people/{amara}/professionals/{healthVisitor.Id}",
            new { role = "health_visitor", name = "Someone else", source = "police", version = healthVisitor.Version })).StatusCode);

        Assert.Equal(jaydensPlan.Version, (await InvolvementAsync(jaydensPlan.Id)).Version);
        Assert.Equal(noahsOrder.Version, (await CourtOrderAsync(noahsOrder.Id)).Version);
        Assert.Equal(healthVisitor.Version, (await ProfessionalAsync(healthVisitor.Id)).Version);
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.InvolvementCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.CourtOrderCorrected));
        Assert.Empty(await AuditAsync(CaseRecordAuditActions.ProfessionalCorrected));
    }
}
