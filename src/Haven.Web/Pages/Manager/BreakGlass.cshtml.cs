using Haven.Core.Access;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Manager;

public sealed class BreakGlassAlertsModel(RecordAccessService access) : HavenPageModel
{
    public IReadOnlyList<BreakGlassAlert> Alerts { get; private set; } = [];

    [BindProperty]
    public Guid AlertId { get; set; }

    public async Task OnGetAsync() => Alerts = await access.AlertsForManagerAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var field = "Outcome-" + AlertId;
        var error = await access.ReviewBreakGlassAsync(User.UserId(), AlertId, Request.Form[field], HttpContext.RequestAborted);
        if (error is not null)
        {
            AddError(field, error);
            Alerts = await access.AlertsForManagerAsync(User.UserId(), HttpContext.RequestAborted);
            return Page();
        }

        return RedirectToPage();
    }
}
