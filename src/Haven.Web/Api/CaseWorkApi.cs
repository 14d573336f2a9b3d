using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;

namespace Haven.Web.Api;

public sealed record CaseWorkResponse(IReadOnlyList<NoteItem> Notes, IReadOnlyList<WorryItem> Worries, IReadOnlyList<PlanItem> Plans,
    IReadOnlyList<ServiceItem> Services, IReadOnlyList<OffenceItem> Offences, IReadOnlyList<DocumentItem> Documents);
public sealed record NoteItem(Guid Id, string ContactType, DateOnly ContactDate, TimeOnly? ContactTime, string? Participants, IReadOnlyList<Guid> ParticipantPersonIds,
    string Text, string Source, string RecordedBy, DateTimeOffset CreatedAt);
public sealed record WorryItem(Guid Id, string Kind, string Text, DateOnly RecordedOn, string Source, DateTimeOffset CreatedAt);
public sealed record PlanItem(Guid Id, string PlanType, DateOnly StartedOn, DateOnly? CompletedOn, DateOnly? ReviewOn, string? Outcome, string Source, DateTimeOffset CreatedAt);
public sealed record ServiceItem(Guid Id, string Name, string? Provider, DateOnly FromDate, DateOnly? ToDate, string Source, DateTimeOffset CreatedAt);
public sealed record OffenceItem(Guid Id, string Description, string Status, DateOnly? OffenceDate, string? Proceedings, string Source, DateTimeOffset CreatedAt);
public sealed record DocumentItem(Guid Id, string? Title, string FileName, string Kind, long SizeBytes, string Source, DateTimeOffset CreatedAt, string DownloadUrl);
[CollectsAs(typeof(NoteInput))]
public sealed record NoteRequest(string? ContactType, DateOnly? ContactDate, string? ContactTime, string? Participants, [property: Collects("care.contacts")] IReadOnlyList<Guid>? ParticipantPersonIds, string? Text, string? Source);
[CollectsAs(typeof(WorryInput))]
public sealed record WorryRequest(string? Kind, string? Text, DateOnly? RecordedOn, string? Source);
[CollectsAs(typeof(PlanInput))]
public sealed record PlanRequest(string? PlanType, DateOnly? StartedOn, DateOnly? CompletedOn, DateOnly? ReviewOn, string? Outcome, string? Source);
[CollectsAs(typeof(ServiceInput))]
public sealed record ServiceRequest(string? Name, string? Provider, DateOnly? FromDate, DateOnly? ToDate, string? Source);
[CollectsAs(typeof(OffenceInput))]
public sealed record OffenceRequest(string? Description, string? Status, DateOnly? OffenceDate, string? Proceedings, string? Source);
public sealed record CreatedEntry(Guid Id);

/// <summary>
/// Case work under /api/v1: notes and contacts, worries and strengths, assessments and plans, services, offences and
/// documents. Every call opens the person's record through RecordAccessService first (need-to-know, audited); writes
/// also need Permissions.RecordPeople, and the group's antiforgery filter applies to them.
/// </summary>
public static class CaseWorkApi
{
    public static RouteGroupBuilder MapCaseWorkApi(this RouteGroupBuilder api)
    {
        api.MapGet("/people/{id:guid}/case-work", GetCaseWorkAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetCaseWork").WithSummary("Case notes, worries and strengths, plans, services, offences and documents for a person. Audited.");
        api.MapPost("/people/{id:guid}/notes", AddNoteAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddCaseNote").WithSummary("Record a case note or contact, with the source of the information.");
        api.MapPost("/people/{id:guid}/worries", AddWorryAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddWorry").WithSummary("Record a worry, what is working well, or a next step.");
        api.MapPost("/people/{id:guid}/plans", AddPlanAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddPlan").WithSummary("Record an assessment or plan. A review date must be after the start date.");
        api.MapPost("/people/{id:guid}/services", AddServiceAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddService").WithSummary("Record a service or event the person accessed.");
        api.MapPost("/people/{id:guid}/offences", AddOffenceAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("AddOffence").WithSummary("Record an offence or proceedings (criminal-offence data, stored encrypted).");
        api.MapPost("/people/{id:guid}/documents", UploadDocumentAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("UploadDocument").WithSummary("Upload a document or photo as multipart/form-data (file, title, source). The type is checked from the content.")
            .DisableAntiforgery();
        api.MapGet("/documents/{id:guid}", DownloadDocumentAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("DownloadDocument").WithSummary("Download a document as an attachment, with the type found from its content. Audited.");
        return api;
    }

    private static async Task<IResult?> RefuseAsync(Guid id, string purpose, HttpContext http, RecordAccessService access)
    {
        var (decision, _) = await access.OpenRecordAsync(http.User.UserId(), id, purpose, http.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return TypedResults.NotFound(new ProblemDetailsBody("Not found", "There is no record with this identifier."));
        }

        return decision.Allowed ? null : new ForbidProblem(AccessMessages.Explain(decision));
    }

    private static IResult Outcome(Guid personId, CaseWorkResult result) => result.Saved
        ? TypedResults.Created($"/api/v1/people/{personId}/case-work", new CreatedEntry(result.Id!.Value))
        : TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    private static async Task<IResult> GetCaseWorkAsync(Guid id, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "case work", http, access) is { } refused)
        {
            return refused;
        }

        var work = await caseWork.GetAsync(id, http.RequestAborted);
        return TypedResults.Ok(new CaseWorkResponse(
            work.Notes.Select(n => new NoteItem(n.Id, n.ContactType, n.ContactDate, n.ContactTime, n.Participants, n.ParticipantPersonIds, n.Text, n.Source,
                work.RecordedByName(n.CreatedByUserId), n.CreatedAt)).ToList(),
            work.Worries.Select(w => new WorryItem(w.Id, w.Kind, w.Text, w.RecordedOn, w.Source, w.CreatedAt)).ToList(),
            work.Plans.Select(p => new PlanItem(p.Id, p.PlanType, p.StartedOn, p.CompletedOn, p.ReviewOn, p.Outcome, p.Source, p.CreatedAt)).ToList(),
            work.Services.Select(s => new ServiceItem(s.Id, s.Name, s.Provider, s.FromDate, s.ToDate, s.Source, s.CreatedAt)).ToList(),
            work.Offences.Select(o => new OffenceItem(o.Id, o.Description, o.Status, o.OffenceDate, o.Proceedings, o.Source, o.CreatedAt)).ToList(),
            work.Documents.Select(d => new DocumentItem(d.Id, d.Title, d.FileName, d.Kind, d.SizeBytes, d.Source, d.CreatedAt, $"/api/v1/documents/{d.Id}")).ToList()));
    }

    private static async Task<IResult> AddNoteAsync(Guid id, NoteRequest request, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "record case work", http, access) is { } refused)
        {
            return refused;
        }

        var participants = request.ParticipantPersonIds is null ? null : string.Join(',', request.ParticipantPersonIds);
        var input = new NoteInput(request.ContactType, request.ContactDate, request.ContactTime, request.Participants, participants, request.Text, request.Source);
        return Outcome(id, await caseWork.AddNoteAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted));
    }

    private static async Task<IResult> AddWorryAsync(Guid id, WorryRequest request, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "record case work", http, access) is { } refused)
        {
            return refused;
        }

        var input = new WorryInput(request.Kind, request.Text, request.RecordedOn, request.Source);
        return Outcome(id, await caseWork.AddWorryAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted));
    }

    private static async Task<IResult> AddPlanAsync(Guid id, PlanRequest request, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "record case work", http, access) is { } refused)
        {
            return refused;
        }

        var input = new PlanInput(request.PlanType, request.StartedOn, request.CompletedOn, request.ReviewOn, request.Outcome, request.Source);
        return Outcome(id, await caseWork.AddPlanAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted));
    }

    private static async Task<IResult> AddServiceAsync(Guid id, ServiceRequest request, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "record case work", http, access) is { } refused)
        {
            return refused;
        }

        var input = new ServiceInput(request.Name, request.Provider, request.FromDate, request.ToDate, request.Source);
        return Outcome(id, await caseWork.AddServiceAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted));
    }

    private static async Task<IResult> AddOffenceAsync(Guid id, OffenceRequest request, HttpContext http, RecordAccessService access, CaseWorkService caseWork)
    {
        if (await RefuseAsync(id, "record criminal offence data", http, access) is { } refused)
        {
            return refused;
        }

        var input = new OffenceInput(request.Description, request.Status, request.OffenceDate, request.Proceedings, request.Source);
        return Outcome(id, await caseWork.AddOffenceAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted));
    }

    /// <summary>
    /// The form is read here, within the upload limit, and not bound by the framework: the group's filter has
    /// already checked the antiforgery header, so the built-in form antiforgery check is turned off for this endpoint.
    /// </summary>
    private static async Task<IResult> UploadDocumentAsync(Guid id, HttpContext http, RecordAccessService access, DocumentService documents)
    {
        if (await RefuseAsync(id, "record case work", http, access) is { } refused)
        {
            return refused;
        }

        if (!await UploadForm.TryReadAsync(http, documents.Options))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large", detail: documents.Options.TooLargeMessage);
        }

        if (!http.Request.HasFormContentType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["File"] = ["Send the file as multipart/form-data in a field called file"] });
        }

        var form = http.Request.Form;
        var file = form.Files.GetFile("file");
        byte[]? content = null;
        if (file is not null)
        {
            using var buffer = new MemoryStream((int)Math.Min(file.Length, documents.Options.MaxRequestBytes));
            await file.CopyToAsync(buffer, http.RequestAborted);
            content = buffer.ToArray();
        }

        var input = new DocumentInput(form["title"].ToString(), form["source"].ToString(), file?.FileName, content);
        var result = await documents.UploadAsync(http.User.UserId(), id, input, cancellationToken: http.RequestAborted);
        return result.Saved
            ? TypedResults.Created($"/api/v1/documents/{result.Id}", new CreatedEntry(result.Id!.Value))
            : TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
    }

    private static async Task<IResult> DownloadDocumentAsync(Guid id, HttpContext http, RecordAccessService access, DocumentService documents)
    {
        var personId = await documents.PersonOfAsync(id, http.RequestAborted);
        if (personId is null)
        {
            return TypedResults.NotFound(new ProblemDetailsBody("Not found", "There is no document with this identifier."));
        }

        if (await RefuseAsync(personId.Value, "download document", http, access) is { } refused)
        {
            return refused;
        }

        var document = (await documents.OpenAsync(id, http.RequestAborted))!;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(document.Content, document.ContentType, document.FileName);
    }
}
