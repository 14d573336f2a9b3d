using System.Net;
using Haven.Core.Security;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>
/// Walks every routed page and API endpoint as every role and as an anonymous visitor, and checks the status
/// against the table below. A new endpoint without an entry in the table fails the test by itself.
/// </summary>
public sealed class RouteAuthorizationTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Anonymous = "anonymous";
    private HavenFactory _factory = null!;
    private Guid _personId;
    private Guid _userId;
    private Guid _documentId;
    private Guid _involvementId;
    private Guid _relationshipId;
    private Guid _membershipId;
    private Guid _courtOrderId;
    private Guid _professionalId;
    private Guid _rightsRequestId;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        // Amara Clarke: allocated to the demo practitioner, owned by no team, so every other role has no relationship.
        _personId = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        _userId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync());
        _involvementId = await _factory.WithDbAsync(db => db.Set<Haven.Core.Data.Entities.Involvement>().Where(i => i.PersonId == _personId && i.EndedOn == null).Select(i => i.Id).FirstAsync());
        _documentId = await _factory.WithDbAsync(db => db.Set<Haven.Core.CaseWork.CaseDocument>().Where(d => d.PersonId == _personId).Select(d => d.Id).FirstAsync());
        _relationshipId = await _factory.WithDbAsync(db => db.Set<Haven.Core.Data.Entities.Relationship>().Where(r => r.PersonId == _personId).Select(r => r.Id).FirstAsync());
        _membershipId = await _factory.WithDbAsync(db => db.Set<Haven.Core.Data.Entities.HouseholdMember>().Where(m => m.PersonId == _personId).Select(m => m.Id).FirstAsync());
        _professionalId = await _factory.WithDbAsync(db => db.Set<Haven.Core.Data.Entities.ProfessionalInvolved>().Where(p => p.PersonId == _personId).Select(p => p.Id).FirstAsync());
        // The demo has no court order for Amara, so the walk gives her one to correct.
        _courtOrderId = Guid.NewGuid();
        await _factory.WithDbAsync(async db =>
        {
            var org = await db.People.Where(p => p.Id == _personId).Select(p => p.OrganisationId).SingleAsync();
            db.Set<Haven.Core.Data.Entities.CourtOrder>().Add(new Haven.Core.Data.Entities.CourtOrder
            {
                Id = _courtOrderId,
                OrganisationId = org,
                PersonId = _personId,
                OrderType = "interim_care_order",
                Court = "Kingston upon Thames Family Court",
                MadeOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-2),
                Source = "other_agency",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        // A rights request to Achieving for Children: its DPO may open it; the demo governance officer (Essex) gets 404.
        _rightsRequestId = Guid.NewGuid();
        await _factory.WithDbAsync(async db =>
        {
            var afc = await db.Organisations.Where(o => o.ShortName == "afc").Select(o => o.Id).SingleAsync();
            db.Add(new Haven.Core.Rights.RightsRequest
            {
                Id = _rightsRequestId,
                Reference = "IR-2026-WALK01",
                OrganisationId = afc,
                Channel = "post",
                ReceivedOn = DateOnly.FromDateTime(DateTime.UtcNow),
                Rights = ["access"],
                RequesterName = "Walk Requester",
                RequesterAddress = "1 Walk Street",
                Relationship = "self",
                SubjectName = "Walk Requester",
                Status = "open",
                AuthorityStatus = "not_needed",
                StatusCodeHash = new byte[32],
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>A rights request of Achieving for Children: its DPO opens it; rights handlers of other organisations get 404.</summary>
    private static Func<string, HttpStatusCode> AfcRightsRequest(HttpStatusCode anonymous) => role => role == Anonymous ? anonymous
        : role == Roles.DataProtectionOfficer ? HttpStatusCode.OK
        : Permissions.ForRole(role).Contains(Permissions.ManageRights) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;

    private sealed record Expectation(string Url, Func<string, HttpStatusCode> Status, bool EndsSession = false);

    private static Func<string, HttpStatusCode> Everyone(HttpStatusCode status) => _ => status;

    private static Func<string, HttpStatusCode> SignedIn(HttpStatusCode status, HttpStatusCode anonymous = HttpStatusCode.Redirect) =>
        role => role == Anonymous ? anonymous : status;

    private static Func<string, HttpStatusCode> Needs(string permission, HttpStatusCode allowed = HttpStatusCode.OK, HttpStatusCode anonymous = HttpStatusCode.Redirect) =>
        role => role == Anonymous ? anonymous : Permissions.ForRole(role).Contains(permission) ? allowed : HttpStatusCode.Forbidden;

    /// <summary>Only the allocated practitioner has a working relationship with the walked person.</summary>
    private static Func<string, HttpStatusCode> PersonRecord(HttpStatusCode anonymous) =>
        role => role == Anonymous ? anonymous : role == Roles.Practitioner ? HttpStatusCode.OK : HttpStatusCode.Forbidden;

    /// <summary>Case-work forms: like the edit page, recorders without a relationship are sent back to the record page.</summary>
    private static Func<string, HttpStatusCode> CaseWorkForm() => role => role == Anonymous ? HttpStatusCode.Redirect
        : role == Roles.Practitioner ? HttpStatusCode.OK
        : Permissions.ForRole(role).Contains(Permissions.RecordPeople) ? HttpStatusCode.Redirect : HttpStatusCode.Forbidden;

    /// <summary>The share form: the allocated practitioner; other recorders are told there is no record they can open (404).</summary>
    private static Func<string, HttpStatusCode> SharingForm(HttpStatusCode anonymous) => role => role == Anonymous ? anonymous
        : role == Roles.Practitioner ? HttpStatusCode.OK
        : Permissions.ForRole(role).Contains(Permissions.RecordPeople) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;

    private Dictionary<string, Expectation> Table() => new()
    {
        ["GET /"] = new("/", SignedIn(HttpStatusCode.OK)),
        ["GET /sign-in"] = new("/sign-in", role => role == Anonymous ? HttpStatusCode.OK : HttpStatusCode.Redirect),
        ["GET /sign-in/two-factor"] = new("/sign-in/two-factor", Everyone(HttpStatusCode.Redirect)),
        ["GET /account/set-up-two-factor"] = new("/account/set-up-two-factor", SignedIn(HttpStatusCode.OK)),
        ["GET /account/change-password"] = new("/account/change-password", SignedIn(HttpStatusCode.OK)),
        ["GET /account"] = new("/account", SignedIn(HttpStatusCode.OK)),
        ["GET /sign-out"] = new("/sign-out", SignedIn(HttpStatusCode.OK)),
        ["GET /signed-out"] = new("/signed-out", Everyone(HttpStatusCode.OK)),
        ["GET /session/timed-out"] = new("/session/timed-out", Everyone(HttpStatusCode.OK), EndsSession: true),
        ["POST /session/keep-alive"] = new("/session/keep-alive", SignedIn(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /privacy"] = new("/privacy", Everyone(HttpStatusCode.OK)),
        ["GET /notices"] = new("/notices", Everyone(HttpStatusCode.OK)),
        ["GET /notices/{org}/{service?}"] = new("/notices/afc/childrens-social-care", Everyone(HttpStatusCode.OK)),
        ["GET /notices/{org}/versions"] = new("/notices/afc/versions", Everyone(HttpStatusCode.OK)),
        ["GET /register"] = new("/register", Needs(Permissions.ViewRegister)),
        ["GET /register/{org}"] = new("/register/afc", Needs(Permissions.ViewRegister)),
        ["GET /register/{org}/activities/{service}/{activity}"] = new("/register/afc/activities/childrens-social-care/safeguarding-and-care", Needs(Permissions.ViewRegister)),
        ["GET /register/{org}/history/{version:int?}/{handler?}"] = new("/register/afc/history", Needs(Permissions.ViewRegister)),
        ["GET /register/{org}/conformance"] = new("/register/afc/conformance", Needs(Permissions.ViewRegister)),
        // The demo DPO works for Achieving for Children, so may change its register.
        ["GET /register/{org}/edit"] = new("/register/afc/edit", Needs(Permissions.ManageRegister)),
        ["GET /register/import"] = new("/register/import", Needs(Permissions.ManageRegister)),
        ["GET /retention/{handler?}"] = new("/retention", Needs(Permissions.ManageRetention)),
        ["GET /retention/reviews"] = new("/retention/reviews", Needs(Permissions.ManageRetention)),
        ["GET /retention/holds/{handler?}"] = new("/retention/holds", Needs(Permissions.ManageRetention)),
        // Access-request review: an unknown request is a 404 for rights handlers, exactly like another organisation's.
        ["GET /rights/{id:guid}/review/{handler?}"] = new($"/rights/{Guid.NewGuid()}/review", Needs(Permissions.ManageRights, HttpStatusCode.NotFound)),
        ["GET /rights/{id:guid}/bundles/{bundleId:guid}/{file}"] = new($"/rights/{Guid.NewGuid()}/bundles/{Guid.NewGuid()}/bundle.pdf", Needs(Permissions.ManageRights, HttpStatusCode.NotFound)),
        ["GET /api/v1/rights/{id:guid}/subject-data"] = new($"/api/v1/rights/{Guid.NewGuid()}/subject-data", Needs(Permissions.ManageRights, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/rights/{id:guid}/bundles/{bundleId:guid}/{file}"] = new($"/api/v1/rights/{Guid.NewGuid()}/bundles/{Guid.NewGuid()}/data.json",
            Needs(Permissions.ManageRights, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/register/{org}"] = new("/api/v1/register/afc", Needs(Permissions.ViewRegister, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/register/{org}/article-30.csv"] = new("/api/v1/register/afc/article-30.csv", Needs(Permissions.ViewRegister, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/register/{org}/article-30.pdf"] = new("/api/v1/register/afc/article-30.pdf", Needs(Permissions.ViewRegister, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/register/import"] = new("/api/v1/register/import", Needs(Permissions.ManageRegister, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/register/{org}/disclosure-check"] = new("/api/v1/register/afc/disclosure-check", Needs(Permissions.ViewRegister, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /information-rights"] = new("/information-rights", Everyone(HttpStatusCode.OK)),
        ["GET /information-rights/request"] = new("/information-rights/request", Everyone(HttpStatusCode.OK)),
        ["GET /information-rights/sent"] = new("/information-rights/sent", Everyone(HttpStatusCode.OK)),
        ["GET /information-rights/status"] = new("/information-rights/status", Everyone(HttpStatusCode.OK)),
        ["POST /api/v1/public/rights-requests"] = new("/api/v1/public/rights-requests", Everyone(HttpStatusCode.BadRequest)),
        ["POST /api/v1/public/rights-requests/status"] = new("/api/v1/public/rights-requests/status", Everyone(HttpStatusCode.NotFound)),
        ["GET /rights"] = new("/rights", Needs(Permissions.ManageRights)),
        ["GET /rights/new"] = new("/rights/new", Needs(Permissions.ManageRights)),
        ["GET /rights/{id:guid}/{handler?}"] = new($"/rights/{_rightsRequestId}", AfcRightsRequest(HttpStatusCode.Redirect)),
        ["GET /api/v1/rights/requests"] = new("/api/v1/rights/requests", Needs(Permissions.ManageRights, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/rights/requests/{id:guid}"] = new($"/api/v1/rights/requests/{_rightsRequestId}", AfcRightsRequest(HttpStatusCode.Unauthorized)),
        ["POST /api/v1/rights/requests"] = new("/api/v1/rights/requests", Needs(Permissions.ManageRights, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /cpis/clients"] = new("/cpis/clients", Needs(Permissions.ManageCpis)),
        ["GET /cpis/clients/new"] = new("/cpis/clients/new", Needs(Permissions.ManageCpis)),
        ["GET /cpis/authority"] = new("/cpis/authority", Needs(Permissions.ManageCpis)),
        ["GET /cpis/notifications"] = new("/cpis/notifications", Needs(Permissions.ReceiveCpisNotifications)),
        // CP-IS lookups take only a client credential: a staff session is not one, so everyone gets 401.
        ["POST /api/v1/cpis/lookups"] = new("/api/v1/cpis/lookups", Everyone(HttpStatusCode.Unauthorized)),
        ["POST /api/v1/cpis/concerns"] = new("/api/v1/cpis/concerns", Everyone(HttpStatusCode.Unauthorized)),
        ["GET /cookies"] = new("/cookies", Everyone(HttpStatusCode.OK)),
        // The cookie banner's buttons post here (antiforgery checked); a GET just goes to the cookies page.
        ["GET /cookies/consent"] = new("/cookies/consent", Everyone(HttpStatusCode.Redirect)),
        ["GET /accessibility"] = new("/accessibility", Everyone(HttpStatusCode.OK)),
        ["GET /error/{code:int}"] = new("/error/404", Everyone(HttpStatusCode.NotFound)),
        ["GET /people/{id:guid}"] = new($"/people/{_personId}", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/new"] = new("/people/new", Needs(Permissions.RecordPeople)),
        ["GET /people/search"] = new("/people/search", Needs(Permissions.ViewPeople)),
        // Managers may record people but have no relationship with this child, so they are sent back to the record page.
        ["GET /people/{id:guid}/edit"] = new($"/people/{_personId}/edit", role => role == Anonymous ? HttpStatusCode.Redirect
            : role == Roles.Practitioner ? HttpStatusCode.OK
            : Permissions.ForRole(role).Contains(Permissions.RecordPeople) ? HttpStatusCode.Redirect : HttpStatusCode.Forbidden),
        ["GET /people/{id:guid}/merge"] = new($"/people/{_personId}/merge", role => role == Anonymous ? HttpStatusCode.Redirect
            : role == Roles.Practitioner ? HttpStatusCode.OK
            : Permissions.ForRole(role).Contains(Permissions.RecordPeople) ? HttpStatusCode.Redirect : HttpStatusCode.Forbidden),
        ["GET /people/{id:guid}/timeline"] = new($"/people/{_personId}/timeline", role => role == Anonymous ? HttpStatusCode.Redirect
            : role == Roles.Practitioner ? HttpStatusCode.OK
            : Permissions.ForRole(role).Contains(Permissions.ViewPeople) ? HttpStatusCode.Redirect : HttpStatusCode.Forbidden),
        ["POST /api/v1/people"] = new("/api/v1/people", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}"] = new($"/api/v1/people/{_personId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/search"] = new("/api/v1/people/search", Needs(Permissions.ViewPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /manager/break-glass"] = new("/manager/break-glass", Needs(Permissions.ReviewBreakGlass)),
        ["GET /admin/users"] = new("/admin/users", Needs(Permissions.ManageUsers)),
        ["GET /admin/users/new"] = new("/admin/users/new", Needs(Permissions.ManageUsers)),
        ["GET /admin/users/{id:guid}"] = new($"/admin/users/{_userId}", Needs(Permissions.ManageUsers)),
        ["GET /admin/permissions"] = new("/admin/permissions", Needs(Permissions.ManageUsers)),
        ["GET /admin/audit"] = new("/admin/audit", Needs(Permissions.ViewAudit)),
        ["GET /health/live"] = new("/health/live", Everyone(HttpStatusCode.OK)),
        ["GET /health/ready"] = new("/health/ready", Everyone(HttpStatusCode.OK)),
        ["GET /openapi/{documentName}.json"] = new("/openapi/v1.json", Everyone(HttpStatusCode.OK)),
        ["GET /api/v1/me"] = new("/api/v1/me", SignedIn(HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/caseload"] = new("/api/v1/caseload", Needs(Permissions.ViewPeople, anonymous: HttpStatusCode.Unauthorized)),
        ["GET /api/v1/people/{id:guid}"] = new($"/api/v1/people/{_personId}", PersonRecord(HttpStatusCode.Unauthorized)),
        // Authorised callers get as far as the antiforgery check, which this walk deliberately does not satisfy.
        ["POST /api/v1/people/{id:guid}/break-glass"] = new($"/api/v1/people/{_personId}/break-glass",
            Needs(Permissions.BreakGlass, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/audit/verify"] = new("/api/v1/audit/verify", Needs(Permissions.ViewAudit, anonymous: HttpStatusCode.Unauthorized)),
        ["GET /api/v1/users"] = new("/api/v1/users", Needs(Permissions.ManageUsers, anonymous: HttpStatusCode.Unauthorized)),
        ["GET /people/{id:guid}/notes"] = new($"/people/{_personId}/notes", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/notes/new"] = new($"/people/{_personId}/notes/new", CaseWorkForm()),
        ["GET /people/{id:guid}/worries/new"] = new($"/people/{_personId}/worries/new", CaseWorkForm()),
        ["GET /people/{id:guid}/plans/new"] = new($"/people/{_personId}/plans/new", CaseWorkForm()),
        ["GET /people/{id:guid}/services/new"] = new($"/people/{_personId}/services/new", CaseWorkForm()),
        ["GET /people/{id:guid}/offences/new"] = new($"/people/{_personId}/offences/new", CaseWorkForm()),
        ["GET /people/{id:guid}/documents/new"] = new($"/people/{_personId}/documents/new", CaseWorkForm()),
        ["GET /documents/{id:guid}"] = new($"/documents/{_documentId}", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /api/v1/people/{id:guid}/case-work"] = new($"/api/v1/people/{_personId}/case-work", PersonRecord(HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/notes"] = new($"/api/v1/people/{_personId}/notes", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/worries"] = new($"/api/v1/people/{_personId}/worries", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/plans"] = new($"/api/v1/people/{_personId}/plans", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/services"] = new($"/api/v1/people/{_personId}/services", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/offences"] = new($"/api/v1/people/{_personId}/offences", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/documents"] = new($"/api/v1/people/{_personId}/documents", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/documents/{id:guid}"] = new($"/api/v1/documents/{_documentId}", PersonRecord(HttpStatusCode.Unauthorized)),
        // Family, involvements and education: the record must be open to the user.
        ["GET /people/{id:guid}/relationships/new"] = new($"/people/{_personId}/relationships/new", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/household/new"] = new($"/people/{_personId}/household/new", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/household"] = new($"/people/{_personId}/household?date=2024-01-31", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/involvements/new"] = new($"/people/{_personId}/involvements/new", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/involvements/{involvementId:guid}/end"] = new($"/people/{_personId}/involvements/{_involvementId}/end", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/court-orders/new"] = new($"/people/{_personId}/court-orders/new", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/professionals/new"] = new($"/people/{_personId}/professionals/new", PersonRecord(HttpStatusCode.Redirect)),
        // Corrections: the same need-to-know check as adding, on a fact of the walked person.
        ["GET /people/{id:guid}/relationships/{factId:guid}/edit"] = new($"/people/{_personId}/relationships/{_relationshipId}/edit", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/household/{factId:guid}/edit"] = new($"/people/{_personId}/household/{_membershipId}/edit", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/involvements/{factId:guid}/edit"] = new($"/people/{_personId}/involvements/{_involvementId}/edit", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/court-orders/{factId:guid}/edit"] = new($"/people/{_personId}/court-orders/{_courtOrderId}/edit", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/professionals/{factId:guid}/edit"] = new($"/people/{_personId}/professionals/{_professionalId}/edit", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /people/{id:guid}/education/{kind}/new"] = new($"/people/{_personId}/education/attendance/new", PersonRecord(HttpStatusCode.Redirect)),
        ["GET /api/v1/people/{id:guid}/family"] = new($"/api/v1/people/{_personId}/family", PersonRecord(HttpStatusCode.Unauthorized)),
        ["GET /api/v1/people/{id:guid}/household"] = new($"/api/v1/people/{_personId}/household?date=2024-01-31", PersonRecord(HttpStatusCode.Unauthorized)),
        ["GET /api/v1/people/{id:guid}/involvements"] = new($"/api/v1/people/{_personId}/involvements", PersonRecord(HttpStatusCode.Unauthorized)),
        ["GET /api/v1/people/{id:guid}/education"] = new($"/api/v1/people/{_personId}/education", PersonRecord(HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/relationships"] = new($"/api/v1/people/{_personId}/relationships", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/household-memberships"] = new($"/api/v1/people/{_personId}/household-memberships", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/involvements"] = new($"/api/v1/people/{_personId}/involvements", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/court-orders"] = new($"/api/v1/people/{_personId}/court-orders", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/professionals"] = new($"/api/v1/people/{_personId}/professionals", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}/relationships/{factId:guid}"] = new($"/api/v1/people/{_personId}/relationships/{_relationshipId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}/household-memberships/{factId:guid}"] = new($"/api/v1/people/{_personId}/household-memberships/{_membershipId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}/involvements/{factId:guid}"] = new($"/api/v1/people/{_personId}/involvements/{_involvementId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}/court-orders/{factId:guid}"] = new($"/api/v1/people/{_personId}/court-orders/{_courtOrderId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["PUT /api/v1/people/{id:guid}/professionals/{factId:guid}"] = new($"/api/v1/people/{_personId}/professionals/{_professionalId}", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        // Rights decisions: a request that does not exist is not found, for rights handlers only.
        ["GET /rights/{id:guid}/decide/{right}"] = new($"/rights/{Guid.NewGuid()}/decide/erasure", Needs(Permissions.ManageRights, HttpStatusCode.NotFound)),
        ["GET /rights/restrictions"] = new("/rights/restrictions", Needs(Permissions.ManageRights)),
        ["POST /api/v1/rights/{id:guid}/decisions"] = new($"/api/v1/rights/{Guid.NewGuid()}/decisions", Needs(Permissions.ManageRights, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/rights/{id:guid}/rectifications"] = new($"/api/v1/rights/{Guid.NewGuid()}/rectifications", Needs(Permissions.ManageRights, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/rights/{id:guid}/rectifications"] = new($"/api/v1/rights/{Guid.NewGuid()}/rectifications", Needs(Permissions.ManageRights, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/rights/{id:guid}/portability.json"] = new($"/api/v1/rights/{Guid.NewGuid()}/portability.json", Needs(Permissions.ManageRights, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/rights/{id:guid}/portability.csv"] = new($"/api/v1/rights/{Guid.NewGuid()}/portability.csv", Needs(Permissions.ManageRights, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/rights/restrictions/{restrictionId:guid}/tell"] = new($"/api/v1/rights/restrictions/{Guid.NewGuid()}/tell", Needs(Permissions.ManageRights, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/rights/restrictions/{restrictionId:guid}/lift"] = new($"/api/v1/rights/restrictions/{Guid.NewGuid()}/lift", Needs(Permissions.ManageRights, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        // Sharing: only the allocated practitioner may share about Amara; other recorders get the same 404 as for an unknown record.
        ["GET /people/{id:guid}/share"] = new($"/people/{_personId}/share", SharingForm(HttpStatusCode.Redirect)),
        // Cookie-authenticated posts without the antiforgery header are refused (400) before the record is looked at.
        ["POST /api/v1/people/{id:guid}/disclosures"] = new($"/api/v1/people/{_personId}/disclosures", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/people/{id:guid}/disclosures"] = new($"/api/v1/people/{_personId}/disclosures", role => role == Anonymous ? HttpStatusCode.Unauthorized
            : role == Roles.Practitioner ? HttpStatusCode.OK
            : Permissions.ForRole(role).Contains(Permissions.ViewPeople) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden),
        ["GET /sharing/disclosures/{handler?}"] = new("/sharing/disclosures", Needs(Permissions.ManageSharing)),
        ["GET /sharing/partners"] = new("/sharing/partners", Needs(Permissions.ManageSharing)),
        ["GET /sharing/partners/edit/{id:guid?}"] = new("/sharing/partners/edit", Needs(Permissions.ManageSharing)),
        ["GET /sharing/agreements"] = new("/sharing/agreements", Needs(Permissions.ManageSharing)),
        ["GET /sharing/agreements/edit/{id:guid?}"] = new("/sharing/agreements/edit", Needs(Permissions.ManageSharing)),
        ["GET /api/v1/sharing/disclosures"] = new("/api/v1/sharing/disclosures", Needs(Permissions.ManageSharing, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/sharing/partners"] = new("/api/v1/sharing/partners", Needs(Permissions.ManageSharing, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["GET /api/v1/sharing/agreements"] = new("/api/v1/sharing/agreements", Needs(Permissions.ManageSharing, HttpStatusCode.OK, HttpStatusCode.Unauthorized)),
        ["POST /api/v1/people/{id:guid}/education/{kind}"] = new($"/api/v1/people/{_personId}/education/attendance", Needs(Permissions.RecordPeople, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)),
    };

    private List<string> RoutedEndpoints()
    {
        var sources = _factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                keys.Add($"{method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}");
            }
        }

        return [.. keys];
    }

    [Fact]
    public void Every_routed_endpoint_has_an_expectation()
    {
        var table = Table();
        var missing = RoutedEndpoints().Where(k => !table.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "Endpoints without an authorization expectation (add them to RouteAuthorizationTests.Table): " + string.Join(", ", missing));
        var stale = table.Keys.Except(RoutedEndpoints()).ToList();
        Assert.True(stale.Count == 0, "Expectations for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Every_endpoint_answers_every_role_as_expected()
    {
        var table = Table();
        var endpoints = RoutedEndpoints().Where(table.ContainsKey).OrderBy(k => table[k].EndsSession).ToList();
        Assert.True(endpoints.Count >= 30, $"Only {endpoints.Count} endpoints were found to walk");
        var failures = new List<string>();
        foreach (var role in new[] { Anonymous }.Concat(Roles.All))
        {
            using var client = _factory.NewClient();
            if (role != Anonymous)
            {
                await TestSignIn.SignInAsync(_factory, client, TestSignIn.AccountForRole[role]);
            }

            foreach (var key in endpoints)
            {
                var expectation = table[key];
                var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
                using var request = new HttpRequestMessage(new HttpMethod(method), expectation.Url);
                if (method != "GET")
                {
                    request.Content = JsonContent("{\"reason\":\"walk\"}");
                }

                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                var expected = expectation.Status(role);
                if (response.StatusCode != expected)
                {
                    failures.Add($"{role} {key}: expected {(int)expected}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
