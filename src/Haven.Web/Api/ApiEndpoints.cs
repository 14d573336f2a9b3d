using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Haven.Web.Api;

public sealed record MeResponse(Guid Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, bool TrainingCurrent, bool TwoFactorEnabled);
public sealed record CaseloadItem(Guid Id, string Name, DateOnly? DateOfBirth, string Basis, DateTimeOffset? AccessEndsAt);
public sealed record PersonResponse(Guid Id, string GivenName, string FamilyName, DateOnly? DateOfBirth, bool Restricted, string AccessBasis,
    string PersonType, string? KnownAs, DateOnly? ExpectedDateOfBirth, Guid? MotherId, DateOnly? DateOfDeath, string? Gender, string? Ethnicity,
    string? Religion, string? Disability, string? SexualOrientation, string? FirstLanguage, string? NhsNumber, string? Upn, string? Phone, string? Email,
    AddressItem? CurrentAddress, uint Version);
public sealed record AddressItem(string Line1, string? Line2, string? Town, string Postcode, DateOnly? LivedFrom, DateOnly? LivedTo);
[CollectsAs(typeof(PersonInput))]
public sealed record PersonRequest(string? PersonType, string? GivenName, string? FamilyName, string? KnownAs, DateOnly? DateOfBirth, bool DateOfBirthEstimated,
    DateOnly? ExpectedDateOfBirth, Guid? MotherId, DateOnly? DateOfDeath, string? Gender, string? Ethnicity, string? Religion, string? Disability,
    string? SexualOrientation, string? FirstLanguage, string? NhsNumber, string? Upn, string? Phone, string? Email, string? AddressLine1, string? AddressLine2,
    string? Town, string? Postcode,
    [property: NotPersonalData("Confirms the caller has seen the possible duplicates")] bool DuplicatesChecked = false,
    [property: NotPersonalData("The version the change was made to, for conflict detection")] uint? Version = null)
{
    public PersonInput ToInput() => new()
    {
        PersonType = PersonType,
        GivenName = GivenName,
        FamilyName = FamilyName,
        KnownAs = KnownAs,
        DateOfBirth = DateOfBirth,
        DateOfBirthEstimated = DateOfBirthEstimated,
        ExpectedDateOfBirth = ExpectedDateOfBirth,
        MotherId = MotherId,
        DateOfDeath = DateOfDeath,
        Gender = Gender,
        Ethnicity = Ethnicity,
        Religion = Religion,
        Disability = Disability,
        SexualOrientation = SexualOrientation,
        FirstLanguage = FirstLanguage,
        NhsNumber = NhsNumber,
        Upn = Upn,
        Phone = Phone,
        Email = Email,
        AddressLine1 = AddressLine1,
        AddressLine2 = AddressLine2,
        Town = Town,
        Postcode = Postcode,
    };
}
public sealed record PossibleDuplicates(string Title, IReadOnlyList<DuplicateCandidate> Candidates);
/// <summary>Search terms are used to find records and are never stored; they are declared like any other field.</summary>
[CollectionPoint("identity")]
public sealed record SearchRequest([property: Collects("identity.name")] string? Name, [property: Collects("identity.date-of-birth")] DateOnly? DateOfBirth,
    [property: Collects("identity.nhs-number")] string? NhsNumber, [property: Collects("identity.address")] string? Postcode);
[CollectionPoint("identity")]
public sealed record BreakGlassRequest([property: NotPersonalData("The worker's reason for emergency access, kept in the audit log")] string? Reason);
public sealed record AuditVerificationResponse(bool Intact, long EventsChecked, long? FirstBrokenEvent, string Message);
public sealed record UserItem(Guid Id, string Name, string Email, IReadOnlyList<string> Roles, string Organisation, string? Team, bool Disabled, bool Locked, bool TwoFactor, DateOnly? TrainingOn);

public static class ApiEndpoints
{
    public static void MapHavenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Haven").AddEndpointFilter(RequireAntiforgeryForUnsafeMethods);

        app.MapPost("/session/keep-alive", () => TypedResults.NoContent())
            .AddEndpointFilter(RequireAntiforgeryForUnsafeMethods)
            .WithName("KeepAlive").ExcludeFromDescription();

        api.MapGet("/me", GetMeAsync).WithName("GetMe").WithSummary("The signed-in user, their roles and permissions");
        api.MapGet("/caseload", GetCaseloadAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetCaseload").WithSummary("People the user works with (allocation, team or an in-date grant). Audited.");
        api.MapGet("/people/{id:guid}", GetPersonAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetPerson").WithSummary("Open a person's record, subject to need-to-know. Audited before the answer is sent.");
        api.MapPost("/people/{id:guid}/break-glass", BreakGlassAsync).RequireAuthorization(Permissions.BreakGlass)
            .WithName("BreakGlass").WithSummary("Emergency access to one record with a recorded reason; flagged to the user's manager.");
        api.MapPost("/people", CreatePersonAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("CreatePerson").WithSummary("Create a person. Possible existing records are returned (409) unless duplicatesChecked is true.");
        api.MapPut("/people/{id:guid}", UpdatePersonAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("UpdatePerson").WithSummary("Change a person's details. Send the version you started from; a newer version gives 409 with the current record.");
        api.MapPost("/people/search", SearchPeopleAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("SearchPeople").WithSummary("Find people by name (typos, nicknames, sound-alikes, swapped names), date of birth, NHS number or postcode. A POST so nothing personal goes in the URL.");
        api.MapGet("/audit/verify", VerifyAuditAsync).RequireAuthorization(Permissions.ViewAudit)
            .WithName("VerifyAudit").WithSummary("Walk the audit hash chain and report the first broken link.");
        api.MapGet("/users", ListUsersAsync).RequireAuthorization(Permissions.ManageUsers)
            .WithName("ListUsers").WithSummary("Staff accounts. Audited.");
        api.MapCaseWorkApi();
        api.MapFamilyApi();
        api.MapRegisterApi();
        api.MapRightsApi();
        app.MapPublicRightsApi();
        api.MapAccessRequestApi();
        api.MapRightsDecisionsApi();
        api.MapSharingApi();
    }

    /// <summary>Cookie-authenticated calls that change state must carry the antiforgery header.</summary>
    private static async ValueTask<object?> RequireAntiforgeryForUnsafeMethods(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request could not be verified",
                    detail: "Send the RequestVerificationToken header from the page you are on.");
            }
        }

        return await next(context);
    }

    private static async Task<Ok<MeResponse>> GetMeAsync(HttpContext http, HavenDbContext db, RecordAccessService access)
    {
        var user = await db.Users.FindAsync(http.User.UserId());
        var roles = http.User.Roles();
        return TypedResults.Ok(new MeResponse(user!.Id, user.DisplayName, roles,
            Permissions.All.Where(p => Permissions.Grants(roles, p)).ToList(), access.TrainingCurrent(user), user.TwoFactorEnabled));
    }

    private static async Task<Ok<List<CaseloadItem>>> GetCaseloadAsync(HttpContext http, RecordAccessService access)
    {
        var entries = await access.CaseloadAsync(http.User.UserId(), http.RequestAborted);
        return TypedResults.Ok(entries.Select(e => new CaseloadItem(e.PersonId, e.Name, e.DateOfBirth, e.Basis, e.AccessEndsAt)).ToList());
    }

    private static async Task<Results<Ok<PersonResponse>, NotFound<ProblemDetailsBody>, ForbidProblem>> GetPersonAsync(
        Guid id, string? purpose, HttpContext http, RecordAccessService access, PeopleService people)
    {
        var reason = string.IsNullOrWhiteSpace(purpose) ? "case work" : purpose.Trim();
        if (reason.Length > 200)
        {
            reason = reason[..200];
        }

        var (decision, person) = await access.OpenRecordAsync(http.User.UserId(), id, reason, http.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return TypedResults.NotFound(new ProblemDetailsBody("Not found", "There is no record with this identifier."));
        }

        if (!decision.Allowed)
        {
            return new ForbidProblem(AccessMessages.Explain(decision));
        }

        var view = (await people.GetAsync(person!.Id, http.RequestAborted))!;
        return TypedResults.Ok(ToResponse(view, decision.Basis));
    }

    private static PersonResponse ToResponse(PersonView view, string basis)
    {
        var p = view.Person;
        var a = view.CurrentAddress;
        return new PersonResponse(p.Id, p.GivenName, p.FamilyName, p.DateOfBirth, p.Restricted, basis, p.PersonType, p.KnownAs, p.ExpectedDateOfBirth,
            p.MotherId, p.DateOfDeath, p.Gender, view.Ethnicity, view.Religion, view.Disability, view.SexualOrientation, p.FirstLanguage, p.NhsNumber, p.Upn,
            p.Phone, p.Email, a is null ? null : new AddressItem(a.Line1, a.Line2, a.Town, a.Postcode, a.LivedFrom, a.LivedTo), p.Version);
    }

    private static async Task<Results<Created<PersonResponse>, ValidationProblem, Conflict<PossibleDuplicates>>> CreatePersonAsync(
        PersonRequest request, HttpContext http, PeopleService people, RecordAccessService access)
    {
        var result = await people.CreateAsync(http.User.UserId(), request.ToInput(), request.DuplicatesChecked, http.RequestAborted);
        if (result.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        if (!result.Saved)
        {
            return TypedResults.Conflict(new PossibleDuplicates("Possible existing records: send duplicatesChecked=true to create a new record anyway", result.Duplicates));
        }

        var (decision, _) = await access.OpenRecordAsync(http.User.UserId(), result.PersonId!.Value, "case work", http.RequestAborted);
        var view = (await people.GetAsync(result.PersonId.Value, http.RequestAborted))!;
        return TypedResults.Created($"/api/v1/people/{result.PersonId}", ToResponse(view, decision.Basis));
    }

    private static async Task<Results<Ok<PersonResponse>, ValidationProblem, Conflict<PersonResponse>, NotFound<ProblemDetailsBody>, ForbidProblem>> UpdatePersonAsync(
        Guid id, PersonRequest request, HttpContext http, PeopleService people, RecordAccessService access)
    {
        var (decision, _) = await access.OpenRecordAsync(http.User.UserId(), id, "change details", http.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return TypedResults.NotFound(new ProblemDetailsBody("Not found", "There is no record with this identifier."));
        }

        if (!decision.Allowed)
        {
            return new ForbidProblem(AccessMessages.Explain(decision));
        }

        if (request.Version is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Send the version of the record you started from"] });
        }

        var result = await people.UpdateAsync(id, request.ToInput(), request.Version.Value, http.RequestAborted);
        if (result.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        if (result.Conflict is { } current)
        {
            return TypedResults.Conflict(ToResponse(current, decision.Basis));
        }

        return TypedResults.Ok(ToResponse((await people.GetAsync(id, http.RequestAborted))!, decision.Basis));
    }

    private static async Task<Results<Ok<IReadOnlyList<SearchResult>>, ValidationProblem>> SearchPeopleAsync(SearchRequest request, HttpContext http, PersonSearch search)
    {
        var errors = new Dictionary<string, string[]>();
        if (Haven.Core.Validation.TextInput.Check(request.Name, "Name", 200, required: false) is { } nameError)
        {
            errors["name"] = [nameError];
        }

        var (nhs, nhsError) = PersonRules.NhsNumber(request.NhsNumber);
        if (nhsError is not null)
        {
            errors["nhsNumber"] = [nhsError];
        }

        var (postcode, postcodeError) = PersonRules.Postcode(request.Postcode, required: false);
        if (postcodeError is not null)
        {
            errors["postcode"] = [postcodeError];
        }

        if (errors.Count == 0 && string.IsNullOrWhiteSpace(request.Name) && request.DateOfBirth is null && nhs is null && postcode is null)
        {
            errors["name"] = ["Enter a name, date of birth, NHS number or postcode to search for"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await search.SearchAsync(http.User.UserId(), new SearchQuery(request.Name?.Trim() ?? string.Empty, request.DateOfBirth, nhs, postcode), http.RequestAborted));
    }

    private static async Task<Results<Created, ValidationProblem>> BreakGlassAsync(Guid id, BreakGlassRequest request, HttpContext http, RecordAccessService access)
    {
        var error = await access.BreakGlassAsync(http.User.UserId(), id, request.Reason, http.RequestAborted);
        if (error is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [error] });
        }

        return TypedResults.Created($"/api/v1/people/{id}");
    }

    private static async Task<Ok<AuditVerificationResponse>> VerifyAuditAsync(IOptions<DatabaseOptions> options, AuditWriter audit, CancellationToken cancellationToken)
    {
        var result = await AuditVerifier.VerifyAsync(options.Value.ConnectionString!, cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.AuditVerified, Details: result.Message), cancellationToken);
        return TypedResults.Ok(new AuditVerificationResponse(result.Intact, result.EventsChecked, result.FirstBrokenSeq, result.Message));
    }

    private static async Task<Ok<List<UserItem>>> ListUsersAsync(UserAdminService users, CancellationToken cancellationToken)
    {
        var list = await users.ListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(u => new UserItem(u.Id, u.DisplayName, u.Email, u.Roles, u.Organisation, u.Team, u.Disabled, u.Locked, u.TwoFactor, u.TrainingOn)).ToList());
    }
}

public sealed record ProblemDetailsBody(string Title, string Detail);

/// <summary>A 403 with a plain reason, as problem JSON.</summary>
public sealed class ForbidProblem(string detail) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status403Forbidden;

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You cannot open this record", detail: detail).ExecuteAsync(httpContext);
}

public static class AccessMessages
{
    public static string Explain(AccessDecision decision) => decision.Outcome switch
    {
        AccessOutcome.TrainingExpired => "Your data protection training is more than 12 months old. You cannot open records until an administrator records new training.",
        AccessOutcome.Restricted => "This record is restricted. Only people with permission to open restricted records can see it.",
        AccessOutcome.ProcessingRestricted => "Processing of this record is restricted at the person's request while a data protection request is dealt with. Only the Data Protection Officer can open it, and nothing can be added, changed or shared.",
        AccessOutcome.NoRelationship => decision.CanBreakGlass
            ? "You do not have a working relationship with this person. In an emergency you can use break-glass access with a reason; your manager will be told."
            : "You do not have a working relationship with this person.",
        _ => "You do not have permission to open records.",
    };
}
