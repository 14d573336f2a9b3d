using System.Text.Json;
using System.Text.Json.Serialization;
using Haven.Core.Audit;
using Haven.Core.Cpis;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Web.Infrastructure;
using Npgsql;

namespace Haven.Web.Api;

[CollectionPoint("identity")]
public sealed record CpisLookupRequest(
    [property: Collects("identity.nhs-number")] string? NhsNumber,
    [property: NotPersonalData("The clinician's role, such as emergency department nurse: kept with the access notification")] string? ClinicianRole);

[CollectionPoint("care.concerns")]
public sealed record CpisConcernRequest(
    [property: Collects("identity.nhs-number")] string? NhsNumber,
    [property: NotPersonalData("The id of the lookup the concern follows")] Guid? LookupId,
    [property: NotPersonalData("The clinician's role, such as emergency department nurse")] string? ClinicianRole,
    string? Concern);

/// <summary>A FHIR-style searchset Bundle: one Flag per plan, and the earlier accesses to the child's entry.</summary>
public sealed record CpisBundle(string ResourceType, Guid Id, string Type, DateTimeOffset Timestamp, int Total, IReadOnlyList<CpisBundleEntry> Entry,
    IReadOnlyList<CpisAccessItem> RecentAccess);

public sealed record CpisBundleEntry(CpisFlag Resource);

/// <summary>A FHIR-style Flag: the plan type, its period and the responsible authority with its phone numbers.</summary>
public sealed record CpisFlag(string ResourceType, string Status, CpisCodeableConcept Code, CpisSubject Subject, CpisPeriod Period, CpisAuthor Author);

public sealed record CpisCodeableConcept(IReadOnlyList<CpisCoding> Coding, string Text);

public sealed record CpisCoding(string System, string Code, string Display);

public sealed record CpisSubject(CpisIdentifier Identifier);

public sealed record CpisIdentifier(string System, string Value);

public sealed record CpisPeriod(DateOnly Start, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? End);

public sealed record CpisAuthor(string Display, IReadOnlyList<CpisContactPoint> Telecom);

/// <summary>A phone number; purpose is "office-hours" or "emergency-duty".</summary>
public sealed record CpisContactPoint(string System, string Value, string Use, string Purpose);

/// <summary>An earlier lookup of the child: when, by which setting, and the clinician's role.</summary>
public sealed record CpisAccessItem(DateTimeOffset Recorded, string Setting, string SettingType, string OdsCode, string? ClinicianRole);

public sealed record CpisConcernSent(Guid Id);

/// <summary>
/// The CP-IS lookup for unscheduled-care settings. Each setting is a client with its own credential
/// (Authorization: Bearer &lt;client id&gt;.&lt;secret&gt;), scopes and rate limit. Cookie sessions are not accepted.
/// </summary>
public static class CpisApi
{
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string PlanTypeSystem = "https://haven.example/fhir/CodeSystem/cpis-plan-type";

    public static void MapCpisApi(this IEndpointRouteBuilder app)
    {
        var cpis = app.MapGroup("/api/v1/cpis").WithTags("CP-IS").RequireRateLimiting(CpisStartup.RateLimitPolicy);
        cpis.MapPost("/lookups", LookupAsync).RequireAuthorization(CpisStartup.LookupPolicy)
            .WithName("CpisLookup")
            .WithSummary("Look up an NHS number on the CP-IS list. Unborn children on a pre-birth plan are found under the mother's NHS number.")
            .WithDescription("200: a FHIR-style Bundle (id = the lookup id) of Flags with the plan type (CPP, LAC or UCPP), period, and the "
                + "responsible authority's name and office-hours and emergency-duty phone numbers, with the 25 most recent earlier accesses. "
                + "404: 'not on the list', the same for every number not on the list. Every lookup is audited and notified to the "
                + "responsible team before the answer is sent.")
            .Produces<CpisBundle>(StatusCodes.Status200OK)
            .Produces<CpisProblem>(StatusCodes.Status400BadRequest, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status401Unauthorized, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status403Forbidden, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status404NotFound, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status429TooManyRequests, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status503ServiceUnavailable, "application/problem+json");
        cpis.MapPost("/concerns", ConcernAsync).RequireAuthorization(CpisStartup.ConcernPolicy)
            .WithName("CpisConcern")
            .WithSummary("Send a concern to the child's social care team, quoting the lookup id and NHS number of an earlier lookup by the same setting.")
            .Produces<CpisConcernSent>(StatusCodes.Status201Created)
            .Produces<CpisProblem>(StatusCodes.Status400BadRequest, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status401Unauthorized, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status403Forbidden, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status404NotFound, "application/problem+json")
            .Produces<CpisProblem>(StatusCodes.Status429TooManyRequests, "application/problem+json");
    }

    /// <summary>
    /// For the benchmark only (Haven:Bench:MinimalCpisEndpoint=true): the same single-statement list lookup with no
    /// credential, audit or notification.
    /// </summary>
    public static void MapMinimalCpisEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/bench/cpis-minimal", async (CpisLookupRequest request, NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http) =>
            await CpisList.CountEntriesAsync(dataSource, request.NhsNumber ?? string.Empty, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), http.RequestAborted) > 0
                ? Results.Ok(new { listed = true })
                : Results.NotFound(CpisProblem.NotListed))
            .AllowAnonymous().ExcludeFromDescription();

    private static IResult Problem(int status, string title, string detail) =>
        Results.Json(new CpisProblem(title, status, detail), statusCode: status, contentType: "application/problem+json");

    private static (string? Role, IResult? Error) ClinicianRole(string? input)
    {
        var role = string.IsNullOrWhiteSpace(input) ? null : input.Trim();
        return role is { Length: > CpisService.MaxClinicianRoleLength }
            ? (null, Problem(400, "The clinician's role is too long", $"Give the clinician's role in {CpisService.MaxClinicianRoleLength} characters or fewer."))
            : (role, null);
    }

    private static AuditActor Actor(HttpContext http) =>
        new(null, "cpis_client", http.Connection.RemoteIpAddress?.ToString() ?? "local", http.TraceIdentifier);

    private static async Task<IResult> LookupAsync(CpisLookupRequest? request, HttpContext http, NpgsqlDataSource dataSource, CpisAccessLog log, TimeProvider clock)
    {
        var nhs = NhsNumber.Check(request?.NhsNumber, required: true);
        if (!nhs.IsValid)
        {
            return Problem(400, "The NHS number is not valid", nhs.Error!);
        }

        var (role, roleError) = ClinicianRole(request!.ClinicianRole);
        if (roleError is not null)
        {
            return roleError;
        }

        var client = (CpisClientInfo)http.Items[CpisAuthenticationHandler.ClientItem]!;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var found = await CpisList.LookupAsync(dataSource, nhs.Value!, today, http.RequestAborted);
        var lookupId = Guid.CreateVersion7(now);
        var people = found.Entries.Select(e => e.PersonId).Distinct().ToList();
        // The same work for a number that is not on the list: an audit event (with no person) and an access row.
        var entry = new AuditEntry(CpisCodes.LookupAction, people, Details: JsonSerializer.Serialize(new
        {
            lookup = lookupId,
            client = client.Id,
            setting = client.Name,
            ods = client.OdsCode,
            role,
            listed = found.Listed,
        }));
        try
        {
            await log.RecordAsync(new PendingAccess(lookupId, client.Id, role, people, entry, Actor(http)));
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            return Problem(503, "Try again", "The lookup could not be recorded, so no answer can be given. Try again.");
        }

        if (!found.Listed)
        {
            return Results.Json(CpisProblem.NotListed, statusCode: 404, contentType: "application/problem+json");
        }

        var number = nhs.Value!;
        var flags = found.Entries.Select(e => new CpisBundleEntry(new CpisFlag("Flag", e.End is null || e.End >= today ? "active" : "inactive",
            new CpisCodeableConcept([new CpisCoding(PlanTypeSystem, e.PlanType, CpisCodes.PlanName(e.PlanType))], CpisCodes.PlanName(e.PlanType)),
            new CpisSubject(new CpisIdentifier(NhsNumberSystem, number)),
            new CpisPeriod(e.Start, e.End),
            new CpisAuthor(e.AuthorityName, Telecom(e))))).ToList();
        var accesses = found.Accesses.Select(a => new CpisAccessItem(a.At, a.SettingName, a.SettingType, a.OdsCode, a.ClinicianRole)).ToList();
        return Results.Ok(new CpisBundle("Bundle", lookupId, "searchset", now, flags.Count, flags, accesses));
    }

    private static List<CpisContactPoint> Telecom(CpisEntry e)
    {
        var telecom = new List<CpisContactPoint>();
        if (e.OfficeHoursPhone is not null)
        {
            telecom.Add(new CpisContactPoint("phone", e.OfficeHoursPhone, "work", "office-hours"));
        }

        if (e.EmergencyDutyPhone is not null)
        {
            telecom.Add(new CpisContactPoint("phone", e.EmergencyDutyPhone, "work", "emergency-duty"));
        }

        return telecom;
    }

    private static async Task<IResult> ConcernAsync(CpisConcernRequest? request, HttpContext http, CpisService cpis)
    {
        var nhs = NhsNumber.Check(request?.NhsNumber, required: true);
        if (!nhs.IsValid)
        {
            return Problem(400, "The NHS number is not valid", nhs.Error!);
        }

        if (request!.LookupId is not { } lookupId)
        {
            return Problem(400, "The lookup id is missing", "Give the id of the lookup (the Bundle's id) that this concern follows.");
        }

        var concern = request.Concern?.Trim() ?? string.Empty;
        if (concern.Length is 0 or > CpisService.MaxConcernLength)
        {
            return Problem(400, "The concern is missing or too long", $"Describe the concern in 1 to {CpisService.MaxConcernLength} characters.");
        }

        var (role, roleError) = ClinicianRole(request.ClinicianRole);
        if (roleError is not null)
        {
            return roleError;
        }

        var client = (CpisClientInfo)http.Items[CpisAuthenticationHandler.ClientItem]!;
        var id = await cpis.SendConcernAsync(client.Id, lookupId, nhs.Value!, role, concern, Actor(http), http.RequestAborted);
        return id is null
            ? Problem(404, "No such lookup", "This setting made no lookup with this id that found this NHS number on the list.")
            : Results.Created((string?)null, new CpisConcernSent(id.Value));
    }
}
