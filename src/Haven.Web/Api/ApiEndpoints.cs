using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Haven.Web.Api;

public sealed record MeResponse(Guid Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, bool TrainingCurrent, bool TwoFactorEnabled);
public sealed record CaseloadItem(Guid Id, string Name, DateOnly? DateOfBirth, string Basis, DateTimeOffset? AccessEndsAt);
public sealed record PersonResponse(Guid Id, string GivenName, string FamilyName, DateOnly? DateOfBirth, bool Restricted, string AccessBasis);
public sealed record BreakGlassRequest(string? Reason);
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
        api.MapGet("/audit/verify", VerifyAuditAsync).RequireAuthorization(Permissions.ViewAudit)
            .WithName("VerifyAudit").WithSummary("Walk the audit hash chain and report the first broken link.");
        api.MapGet("/users", ListUsersAsync).RequireAuthorization(Permissions.ManageUsers)
            .WithName("ListUsers").WithSummary("Staff accounts. Audited.");
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
        Guid id, string? purpose, HttpContext http, RecordAccessService access)
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

        return TypedResults.Ok(new PersonResponse(person!.Id, person.GivenName, person.FamilyName, person.DateOfBirth, person.Restricted, decision.Basis));
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
        AccessOutcome.NoRelationship => decision.CanBreakGlass
            ? "You do not have a working relationship with this person. In an emergency you can use break-glass access with a reason; your manager will be told."
            : "You do not have a working relationship with this person.",
        _ => "You do not have permission to open records.",
    };
}
