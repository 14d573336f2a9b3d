using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

[CollectionPoint("identity")]
public sealed record StatusCheckRequest(
    [property: NotPersonalData("A request reference")] string? Reference,
    [property: NotPersonalData("The requester's status code")] string? Code);

public sealed record RequestSubmitted(string Reference, string StatusCode, DateOnly DueOn, string Organisation);
public sealed record ValidationFailed(string Title, IReadOnlyDictionary<string, string> Errors);
public sealed record RequestListItem(Guid Id, string Reference, string RequesterName, string SubjectName, IReadOnlyList<string> Rights, string Status,
    DateOnly ReceivedOn, DateOnly DueOn, int DaysLeft, bool Overdue, bool ClockStopped, string? AssignedTo, DateOnly? ClosedOn);
public sealed record RequestEventItem(DateTimeOffset At, string Kind, string Text);
public sealed record RequestDetailResponse(RequestListItem Request, string Relationship, string Channel, string IdentityStatus, string AuthorityStatus,
    int ExtensionMonths, string? ExtensionReason, DateOnly FirstMonthEndsOn, int PausedDays, IReadOnlyList<MatchedSubject> Subjects,
    IReadOnlyList<RequestEventItem> History);

/// <summary>
/// Information rights requests. Public: make a request and check its status (no sign-in, rate-limited, and the
/// answers never reveal whether a record or another person's request exists). Staff: list, read and record requests.
/// </summary>
public static class RightsApi
{
    private static readonly ProblemDetailsBody NoRequest = new("Not found", "There is no request with this identifier in your organisation.");
    private static readonly ProblemDetailsBody NoMatch = new("Not found", "There is no request with this reference and status code.");

    /// <summary>Anonymous endpoints: no session, so no antiforgery token; rate-limited per client address instead.</summary>
    public static void MapPublicRightsApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/v1/public").WithTags("Public").AllowAnonymous().RequireRateLimiting(PublicFormLimits.Policy);
        open.MapPost("/rights-requests", SubmitPublicAsync)
            .WithName("MakeRightsRequest").WithSummary("Make an information rights request (no sign-in). Returns the reference and the status code to check it with.");
        open.MapPost("/rights-requests/status", StatusAsync)
            .WithName("CheckRightsRequest").WithSummary("Check a request with its reference and status code. A wrong reference and a wrong code get the same 404.");
    }

    public static RouteGroupBuilder MapRightsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/rights/requests", ListAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("ListRightsRequests").WithSummary("Your organisation's rights requests, open ones first by days left (?closed=true to include closed ones).");
        api.MapGet("/rights/requests/{id:guid}", GetAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("GetRightsRequest").WithSummary("One request with its clock, subjects and history. Audited.");
        api.MapPost("/rights/requests", SubmitStaffAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("RecordRightsRequest").WithSummary("Record a request that arrived by post, email, phone or in person (channel and receivedOn required).");
        return api;
    }

    private static async Task<Results<Created<RequestSubmitted>, BadRequest<ValidationFailed>>> SubmitPublicAsync(RightsRequestInput request, RightsRequestService requests, HttpContext http)
    {
        var (errors, submitted) = await requests.SubmitAsync(request with { Channel = null, ReceivedOn = null }, null, http.RequestAborted);
        return submitted is null
            ? TypedResults.BadRequest(new ValidationFailed("The request was not sent", errors))
            : TypedResults.Created((string?)null, new RequestSubmitted(submitted.Reference, submitted.StatusCode, submitted.DueOn, submitted.OrganisationName));
    }

    private static async Task<Results<Created<RequestSubmitted>, BadRequest<ValidationFailed>>> SubmitStaffAsync(RightsRequestInput request, RightsRequestService requests, HttpContext http)
    {
        var (errors, submitted) = await requests.SubmitAsync(request, http.User.UserId(), http.RequestAborted);
        return submitted is null
            ? TypedResults.BadRequest(new ValidationFailed("The request was not recorded", errors))
            : TypedResults.Created($"/api/v1/rights/requests/{submitted.Id}", new RequestSubmitted(submitted.Reference, submitted.StatusCode, submitted.DueOn, submitted.OrganisationName));
    }

    private static async Task<Results<Ok<PublicRequestStatus>, NotFound<ProblemDetailsBody>>> StatusAsync(StatusCheckRequest request, RightsRequestService requests, HttpContext http) =>
        await requests.PublicStatusAsync(request.Reference, request.Code, http.RequestAborted) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound(NoMatch);

    private static RequestListItem Item(RequestSummary s) => new(s.Id, s.Reference, s.RequesterName, s.SubjectName, s.Rights, s.Status, s.ReceivedOn,
        s.Clock.DueOn, s.Clock.DaysLeft, s.Clock.Overdue, s.Clock.Stopped, s.AssignedTo, s.ClosedOn);

    private static async Task<Ok<List<RequestListItem>>> ListAsync(bool? closed, RightsRequestService requests, HttpContext http) =>
        TypedResults.Ok((await requests.ListAsync(http.User.UserId(), closed == true, http.RequestAborted)).Select(Item).ToList());

    private static async Task<Results<Ok<RequestDetailResponse>, NotFound<ProblemDetailsBody>>> GetAsync(Guid id, RightsRequestService requests, HttpContext http)
    {
        var detail = await requests.DetailAsync(http.User.UserId(), id, http.RequestAborted);
        if (detail is null)
        {
            return TypedResults.NotFound(NoRequest);
        }

        var r = detail.Request;
        var item = Item(new RequestSummary(r.Id, r.Reference, detail.OrganisationName, r.RequesterName, r.SubjectName, r.Rights, r.Status, r.ReceivedOn, detail.Clock,
            r.AssignedUserId is { } a ? detail.UserNames.GetValueOrDefault(a) : null, r.ClosedOn));
        return TypedResults.Ok(new RequestDetailResponse(item, r.Relationship, r.Channel, r.IdentityStatus, r.AuthorityStatus, r.ExtensionMonths, r.ExtensionReason,
            detail.Clock.FirstMonthEndsOn, detail.Clock.PausedDays, detail.Subjects, detail.Events.Select(e => new RequestEventItem(e.At, e.Kind, e.Text)).ToList()));
    }
}
