using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

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

    public Task<IActionResult> OnPostAsync(Guid id) => SaveNewAsync(id,
        input => family.ValidateMembershipAsync(id, input, HttpContext.RequestAborted),
        input => family.AddMembershipAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        "Household recorded", "family", prepare: () => LoadChoicesAsync(family, id));
}
