using Haven.Core.Rights;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Haven.Web.Pages.Rights;

/// <summary>One file of a disclosure bundle (bundle.pdf, letter.pdf, data.json, data.csv or documents.zip). Every download is audited.</summary>
public sealed class BundleFileModel(AccessReviewService review) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid bundleId, string file)
    {
        var found = await review.DownloadAsync(User.UserId(), id, bundleId, file, HttpContext.RequestAborted);
        return found is null ? NotFound() : File(found.Content, found.ContentType, found.FileName);
    }
}
