using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewProfessionalModel(RecordAccessService access, InvolvementService involvements) : ProfessionalFormModel(access)
{
    protected override string Purpose => "record a professional";

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
            return Invalid(await involvements.ValidateProfessionalAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddProfessionalAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Professional recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
