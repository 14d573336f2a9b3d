using Haven.Core.Access;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
public sealed class EndInvolvementModel(RecordAccessService access, InvolvementService involvements, Haven.Core.Data.HavenDbContext db) : PersonFactPageModel(access)
{
    [BindProperty] public string? EndedOnDay { get; set; }
    [BindProperty] public string? EndedOnMonth { get; set; }
    [BindProperty] public string? EndedOnYear { get; set; }

    [BindNever]
    public string Label { get; private set; } = "an involvement";

    protected override string Purpose => "end an involvement";

    public async Task<IActionResult> OnGetAsync(Guid id, Guid involvementId) => await OpenAsync(id) ?? await LoadAsync(id, involvementId);

    public async Task<IActionResult> OnPostAsync(Guid id, Guid involvementId)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        if (await LoadAsync(id, involvementId) is NotFoundResult notFound)
        {
            return notFound;
        }

        var endedOn = ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, "Date it ended");
        if (Errors.Count > 0)
        {
            return Page();
        }

        var result = await involvements.EndInvolvementAsync(User.UserId(), id, involvementId, endedOn, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = $"{Label} ended";
        return Redirect($"/people/{id}#involvements");
    }

    private async Task<IActionResult> LoadAsync(Guid id, Guid involvementId)
    {
        var type = await db.Set<Involvement>().Where(i => i.Id == involvementId && i.PersonId == id).Select(i => i.InvolvementType).SingleOrDefaultAsync(HttpContext.RequestAborted);
        if (type is null)
        {
            return NotFound();
        }

        Label = ReferenceData.InvolvementTypes.LabelFor(type) ?? type;
        return Page();
    }
}
