using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

public sealed record FactCreated(Guid Id);

/// <summary>
/// Family, household, involvement and education endpoints under /api/v1/people/{id}. Each one opens the person's record
/// through RecordAccessService first (audited; 404 when there is no such record, 403 with the reason when the caller
/// has no working relationship). Writes also need the RecordPeople permission and carry the antiforgery header.
/// </summary>
public static class FamilyApi
{
    private static readonly ProblemDetailsBody NoRecord = new("Not found", "There is no record with this identifier.");

    public static RouteGroupBuilder MapFamilyApi(this RouteGroupBuilder api)
    {
        api.MapGet("/people/{id:guid}/family", GetFamilyAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetFamily").WithSummary("Relationships (both directions), today's household and the household history. Audited.");
        api.MapPost("/people/{id:guid}/relationships", AddRelationshipAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddRelationship").WithSummary("Record that relatedPersonId is this person's relationshipType (FamilyRelationships codes). Needs a working relationship with both people.");
        api.MapGet("/people/{id:guid}/household", GetHouseholdAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetHouseholdOnDate").WithSummary("Who lived in this person's household on a date (?date=yyyy-mm-dd, default today). Audited with everyone listed.");
        api.MapPost("/people/{id:guid}/household-memberships", AddMembershipAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddHouseholdMembership").WithSummary("Record that this person lived in a household (householdId, or newHouseholdLabel) from livedFrom to livedTo. An earlier open membership ends the day before.");
        api.MapGet("/people/{id:guid}/involvements", GetInvolvementsAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetInvolvements").WithSummary("Involvements (current first), court orders and professionals involved.");
        api.MapPost("/people/{id:guid}/involvements", AddInvolvementAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddInvolvement").WithSummary("Record an involvement. A child protection plan for an unborn child is recorded as a pre-birth plan.");
        api.MapPost("/people/{id:guid}/court-orders", AddCourtOrderAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddCourtOrder").WithSummary("Record a court order: type, court, made on, ends on.");
        api.MapPost("/people/{id:guid}/professionals", AddProfessionalAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddProfessional").WithSummary("Record a professional involved with the person.");
        api.MapGet("/people/{id:guid}/education", GetEducationAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetEducation").WithSummary("Schools, SEND, education plans, attendance, exclusions and achievements.");
        api.MapPost("/people/{id:guid}/education/{kind}", AddEducationAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddEducation").WithSummary("Record one education fact; kind is provider, send, plan, attendance, exclusion or achievement.");
        return api;
    }

    private static Task<(AccessDecision Decision, Haven.Core.Data.Entities.Person? Person)> OpenAsync(HttpContext http, RecordAccessService access, Guid id, string purpose) =>
        access.OpenRecordAsync(http.User.UserId(), id, purpose, http.RequestAborted);

    /// <summary>Opens the record through the need-to-know check (audited), then reads: 404 if there is no record, 403 if refused.</summary>
    private static async Task<Results<Ok<T>, NotFound<ProblemDetailsBody>, ForbidProblem>> ReadAsync<T>(
        HttpContext http, RecordAccessService access, Guid id, string purpose, Func<Task<T>> read)
    {
        var (decision, _) = await OpenAsync(http, access, id, purpose);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return TypedResults.NotFound(NoRecord);
        }

        if (!decision.Allowed)
        {
            return new ForbidProblem(AccessMessages.Explain(decision));
        }

        return TypedResults.Ok(await read());
    }

    /// <summary>Opens the record through the need-to-know check (audited), then adds one fact: 201, or 400 with an error per field.</summary>
    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddAsync(
        HttpContext http, RecordAccessService access, Guid id, string purpose, string location, Func<Task<FactResult>> add)
    {
        var (decision, _) = await OpenAsync(http, access, id, purpose);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return TypedResults.NotFound(NoRecord);
        }

        if (!decision.Allowed)
        {
            return new ForbidProblem(AccessMessages.Explain(decision));
        }

        var result = await add();
        return result.Saved ? TypedResults.Created(location, new FactCreated(result.Id!.Value)) : Invalid(result.Errors);
    }

    private static ValidationProblem Invalid(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    private static async Task<Results<Ok<FamilyView>, NotFound<ProblemDetailsBody>, ForbidProblem>> GetFamilyAsync(
        Guid id, HttpContext http, RecordAccessService access, FamilyService family)
    {
        return await ReadAsync(http, access, id, "family composition", () => family.FamilyAsync(http.User.UserId(), id, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddRelationshipAsync(
        Guid id, RelationshipInput request, HttpContext http, RecordAccessService access, FamilyService family)
    {
        return await AddAsync(http, access, id, "record a relationship", $"/api/v1/people/{id}/family", () => family.AddRelationshipAsync(http.User.UserId(), id, request, http.RequestAborted));
    }

    private static async Task<Results<Ok<IReadOnlyList<HouseholdOnDate>>, NotFound<ProblemDetailsBody>, ForbidProblem>> GetHouseholdAsync(
        Guid id, DateOnly? date, HttpContext http, RecordAccessService access, FamilyService family, TimeProvider clock)
    {
        var on = date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return await ReadAsync(http, access, id, "household on a date", () => family.HouseholdOnAsync(http.User.UserId(), id, on, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddMembershipAsync(
        Guid id, HouseholdMembershipInput request, HttpContext http, RecordAccessService access, FamilyService family)
    {
        return await AddAsync(http, access, id, "record household membership", $"/api/v1/people/{id}/family", () => family.AddMembershipAsync(http.User.UserId(), id, request, http.RequestAborted));
    }

    private static async Task<Results<Ok<InvolvementsView>, NotFound<ProblemDetailsBody>, ForbidProblem>> GetInvolvementsAsync(
        Guid id, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await ReadAsync(http, access, id, "case work", () => involvements.ListAsync(id, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddInvolvementAsync(
        Guid id, InvolvementInput request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await AddAsync(http, access, id, "record an involvement", $"/api/v1/people/{id}/involvements", () => involvements.AddInvolvementAsync(http.User.UserId(), id, request, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddCourtOrderAsync(
        Guid id, CourtOrderInput request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await AddAsync(http, access, id, "record a court order", $"/api/v1/people/{id}/involvements", () => involvements.AddCourtOrderAsync(http.User.UserId(), id, request, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddProfessionalAsync(
        Guid id, ProfessionalInput request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await AddAsync(http, access, id, "record a professional", $"/api/v1/people/{id}/involvements", () => involvements.AddProfessionalAsync(http.User.UserId(), id, request, http.RequestAborted));
    }

    private static async Task<Results<Ok<EducationView>, NotFound<ProblemDetailsBody>, ForbidProblem>> GetEducationAsync(
        Guid id, HttpContext http, RecordAccessService access, EducationService education)
    {
        return await ReadAsync(http, access, id, "case work", () => education.GetAsync(id, http.RequestAborted));
    }

    private static async Task<Results<Created<FactCreated>, ValidationProblem, NotFound<ProblemDetailsBody>, ForbidProblem>> AddEducationAsync(
        Guid id, string kind, EducationInput request, HttpContext http, RecordAccessService access, EducationService education)
    {
        if (!EducationService.Kinds.ContainsKey(kind))
        {
            return TypedResults.NotFound(new ProblemDetailsBody("Not found", "Kind must be provider, send, plan, attendance, exclusion or achievement."));
        }

        return await AddAsync(http, access, id, "record education", $"/api/v1/people/{id}/education", () => education.AddAsync(http.User.UserId(), id, kind, request, http.RequestAborted));
    }
}
