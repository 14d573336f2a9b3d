using System.Text;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Api;

public sealed record RegisterVersionItem(int Version, DateOnly EffectiveFrom, string FileName, string ChangedBy, DateTimeOffset ChangedAt, string Reason);
public sealed record RegisterResponse(string Organisation, RegisterVersionItem Version, RegisterDocument Register);

[CollectionPoint("identity")]
public sealed record RegisterFileRequest(
    [property: NotPersonalData("The name of a register file")] string? Name,
    [property: NotPersonalData("A register file: the organisation's own contact details, no data about the people it serves")] string? Text);

[CollectionPoint("identity")]
public sealed record RegisterImportRequest(
    [property: NotPersonalData("Register files")] IReadOnlyList<RegisterFileRequest>? Files,
    [property: NotPersonalData("Why the register is changing")] string? Reason);

public sealed record RegisterImportProblem(string File, int Line, string Message);
public sealed record RegisterImportFailed(string Title, IReadOnlyList<RegisterImportProblem> Problems);
public sealed record RegisterImported(IReadOnlyList<RegisterVersionItem> Versions);

[CollectionPoint("identity")]
public sealed record DisclosureCheckRequest(
    [property: NotPersonalData("A register service code")] string? Service,
    [property: NotPersonalData("A register activity code")] string? Activity,
    [property: NotPersonalData("A register recipient code")] string? Recipient,
    [property: NotPersonalData("Category codes")] IReadOnlyList<string>? Categories,
    [property: NotPersonalData("A country name")] string? Country,
    [property: NotPersonalData("Whether consent is recorded")] bool ConsentRecorded = false,
    [property: NotPersonalData("A Haven record number, used to look up the person's restriction and consents; never stored")] Guid? PersonId = null);

/// <summary>
/// The privacy register under /api/v1/register: read it, export the Article 30 record, import files (a DPO, own
/// organisation, all-or-nothing) and ask the sharing check.
/// </summary>
public static class RegisterApi
{
    private static readonly ProblemDetailsBody NoOrganisation = new("Not found", "There is no organisation with this code, or it has no register in force.");

    public static RouteGroupBuilder MapRegisterApi(this RouteGroupBuilder api)
    {
        api.MapGet("/register/{org}", GetAsync).RequireAuthorization(Permissions.ViewRegister)
            .WithName("GetRegister").WithSummary("The organisation's privacy register in force today (?date=yyyy-mm-dd for another date).");
        api.MapGet("/register/{org}/article-30.csv", Article30CsvAsync).RequireAuthorization(Permissions.ViewRegister)
            .WithName("GetArticle30Csv").WithSummary("The Article 30 record of processing activities as CSV, one row per processing activity.");
        api.MapGet("/register/{org}/article-30.pdf", Article30PdfAsync).RequireAuthorization(Permissions.ViewRegister)
            .WithName("GetArticle30Pdf").WithSummary("The Article 30 record of processing activities as a PDF.");
        api.MapPost("/register/import", ImportAsync).RequireAuthorization(Permissions.ManageRegister)
            .WithName("ImportRegister").WithSummary("Import register files (YAML text) for your own organisation. All-or-nothing: 400 lists every problem with its file and line.");
        api.MapPost("/register/{org}/disclosure-check", DisclosureCheckAsync).RequireAuthorization(Permissions.ViewRegister)
            .WithName("CheckDisclosure").WithSummary("Would the register allow sharing these categories with this recipient for this purpose (and overseas)? With personId, a record whose processing is restricted is refused and consent comes from the person's recorded consents. Refusals are audited.");
        return api;
    }

    private static RegisterVersionItem Item(RegisterVersionSummary v) => new(v.Version, v.EffectiveFrom, v.FileName, v.ChangedBy, v.ChangedAt, v.Reason);

    private static async Task<LoadedRegister?> LoadAsync(RegisterService register, string org, DateOnly? date, CancellationToken cancellationToken) =>
        await register.OrganisationByCodeAsync(org, cancellationToken) is { } organisation
            ? await register.InForceAsync(organisation.Id, date, cancellationToken)
            : null;

    private static async Task<Results<Ok<RegisterResponse>, NotFound<ProblemDetailsBody>>> GetAsync(string org, DateOnly? date, RegisterService register, HttpContext http)
    {
        var loaded = await LoadAsync(register, org, date, http.RequestAborted);
        return loaded is null ? TypedResults.NotFound(NoOrganisation) : TypedResults.Ok(new RegisterResponse(loaded.Version.OrganisationCode, Item(loaded.Version), loaded.Document));
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> Article30CsvAsync(string org, RegisterService register, AuditWriter audit, HttpContext http)
    {
        var loaded = await LoadAsync(register, org, null, http.RequestAborted);
        if (loaded is null)
        {
            return TypedResults.NotFound(NoOrganisation);
        }

        await audit.RecordAsync(new AuditEntry(RegisterAuditActions.Exported, null, "privacy register", $"{loaded.Version.OrganisationCode} Article 30 CSV, version {loaded.Version.Version}"), http.RequestAborted);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Article30Export.Csv(loaded))).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"{loaded.Version.OrganisationCode}-article-30-v{loaded.Version.Version}.csv");
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> Article30PdfAsync(string org, RegisterService register, AuditWriter audit, TimeProvider clock, HttpContext http)
    {
        var loaded = await LoadAsync(register, org, null, http.RequestAborted);
        if (loaded is null)
        {
            return TypedResults.NotFound(NoOrganisation);
        }

        await audit.RecordAsync(new AuditEntry(RegisterAuditActions.Exported, null, "privacy register", $"{loaded.Version.OrganisationCode} Article 30 PDF, version {loaded.Version.Version}"), http.RequestAborted);
        return TypedResults.File(Article30Export.Pdf(loaded, clock.GetUtcNow()), "application/pdf", $"{loaded.Version.OrganisationCode}-article-30-v{loaded.Version.Version}.pdf");
    }

    private static async Task<Results<Ok<RegisterImported>, BadRequest<RegisterImportFailed>>> ImportAsync(RegisterImportRequest request, RegisterService register, HavenDbContext db, HttpContext http)
    {
        var files = (request.Files ?? []).Select((f, i) => new RegisterFile(string.IsNullOrWhiteSpace(f.Name) ? $"file {i + 1}" : Path.GetFileName(f.Name), f.Text ?? "")).ToList();
        var userId = http.User.UserId();
        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(http.RequestAborted);
        var result = await register.ImportAsync(files, request.Reason ?? "", userId, http.User.Identity?.Name ?? "unknown", organisationId, http.RequestAborted);
        return result.Imported
            ? TypedResults.Ok(new RegisterImported(result.Versions.Select(Item).ToList()))
            : TypedResults.BadRequest(new RegisterImportFailed("Nothing was imported", result.Errors.Select(e => new RegisterImportProblem(e.File, e.Line, e.Message)).ToList()));
    }

    private static async Task<Results<Ok<DisclosureDecision>, NotFound<ProblemDetailsBody>>> DisclosureCheckAsync(string org, DisclosureCheckRequest request,
        RegisterService register, DisclosureChecker checker, HttpContext http)
    {
        var organisation = await register.OrganisationByCodeAsync(org, http.RequestAborted);
        if (organisation is null)
        {
            return TypedResults.NotFound(NoOrganisation);
        }

        var disclosure = new DisclosureRequest(request.Service ?? "", request.Activity ?? "", request.Recipient ?? "", request.Categories ?? [], request.Country, request.ConsentRecorded);
        // With a person, their restriction and their own consents decide (the caller's consentRecorded is ignored).
        var decision = request.PersonId is { } personId
            ? await checker.CheckForPersonAsync(organisation.Id, disclosure, personId, http.RequestAborted)
            : await checker.CheckAsync(organisation.Id, disclosure, cancellationToken: http.RequestAborted);
        return TypedResults.Ok(decision);
    }
}
