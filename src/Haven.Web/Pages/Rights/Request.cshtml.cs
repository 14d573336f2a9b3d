using Haven.Core.People;
using Haven.Core.Rights;
using Haven.Core.Security;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Rights;

/// <summary>
/// One request: who asked for what about whom, the clock, identity and authority checks, matching the subject to
/// Haven's records, the steps for each right asked for, correspondence, closure and the request's history.
/// </summary>
public sealed class RequestModel(RightsRequestService requests, Haven.Core.Data.HavenDbContext db) : HavenPageModel
{
    public RequestDetail Detail { get; private set; } = null!;
    public IReadOnlyList<SearchCandidate> Candidates { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Handlers { get; private set; } = [];
    public string? Confirmation { get; private set; }
    public bool Searched { get; private set; }

    [BindProperty] public string? IdentityOutcome { get; set; }
    [BindProperty] public string? IdentityMethod { get; set; }
    [BindProperty] public string? IdentityNote { get; set; }
    [BindProperty] public string? AuthorityOutcome { get; set; }
    [BindProperty] public string? AuthorityEvidence { get; set; }
    [BindProperty] public string? PauseReason { get; set; }
    [BindProperty] public string? PauseNote { get; set; }
    [BindProperty] public string? ResumeNote { get; set; }
    [BindProperty] public int ExtensionMonths { get; set; }
    [BindProperty] public string? ExtensionReason { get; set; }
    [BindProperty] public Guid? AssignedUserId { get; set; }
    [BindProperty] public string? SearchName { get; set; }
    [BindProperty] public string? SearchDobDay { get; set; }
    [BindProperty] public string? SearchDobMonth { get; set; }
    [BindProperty] public string? SearchDobYear { get; set; }
    [BindProperty] public Guid? PersonId { get; set; }
    [BindProperty] public string? CloseStatus { get; set; }
    [BindProperty] public string? CloseGround { get; set; }
    [BindProperty] public string? CloseOutcome { get; set; }
    [BindProperty] public Guid? MessageId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, int? recorded)
    {
        if (recorded == 1)
        {
            Confirmation = "Request recorded. The acknowledgement to the requester is in the correspondence below.";
        }

        return await ShowAsync(id);
    }

    public Task<IActionResult> OnPostIdentityAsync(Guid id) => RunAsync(id, IdentityOutcome is not ("verified" or "not_matched")
        ? Error("IdentityOutcome", "Select whether the requester's identity is confirmed")
        : requests.RecordIdentityAsync(User.UserId(), id, IdentityOutcome == "verified", IdentityMethod, IdentityNote, HttpContext.RequestAborted),
        "Identity check recorded.");

    public Task<IActionResult> OnPostAuthorityAsync(Guid id) => RunAsync(id, AuthorityOutcome is not ("verified" or "refused")
        ? Error("AuthorityOutcome", "Select whether the requester's authority is accepted")
        : requests.RecordAuthorityAsync(User.UserId(), id, AuthorityOutcome == "verified", AuthorityEvidence, HttpContext.RequestAborted),
        "Authority check recorded.");

    public Task<IActionResult> OnPostPauseAsync(Guid id) =>
        RunAsync(id, requests.PauseAsync(User.UserId(), id, PauseReason, PauseNote, HttpContext.RequestAborted), "Clock stopped. The letter to the requester is in the correspondence below.");

    public Task<IActionResult> OnPostResumeAsync(Guid id) =>
        RunAsync(id, requests.ResumeAsync(User.UserId(), id, ResumeNote, HttpContext.RequestAborted), "Clock restarted. The new due date is shown above.");

    public Task<IActionResult> OnPostExtendAsync(Guid id) =>
        RunAsync(id, requests.ExtendAsync(User.UserId(), id, ExtensionMonths, ExtensionReason, HttpContext.RequestAborted), "Deadline extended. The letter telling the requester why is in the correspondence below.");

    public Task<IActionResult> OnPostAssignAsync(Guid id) =>
        RunAsync(id, requests.AssignAsync(User.UserId(), id, AssignedUserId, HttpContext.RequestAborted), "Request assigned.");

    public Task<IActionResult> OnPostLinkAsync(Guid id) =>
        RunAsync(id, requests.MatchSubjectAsync(User.UserId(), id, PersonId, HttpContext.RequestAborted), "Record linked to the request.");

    public Task<IActionResult> OnPostUnlinkAsync(Guid id) =>
        RunAsync(id, requests.UnmatchSubjectAsync(User.UserId(), id, PersonId ?? Guid.Empty, HttpContext.RequestAborted), "Record unlinked from the request.");

    public Task<IActionResult> OnPostCloseAsync(Guid id) =>
        RunAsync(id, requests.CloseAsync(User.UserId(), id, CloseStatus, CloseGround, CloseOutcome, HttpContext.RequestAborted), "Request closed.");

    public async Task<IActionResult> OnPostPostedAsync(Guid id)
    {
        if (await requests.MarkPostedAsync(User.UserId(), id, MessageId ?? Guid.Empty, HttpContext.RequestAborted) is { } error)
        {
            AddError("MessageId", error);
        }
        else
        {
            Confirmation = "Letter marked as posted.";
        }

        return await ShowAsync(id);
    }

    public async Task<IActionResult> OnPostSearchAsync(Guid id)
    {
        var (born, dateError) = DateInput.Parse(SearchDobDay, SearchDobMonth, SearchDobYear, "Date of birth");
        AddError("SearchDob", dateError);
        if (TextInput.Check(SearchName, "Name", 200) is { } nameError)
        {
            AddError("SearchName", nameError);
        }

        if (Errors.Count == 0)
        {
            Candidates = await requests.CandidatesAsync(User.UserId(), id, SearchName, born, HttpContext.RequestAborted);
            Searched = true;
        }

        return await ShowAsync(id);
    }

    private static Task<IReadOnlyDictionary<string, string>> Error(string field, string message) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { [field] = message });

    private async Task<IActionResult> RunAsync(Guid id, Task<IReadOnlyDictionary<string, string>> change, string done)
    {
        var errors = await change;
        AddErrors(errors);
        if (Errors.Count == 0)
        {
            Confirmation = done;
            // Fresh form fields after a successful change.
            (IdentityNote, AuthorityEvidence, PauseNote, ResumeNote, ExtensionReason, CloseOutcome) = (null, null, null, null, null, null);
        }

        return await ShowAsync(id);
    }

    private async Task<IActionResult> ShowAsync(Guid id)
    {
        var detail = await requests.DetailAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (detail is null)
        {
            return NotFound();
        }

        Detail = detail;
        SearchName ??= detail.Request.SubjectName;
        if (SearchDobDay is null && detail.Request.SubjectDateOfBirth is { } born)
        {
            (SearchDobDay, SearchDobMonth, SearchDobYear) = (born.Day.ToString(), born.Month.ToString(), born.Year.ToString());
        }

        var organisation = detail.Request.OrganisationId;
        Handlers = (await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisation && u.DisabledAt == null).ToListAsync(HttpContext.RequestAborted))
            .Where(u => Permissions.Grants(u.Roles, Permissions.ManageRights)).OrderBy(u => u.DisplayName).Select(u => (u.Id, u.DisplayName)).ToList();
        return Page();
    }
}
