using Haven.Core.Rights;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

public sealed record SubjectDataEntryItem(string Item, DateOnly? Date, string Title, string? Text, string? Source, string? WithheldGround);
public sealed record SubjectDataSectionItem(string Code, string Title, int Count, IReadOnlyList<SubjectDataEntryItem> Entries);
public sealed record SubjectDataResponse(string Reference, int EntryCount, IReadOnlyList<SubjectDataSectionItem> Sections);

/// <summary>
/// Access requests under /api/v1/rights: everything found about a request's subject (with redactions applied) and
/// the files of a disclosure bundle. Another organisation's request and an unknown one get the same 404.
/// </summary>
public static class AccessRequestApi
{
    private static readonly ProblemDetailsBody NoRequest = new("Not found", "There is no such request in your organisation.");

    public static RouteGroupBuilder MapAccessRequestApi(this RouteGroupBuilder api)
    {
        api.MapGet("/rights/{id:guid}/subject-data", SubjectDataAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("GetRightsSubjectData")
            .WithSummary("Everything Haven holds about an access request's subject, by section, with redactions applied; withheld entries carry their exemption and no text. Audited.");
        api.MapGet("/rights/{id:guid}/bundles/{bundleId:guid}/{file}", BundleFileAsync).RequireAuthorization(Permissions.ManageRights)
            .WithName("GetRightsBundleFile")
            .WithSummary("One file of a disclosure bundle: bundle.pdf, letter.pdf, data.json, data.csv or documents.zip (the original files of the documents it lists). Audited.");
        return api;
    }

    private static async Task<Results<Ok<SubjectDataResponse>, NotFound<ProblemDetailsBody>>> SubjectDataAsync(Guid id, HttpContext http, AccessReviewService review)
    {
        var found = await review.SubjectDataAsync(http.User.UserId(), id, http.RequestAborted);
        if (found is not { } result)
        {
            return TypedResults.NotFound(NoRequest);
        }

        var sections = result.Data.Sections.Select(s => new SubjectDataSectionItem(s.Code, s.Title, s.Entries.Count, s.Entries.Select(e =>
            result.Redactor.WithheldGround(e.Key) is { } ground
                ? new SubjectDataEntryItem(e.Key, e.Date, result.Redactor.Apply(e.Title), null, null, ground)
                : new SubjectDataEntryItem(e.Key, e.Date, result.Redactor.Apply(e.Title), result.Redactor.Apply(e.Text),
                    e.Source is null ? null : result.Redactor.Apply(e.Source), null)).ToList())).ToList();
        return TypedResults.Ok(new SubjectDataResponse(result.Request.Reference, result.Data.EntryCount, sections));
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetailsBody>>> BundleFileAsync(Guid id, Guid bundleId, string file, HttpContext http,
        AccessReviewService review)
    {
        var found = await review.DownloadAsync(http.User.UserId(), id, bundleId, file, http.RequestAborted);
        return found is null ? TypedResults.NotFound(NoRequest) : TypedResults.File(found.Content, found.ContentType, found.FileName);
    }
}
