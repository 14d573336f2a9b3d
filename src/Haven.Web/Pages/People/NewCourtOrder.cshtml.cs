using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewCourtOrderModel(RecordAccessService access, InvolvementService involvements) : CourtOrderFormModel(access)
{
    protected override string Purpose => "record a court order";

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
            return Invalid(await involvements.ValidateCourtOrderAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddCourtOrderAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Court order recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
