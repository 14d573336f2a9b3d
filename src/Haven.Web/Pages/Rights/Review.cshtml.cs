using Haven.Core.Rights;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Rights;

/// <summary>
/// The access-request review workspace: everything found about the subject by section, redaction suggestions,
/// redactions and withheld entries, preparing the bundle and signing it off (by someone other than the preparer).
/// </summary>
public sealed class ReviewModel(AccessReviewService review) : HavenPageModel
{
    public const int PageSize = 200;

    public ReviewWorkspace Workspace { get; private set; } = null!;
    public string? Confirmation { get; private set; }
    public IReadOnlyList<SubjectEntry> Shown { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages { get; private set; }

    [FromRoute] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Section { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    [BindProperty] public string? Term { get; set; }
    [BindProperty] public string? Ground { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ItemKey { get; set; }
    [BindProperty] public string? WithholdGround { get; set; }
    [BindProperty] public string? WithholdReason { get; set; }
    [BindProperty] public Guid RedactionId { get; set; }
    [BindProperty] public Guid BundleId { get; set; }
    [BindProperty] public string? ReturnReason { get; set; }

    public Guid CurrentUserId => User.UserId();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public Task<IActionResult> OnPostRedactAsync() =>
        RunAsync(review.RedactTermAsync(User.UserId(), Id, Term, Ground, Reason, HttpContext.RequestAborted),
            "The words will be redacted wherever they appear in the bundle.", () => (Term, Ground, Reason) = (null, null, null));

    public Task<IActionResult> OnPostWithholdAsync() =>
        RunAsync(review.WithholdAsync(User.UserId(), Id, ItemKey, WithholdGround, WithholdReason, HttpContext.RequestAborted),
            "The entry will be left out of the bundle. The requester is told how many entries were withheld and why.",
            () => (ItemKey, WithholdGround, WithholdReason) = (null, null, null));

    public Task<IActionResult> OnPostRemoveAsync() =>
        RunAsync(review.RemoveRedactionAsync(User.UserId(), Id, RedactionId, HttpContext.RequestAborted), "The redaction was removed: that information will be disclosed.", null);

    public async Task<IActionResult> OnPostPrepareAsync()
    {
        var (errors, _) = await review.PrepareAsync(User.UserId(), Id, HttpContext.RequestAborted);
        return await AfterAsync(errors, "The bundle is ready for sign-off. Someone else with permission to handle rights requests must check and sign it off.", null);
    }

    public Task<IActionResult> OnPostSignOffAsync() =>
        RunAsync(review.SignOffAsync(User.UserId(), Id, BundleId, HttpContext.RequestAborted), "Bundle signed off. The requester has been told their information is ready.", null);

    public Task<IActionResult> OnPostReturnAsync() =>
        RunAsync(review.ReturnAsync(User.UserId(), Id, BundleId, ReturnReason, HttpContext.RequestAborted), "Bundle returned for changes.", () => ReturnReason = null);

    private async Task<IActionResult> RunAsync(Task<IReadOnlyDictionary<string, string>> change, string confirmation, Action? clear) =>
        await AfterAsync(await change, confirmation, clear);

    private async Task<IActionResult> AfterAsync(IReadOnlyDictionary<string, string> errors, string confirmation, Action? clear)
    {
        AddErrors(errors);
        if (Errors.Count == 0)
        {
            Confirmation = confirmation;
            clear?.Invoke();
        }

        return await LoadAsync() ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync()
    {
        var workspace = await review.WorkspaceAsync(User.UserId(), Id, HttpContext.RequestAborted);
        if (workspace is null)
        {
            return false;
        }

        Workspace = workspace;
        if (Section is not null && !SubjectDataSearch.SectionList.Any(s => s.Code == Section))
        {
            Section = null;
        }

        var entries = workspace.Data.Sections.Where(s => Section is null || s.Code == Section).SelectMany(s => s.Entries).ToList();
        Total = entries.Count;
        Pages = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Shown = entries.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        return true;
    }

    public string PageLink(string? section, int page) =>
        $"/rights/{Id}/review?{(section is null ? "" : $"section={Uri.EscapeDataString(section)}&")}p={page}";
}
