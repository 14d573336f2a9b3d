using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewRelationshipModel(RecordAccessService access, FamilyService family) : RelationshipFormModel(access)
{
    protected override string Purpose => "record a relationship";

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
            return Invalid(await family.ValidateRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted));
        }

        var result = await family.AddRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Relationship recorded";
        return Redirect($"/people/{id}#family");
    }
}
