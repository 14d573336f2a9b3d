using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewInvolvementModel(RecordAccessService access, InvolvementService involvements) : InvolvementFormModel(access)
{
    protected override string Purpose => "record an involvement";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = ReadInput();
        if (Errors.Count > 0)
        {
            return Invalid(await involvements.ValidateInvolvementAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddInvolvementAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Involvement recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
