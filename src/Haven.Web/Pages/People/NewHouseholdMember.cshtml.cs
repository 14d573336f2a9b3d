using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Records that this person lived in a household from a date. A move ends the household they lived in before.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewHouseholdMemberModel(RecordAccessService access, FamilyService family) : HouseholdMemberFormModel(access)
{
    protected override string Purpose => "record household membership";

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        await LoadChoicesAsync(family, id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        await LoadChoicesAsync(family, id);
        var input = ReadInput();
        if (Errors.Count > 0)
        {
            return Invalid(await family.ValidateMembershipAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await family.AddMembershipAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Household recorded";
        return Redirect($"/people/{id}#family");
    }
}
