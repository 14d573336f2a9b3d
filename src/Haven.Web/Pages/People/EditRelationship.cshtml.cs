using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects a relationship on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditRelationshipModel(RecordAccessService access, FamilyService family) : RelationshipFormModel(access)
{
    protected override string Purpose => "correct a relationship";

    public Task<IActionResult> OnGetAsync(Guid id, Guid factId) =>
        ShowCorrectionAsync(id, () => family.GetRelationshipAsync(User.UserId(), id, factId, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostAsync(Guid id, Guid factId) => SaveCorrectionAsync(id,
        () => family.GetRelationshipAsync(User.UserId(), id, factId, HttpContext.RequestAborted),
        input => family.ValidateRelationshipAsync(User.UserId(), id, input, factId, HttpContext.RequestAborted),
        input => family.UpdateRelationshipAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted),
        "Relationship corrected", "family");
}
