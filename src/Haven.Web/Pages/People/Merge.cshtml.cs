using Haven.Core.Access;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

public sealed class MergePersonModel(RecordAccessService access, MergeService merges) : HavenPageModel
{
    [BindProperty]
    public string? DuplicateId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    [BindNever]
    public Guid Id { get; private set; }

    [BindNever]
    public Person? Survivor { get; private set; }

    [BindNever]
    public Person? Duplicate { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        Id = id;
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "merge records", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.Outcome == AccessOutcome.NotFound ? NotFound() : Redirect($"/people/{id}");
        }

        Survivor = person;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        Id = id;
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "merge records", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.Outcome == AccessOutcome.NotFound ? NotFound() : Redirect($"/people/{id}");
        }

        Survivor = person;
        AddError("Reason", TextInput.Check(Reason, "Reason for merging", 1000, multiline: true) is { } e
            ? (e.StartsWith("Enter", StringComparison.Ordinal) ? "Enter why these are the same person" : e) : null);
        if (!Guid.TryParse(DuplicateId?.Trim(), out var duplicateId))
        {
            AddError("DuplicateId", "Enter the duplicate's Haven record number as it appears on the record");
            return Page();
        }

        if (duplicateId == id)
        {
            AddError("DuplicateId", "Enter the record number of the other record, not this one");
            return Page();
        }

        var (duplicateDecision, duplicate) = await access.OpenRecordAsync(User.UserId(), duplicateId, "merge records", HttpContext.RequestAborted);
        if (!duplicateDecision.Allowed)
        {
            AddError("DuplicateId", duplicateDecision.Outcome == AccessOutcome.NotFound
                ? "No record has this number"
                : "You cannot open the duplicate record, so you cannot merge it");
            return Page();
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        Duplicate = duplicate;
        if (!Confirmed)
        {
            return Page();
        }

        var error = await merges.MergeAsync(User.UserId(), id, duplicateId, Reason, HttpContext.RequestAborted);
        if (error is not null)
        {
            Duplicate = null;
            AddError("DuplicateId", error);
            return Page();
        }

        TempData["PersonNotice"] = "Records merged. You can undo this from the list of merges below";
        return Redirect($"/people/{id}");
    }
}
