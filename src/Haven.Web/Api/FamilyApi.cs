using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

public sealed record FactCreated(Guid Id);

/// <summary>Someone else changed the fact after the caller read it: nothing was stored, and Current is what is stored now.</summary>
public sealed record FactConflict<T>(string Title, string Detail, T Current);

internal static class CorrectionVersion
{
    public const string Reason = "The version of the fact the correction was made to (from the list it was read in), for conflict detection";
}

/// <summary>A correction to a relationship: the fields of a new one, and the version the caller read.</summary>
[CollectsAs(typeof(RelationshipInput))]
public sealed record RelationshipCorrection(Guid? RelatedPersonId, string? RelationshipType, bool? ParentalResponsibility, DateOnly? StartedOn, DateOnly? EndedOn, string? Source,
    [property: NotPersonalData(CorrectionVersion.Reason)] uint? Version = null)
{
    public RelationshipInput ToInput() => new(RelatedPersonId, RelationshipType, ParentalResponsibility, StartedOn, EndedOn, Source);
}

/// <summary>A correction to a household membership: the fields of a new one, and the version the caller read.</summary>
[CollectsAs(typeof(HouseholdMembershipInput))]
public sealed record HouseholdMembershipCorrection(Guid? HouseholdId, string? NewHouseholdLabel, DateOnly? LivedFrom, DateOnly? LivedTo, string? Source,
    [property: NotPersonalData(CorrectionVersion.Reason)] uint? Version = null)
{
    public HouseholdMembershipInput ToInput() => new(HouseholdId, NewHouseholdLabel, LivedFrom, LivedTo, Source);
}

/// <summary>A correction to an involvement: the fields of a new one, and the version the caller read.</summary>
[CollectsAs(typeof(InvolvementInput))]
public sealed record InvolvementCorrection(string? InvolvementType, DateOnly? StartedOn, DateOnly? EndedOn, string? ReferralSource, string? CategoryOfAbuse,
    string? LegalStatus, DateOnly? AdoptionOrderOn, string? Details, string? Source,
    [property: NotPersonalData(CorrectionVersion.Reason)] uint? Version = null)
{
    public InvolvementInput ToInput() => new(InvolvementType, StartedOn, EndedOn, ReferralSource, CategoryOfAbuse, LegalStatus, AdoptionOrderOn, Details, Source);
}

/// <summary>A correction to a court order: the fields of a new one, and the version the caller read.</summary>
[CollectsAs(typeof(CourtOrderInput))]
public sealed record CourtOrderCorrection(string? OrderType, string? Court, DateOnly? MadeOn, DateOnly? EndsOn, string? Source,
    [property: NotPersonalData(CorrectionVersion.Reason)] uint? Version = null)
{
    public CourtOrderInput ToInput() => new(OrderType, Court, MadeOn, EndsOn, Source);
}

/// <summary>A correction to a professional involved: the fields of a new one, and the version the caller read.</summary>
[CollectsAs(typeof(ProfessionalInput))]
public sealed record ProfessionalCorrection(string? Role, string? Name, string? Organisation, string? Contact, DateOnly? InvolvedFrom, DateOnly? InvolvedTo, string? Source,
    [property: NotPersonalData(CorrectionVersion.Reason)] uint? Version = null)
{
    public ProfessionalInput ToInput() => new(Role, Name, Organisation, Contact, InvolvedFrom, InvolvedTo, Source);
}

/// <summary>
/// Family, household, involvement and education endpoints under /api/v1/people/{id}. Each one opens the person's record
/// through RecordAccessService first (audited; 404 when there is no such record, 403 with the reason when the caller
/// has no working relationship). Writes also need the RecordPeople permission and carry the antiforgery header.
/// </summary>
public static class FamilyApi
{
    private static readonly ProblemDetailsBody NoRecord = new("Not found", "There is no record with this identifier.");
    private static readonly ProblemDetailsBody NoFact = new("Not found", "There is no such fact on this person's record.");

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
        api.MapPut("/people/{id:guid}/relationships/{factId:guid}", CorrectRelationshipAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CorrectRelationship").WithSummary("Correct a relationship recorded on this person's record (its id and version are in GetFamily). Send every field and the version you read: 409 with the current relationship if someone else changed it since. Audited with the names of the fields that changed.");
        api.MapPut("/people/{id:guid}/household-memberships/{factId:guid}", CorrectMembershipAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CorrectHouseholdMembership").WithSummary("Correct one of this person's household memberships (id and version from GetFamily's memberships). Other memberships are never ended by a correction: the dates must not overlap. 409 with the current membership on a newer version.");
        api.MapPut("/people/{id:guid}/involvements/{factId:guid}", CorrectInvolvementAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CorrectInvolvement").WithSummary("Correct an involvement (id and version from GetInvolvements). Send every field and the version you read: 409 with the current involvement if someone else changed it since.");
        api.MapPut("/people/{id:guid}/court-orders/{factId:guid}", CorrectCourtOrderAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CorrectCourtOrder").WithSummary("Correct a court order (id and version from GetInvolvements). 409 with the current court order if someone else changed it since.");
        api.MapPut("/people/{id:guid}/professionals/{factId:guid}", CorrectProfessionalAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CorrectProfessional").WithSummary("Correct a professional involved (id and version from GetInvolvements). 409 with the current professional if someone else changed it since.");
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

    /// <summary>
    /// Opens the record through the need-to-know check (audited), then corrects one fact onto the version the caller
    /// read: 200 with the fact as stored, 400 with an error per field, 404 if the fact is not on this record, or 409
    /// with the current fact if someone else changed it since. Nothing is stored unless the answer is 200.
    /// </summary>
    private static async Task<Results<Ok<T>, ValidationProblem, Conflict<FactConflict<T>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectAsync<T>(
        HttpContext http, RecordAccessService access, Guid id, string purpose, uint? version, Func<uint, Task<CorrectionResult<T>>> correct)
        where T : class
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

        if (version is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Send the version of the fact you started from"] });
        }

        var result = await correct(version.Value);
        return result.Outcome switch
        {
            CorrectionOutcome.Saved => TypedResults.Ok(result.Current!),
            CorrectionOutcome.Invalid => Invalid(result.Errors),
            CorrectionOutcome.Conflict => TypedResults.Conflict(new FactConflict<T>("Someone else changed this fact",
                "Nothing was stored. Current is the fact as it is stored now: check it, then send your correction again with its version if it is still right.", result.Current!)),
            _ => TypedResults.NotFound(NoFact),
        };
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

    private static async Task<Results<Ok<RelationshipItem>, ValidationProblem, Conflict<FactConflict<RelationshipItem>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectRelationshipAsync(
        Guid id, Guid factId, RelationshipCorrection request, HttpContext http, RecordAccessService access, FamilyService family)
    {
        return await CorrectAsync(http, access, id, "correct a relationship", request.Version,
            version => family.UpdateRelationshipAsync(http.User.UserId(), id, factId, request.ToInput(), version, http.RequestAborted));
    }

    private static async Task<Results<Ok<MembershipItem>, ValidationProblem, Conflict<FactConflict<MembershipItem>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectMembershipAsync(
        Guid id, Guid factId, HouseholdMembershipCorrection request, HttpContext http, RecordAccessService access, FamilyService family)
    {
        return await CorrectAsync(http, access, id, "correct household membership", request.Version,
            version => family.UpdateMembershipAsync(http.User.UserId(), id, factId, request.ToInput(), version, http.RequestAborted));
    }

    private static async Task<Results<Ok<InvolvementItem>, ValidationProblem, Conflict<FactConflict<InvolvementItem>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectInvolvementAsync(
        Guid id, Guid factId, InvolvementCorrection request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await CorrectAsync(http, access, id, "correct an involvement", request.Version,
            version => involvements.UpdateInvolvementAsync(http.User.UserId(), id, factId, request.ToInput(), version, http.RequestAborted));
    }

    private static async Task<Results<Ok<CourtOrderItem>, ValidationProblem, Conflict<FactConflict<CourtOrderItem>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectCourtOrderAsync(
        Guid id, Guid factId, CourtOrderCorrection request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await CorrectAsync(http, access, id, "correct a court order", request.Version,
            version => involvements.UpdateCourtOrderAsync(http.User.UserId(), id, factId, request.ToInput(), version, http.RequestAborted));
    }

    private static async Task<Results<Ok<ProfessionalItem>, ValidationProblem, Conflict<FactConflict<ProfessionalItem>>, NotFound<ProblemDetailsBody>, ForbidProblem>> CorrectProfessionalAsync(
        Guid id, Guid factId, ProfessionalCorrection request, HttpContext http, RecordAccessService access, InvolvementService involvements)
    {
        return await CorrectAsync(http, access, id, "correct a professional", request.Version,
            version => involvements.UpdateProfessionalAsync(http.User.UserId(), id, factId, request.ToInput(), version, http.RequestAborted));
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
