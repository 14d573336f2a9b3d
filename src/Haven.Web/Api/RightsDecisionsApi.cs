using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

/// <summary>A decision on one right other than access. Which fields count depends on the right.</summary>
[CollectionPoint("care.contacts")]
public sealed record RightsDecisionRequest(
    [property: NotPersonalData("A right code: rectification, erasure, restriction, objection, consent_withdrawal or portability")] string? Right,
    [property: NotPersonalData("An outcome code: granted or refused (rectification works it out from correctedItemIds)")] string? Outcome,
    [property: NotPersonalData("A refusal ground code")] string? Ground,
    string? Reason,
    string? ProcessingStops = null,
    string? Statement = null,
    [property: NotPersonalData("Identifiers of rectification items")] IReadOnlyList<Guid>? CorrectedItemIds = null,
    [property: NotPersonalData("Whether to apply core-field corrections directly")] bool ApplyDirectly = false,
    [property: NotPersonalData("Identifiers of consents")] IReadOnlyList<Guid>? ConsentIds = null);

/// <summary>Something the subject says is wrong in their record.</summary>
[CollectionPoint("identity")]
public sealed record RectificationRequest(
    [property: NotPersonalData("A Haven record number")] Guid? PersonId,
    [property: NotPersonalData("A field code")] string? Field,
    [property: Collects("care.contacts")] string? Information,
    string? CurrentValue,
    string? ProposedValue);

/// <summary>Telling the person before a restriction is lifted, or lifting it.</summary>
[CollectionPoint("care.contacts")]
public sealed record RestrictionStepRequest([property: NotPersonalData("How the person was told, or why the restriction is lifted")] string? Text);

public sealed record RightsDecisionResponse(string Right, string Outcome, string? Ground, string Reason, DateTimeOffset DecidedAt, string? Message,
    IReadOnlyList<string> RecipientsTold);

public sealed record RectificationItemResponse(Guid Id, Guid PersonId, string Field, string Information, string? CurrentValue, string ProposedValue, string Status);

/// <summary>
/// Decisions on rectification, erasure, restriction, objection, consent withdrawal and portability under
/// /api/v1/rights. Rights handlers only, own organisation: an unknown request and another organisation's get the same 404.
/// </summary>
public static class RightsDecisionsApi
{
    private static readonly ProblemDetailsBody NoRequest = new("Not found", "There is no such request in your organisation.");

    public static RouteGroupBuilder MapRightsDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/rights/{id:guid}/decisions", DecideAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("DecideRight").WithSummary("Record the decision on one right (rectification, erasure, restriction, objection, consent_withdrawal, portability). Erasure under a legal hold is refused automatically with ground legal_hold and nothing deleted.");
        api.MapPost("/rights/{id:guid}/rectifications", ProposeAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("ProposeRectification").WithSummary("Record something the subject says is wrong: record, field, where, what it says now and what it should say.");
        api.MapGet("/rights/{id:guid}/rectifications", ItemsAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("ListRectifications").WithSummary("The corrections asked for on a request and their status.");
        api.MapGet("/rights/{id:guid}/portability.json", PortabilityJsonAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("GetPortabilityJson").WithSummary("What the subject provided, as JSON (UK GDPR Art. 20). The download is audited.");
        api.MapGet("/rights/{id:guid}/portability.csv", PortabilityCsvAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("GetPortabilityCsv").WithSummary("What the subject provided, as CSV, one row per field. The download is audited.");
        api.MapPost("/rights/restrictions/{restrictionId:guid}/tell", TellAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("TellBeforeLifting").WithSummary("Record that the person was told the restriction will be lifted (Art. 18(3)); a letter to the requester is queued.");
        api.MapPost("/rights/restrictions/{restrictionId:guid}/lift", LiftAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("LiftRestriction").WithSummary("Lift a restriction, with a reason. Refused until the person has been told.");
        return api;
    }

    private static async Task<Results<Ok<RightsDecisionResponse>, ValidationProblem, NotFound<ProblemDetailsBody>>> DecideAsync(Guid id, RightsDecisionRequest request,
        HttpContext http, RightsRequestService requests, RectificationService rectification, ErasureService erasure, RestrictionService restriction,
        ObjectionService objection, ConsentService consents, PortabilityExport portability)
    {
        var userId = http.User.UserId();
        var ct = http.RequestAborted;
        if (await requests.FindAsync(userId, id, ct) is null)
        {
            return TypedResults.NotFound(NoRequest);
        }

        var grant = request.Outcome == OtherRightsCodes.Granted;
        var outcomeKnown = request.Outcome is OtherRightsCodes.Granted or OtherRightsCodes.Refused;
        string? message = null;
        IReadOnlyList<string> told = [];
        IReadOnlyDictionary<string, string> errors;
        switch (request.Right)
        {
            case RightsCodes.Rectification:
                var rectified = await rectification.DecideAsync(userId, id, new RectificationDecisionInput(request.CorrectedItemIds ?? [], request.ApplyDirectly, request.Reason, request.Statement), ct);
                (errors, told) = (rectified.Errors, rectified.RecipientsTold);
                break;
            case RightsCodes.Erasure when outcomeKnown:
                var erased = await erasure.DecideAsync(userId, id, grant, request.Ground, request.Reason, ct);
                (errors, message) = (erased.Errors, erased.Message);
                break;
            case RightsCodes.Restriction when outcomeKnown:
                errors = grant ? await restriction.PlaceAsync(userId, id, request.Reason, ct) : await restriction.RefuseAsync(userId, id, request.Reason, ct);
                break;
            case RightsCodes.Objection when outcomeKnown:
                errors = await objection.DecideAsync(userId, id, grant, request.Ground, request.ProcessingStops, request.Reason, ct);
                break;
            case RightsCodes.ConsentWithdrawal when request.Outcome == OtherRightsCodes.Granted:
                errors = await consents.WithdrawAsync(userId, id, request.ConsentIds ?? [], request.Reason, ct);
                break;
            case RightsCodes.ConsentWithdrawal:
                errors = new Dictionary<string, string> { ["Outcome"] = "A withdrawal of consent is always granted: send outcome granted with the consents withdrawn" };
                break;
            case RightsCodes.Portability when outcomeKnown:
                errors = await portability.DecideAsync(userId, id, grant, request.Reason, ct);
                break;
            case RightsCodes.Erasure or RightsCodes.Restriction or RightsCodes.Objection or RightsCodes.Portability:
                errors = new Dictionary<string, string> { ["Outcome"] = "Send outcome granted or refused" };
                break;
            default:
                errors = new Dictionary<string, string> { ["Right"] = "Send the right decided: rectification, erasure, restriction, objection, consent_withdrawal or portability" };
                break;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        var detail = (await requests.DetailAsync(userId, id, ct))!;
        var decision = detail.Decisions.Last(d => d.RightCode == request.Right);
        return TypedResults.Ok(new RightsDecisionResponse(decision.RightCode, decision.Outcome, decision.Ground, decision.Reason, decision.DecidedAt, message, told));
    }

    private static async Task<Results<Created<List<RectificationItemResponse>>, ValidationProblem, NotFound<ProblemDetailsBody>>> ProposeAsync(Guid id, RectificationRequest request,
        HttpContext http, RightsRequestService requests, RectificationService rectification)
    {
        if (await requests.FindAsync(http.User.UserId(), id, http.RequestAborted) is null)
        {
            return TypedResults.NotFound(NoRequest);
        }

        var errors = await rectification.ProposeAsync(http.User.UserId(), id,
            new RectificationInput(request.PersonId, request.Field, request.Information, request.CurrentValue, request.ProposedValue), http.RequestAborted);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        return TypedResults.Created($"/api/v1/rights/{id}/rectifications", await ListAsync(rectification, id, http.RequestAborted));
    }

    private static async Task<Results<Ok<List<RectificationItemResponse>>, NotFound<ProblemDetailsBody>>> ItemsAsync(Guid id, HttpContext http, RightsRequestService requests,
        RectificationService rectification) =>
        await requests.FindAsync(http.User.UserId(), id, http.RequestAborted) is null
            ? TypedResults.NotFound(NoRequest)
            : TypedResults.Ok(await ListAsync(rectification, id, http.RequestAborted));

    private static async Task<List<RectificationItemResponse>> ListAsync(RectificationService rectification, Guid id, CancellationToken cancellationToken) =>
        (await rectification.ItemsAsync(id, cancellationToken))
            .Select(i => new RectificationItemResponse(i.Id, i.PersonId, i.Field, i.Information, i.CurrentValue, i.ProposedValue, i.Status)).ToList();

    private static Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> PortabilityJsonAsync(Guid id, HttpContext http, PortabilityExport portability) =>
        PortabilityAsync(id, "json", http, portability);

    private static Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> PortabilityCsvAsync(Guid id, HttpContext http, PortabilityExport portability) =>
        PortabilityAsync(id, "csv", http, portability);

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> PortabilityAsync(Guid id, string format, HttpContext http, PortabilityExport portability) =>
        await portability.DownloadAsync(http.User.UserId(), id, format, http.RequestAborted) is { } file
            ? TypedResults.File(file.Bytes, file.ContentType, file.FileName)
            : TypedResults.NotFound(NoRequest);

    private static async Task<Results<NoContent, ValidationProblem>> TellAsync(Guid restrictionId, RestrictionStepRequest request, HttpContext http, RestrictionService restriction) =>
        Answer(await restriction.TellSubjectAsync(http.User.UserId(), restrictionId, request.Text, http.RequestAborted));

    private static async Task<Results<NoContent, ValidationProblem>> LiftAsync(Guid restrictionId, RestrictionStepRequest request, HttpContext http, RestrictionService restriction) =>
        Answer(await restriction.LiftAsync(http.User.UserId(), restrictionId, request.Text, http.RequestAborted));

    private static Results<NoContent, ValidationProblem> Answer(IReadOnlyDictionary<string, string> errors) =>
        errors.Count == 0 ? TypedResults.NoContent() : TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
}
