using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects a household membership on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditHouseholdMemberModel(RecordAccessService access, FamilyService family) : HouseholdMemberFormModel(access)
{
    protected override string Purpose => "correct household membership";

    public Task<IActionResult> OnGetAsync(Guid id, Guid factId) =>
        ShowCorrectionAsync(id, () => family.GetMembershipAsync(id, factId, HttpContext.RequestAborted), prepare: () => LoadChoicesAsync(family, id));

    public Task<IActionResult> OnPostAsync(Guid id, Guid factId) => SaveCorrectionAsync(id,
        () => family.GetMembershipAsync(id, factId, HttpContext.RequestAborted),
        input => family.ValidateMembershipAsync(id, input, factId, HttpContext.RequestAborted),
        input => family.UpdateMembershipAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted),
        "Household corrected", "family", prepare: () => LoadChoicesAsync(family, id));
}
