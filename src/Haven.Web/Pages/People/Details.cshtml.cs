using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Api;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Web.Pages.People;

public sealed class PersonDetailsModel(RecordAccessService access, PeopleService people, MergeService merges, IOptions<SecurityOptions> options,
    Haven.Core.Data.HavenDbContext db) : HavenPageModel
{
    public PersonView? View { get; private set; }
    public AccessDecision? Decision { get; private set; }
    public (string Name, DateOnly? DateOfBirth)? Existence { get; private set; }
    public string Explanation => Decision is null ? string.Empty : AccessMessages.Explain(Decision);
    public int BreakGlassHours => options.Value.BreakGlassHours;
    public bool CanEdit => View is not null && !View.Person.ProcessingRestricted && User.Can(Permissions.RecordPeople);
    /// <summary>The person's statements that they dispute the accuracy of the record (a refused rectification), shown with it.</summary>
    public IReadOnlyList<Haven.Core.Rights.RecordStatement> Statements { get; private set; } = [];
    public string? Notice { get; private set; }
    public IReadOnlyList<MergeSummary> Merges { get; private set; } = [];

    [BindProperty]
    public Guid MergeId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        Notice = TempData["PersonNotice"] as string;
        return await LoadAsync(id);
    }

    public async Task<IActionResult> OnPostBreakGlassAsync(Guid id)
    {
        var error = await access.BreakGlassAsync(User.UserId(), id, Reason, HttpContext.RequestAborted);
        if (error is not null)
        {
            AddError("Reason", error);
            return await LoadAsync(id);
        }

        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostUndoMergeAsync(Guid id)
    {
        var (decision, _) = await access.OpenRecordAsync(User.UserId(), id, "undo merge", HttpContext.RequestAborted);
        if (!decision.Allowed || !User.Can(Permissions.RecordPeople))
        {
            return await LoadAsync(id);
        }

        var error = await merges.UndoAsync(User.UserId(), MergeId, HttpContext.RequestAborted);
        if (error is not null)
        {
            AddError("MergeId", error);
            return await LoadAsync(id);
        }

        TempData["PersonNotice"] = "Merge undone: the duplicate record and everything recorded against it are back as they were";
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> LoadAsync(Guid id)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "case work", HttpContext.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return NotFound();
        }

        Decision = decision;
        if (decision.Allowed)
        {
            View = await people.GetAsync(person!.Id, HttpContext.RequestAborted);
            Merges = await merges.MergesIntoAsync(person.Id, HttpContext.RequestAborted);
            Statements = await db.Set<Haven.Core.Rights.RecordStatement>().AsNoTracking().Where(s => s.PersonId == person.Id).OrderBy(s => s.CreatedAt)
                .ToListAsync(HttpContext.RequestAborted);
            return Page();
        }

        // Without a working relationship a worker sees only that the record exists: name and date of birth.
        if (decision.Outcome == AccessOutcome.NoRelationship)
        {
            Existence = await access.ExistenceAsync(id, HttpContext.RequestAborted);
        }

        HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
