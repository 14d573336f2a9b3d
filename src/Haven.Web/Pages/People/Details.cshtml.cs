using Haven.Core.Access;
using Haven.Core.Data.Entities;
using Haven.Core.Security;
using Haven.Web.Api;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Haven.Web.Pages.People;

public sealed class PersonDetailsModel(RecordAccessService access, IOptions<SecurityOptions> options) : HavenPageModel
{
    public Person? Person { get; private set; }
    public AccessDecision? Decision { get; private set; }
    public string Explanation => Decision is null ? string.Empty : AccessMessages.Explain(Decision);
    public int BreakGlassHours => options.Value.BreakGlassHours;

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id);

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

    private async Task<IActionResult> LoadAsync(Guid id)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "case work", HttpContext.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return NotFound();
        }

        Decision = decision;
        Person = person;
        if (!decision.Allowed)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Page();
    }
}
