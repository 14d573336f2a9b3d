using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

/// <summary>
/// Sends a document as an attachment with the type found from its content, after deciding (and auditing) access to
/// the person it belongs to. The browser is told not to guess the type, so nothing uploaded runs in Haven's origin.
/// </summary>
public sealed class DownloadModel(RecordAccessService access, DocumentService documents) : HavenPageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var personId = await documents.PersonOfAsync(id, HttpContext.RequestAborted);
        if (personId is null)
        {
            return NotFound();
        }

        var (decision, _) = await access.OpenRecordAsync(User.UserId(), personId.Value, "download document", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var document = await documents.OpenAsync(id, HttpContext.RequestAborted);
        if (document is null)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        return File(document.Content, document.ContentType, document.FileName);
    }
}
