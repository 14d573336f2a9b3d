using Haven.Core.Rights;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Rights;

/// <summary>Records whose processing is restricted, with the two steps to end a restriction: tell the person, then lift it.</summary>
public sealed class RestrictionsModel(RestrictionService restrictions) : HavenPageModel
{
    public IReadOnlyList<RestrictionSummary> Restrictions { get; private set; } = [];
    public string? Confirmation { get; private set; }

    [BindProperty] public Guid RestrictionId { get; set; }
    [BindProperty] public string? SubjectToldHow { get; set; }
    [BindProperty] public string? LiftReason { get; set; }

    public async Task OnGetAsync()
    {
        Confirmation = TempData["RestrictionDone"] as string;
        Restrictions = await restrictions.ListAsync(User.UserId(), cancellationToken: HttpContext.RequestAborted);
    }

    public Task<IActionResult> OnPostTellAsync() =>
        RunAsync(() => restrictions.TellSubjectAsync(User.UserId(), RestrictionId, SubjectToldHow, HttpContext.RequestAborted),
            "SubjectToldHow", "The person has been told the restriction will be lifted, and a letter to the requester is queued. You can now lift it.");

    public Task<IActionResult> OnPostLiftAsync() =>
        RunAsync(() => restrictions.LiftAsync(User.UserId(), RestrictionId, LiftReason, HttpContext.RequestAborted),
            "LiftReason", "Restriction lifted. The record can be opened, changed and shared again by those who work with the person.");

    private async Task<IActionResult> RunAsync(Func<Task<IReadOnlyDictionary<string, string>>> action, string field, string success)
    {
        var errors = await action();
        if (errors.Count > 0)
        {
            // Errors belong to the row they came from, so the summary links to the right field.
            foreach (var (key, message) in errors)
            {
                AddError($"{(key == field ? key : field)}-{RestrictionId}", message);
            }

            Restrictions = await restrictions.ListAsync(User.UserId(), cancellationToken: HttpContext.RequestAborted);
            return Page();
        }

        TempData["RestrictionDone"] = success;
        return RedirectToPage();
    }
}
