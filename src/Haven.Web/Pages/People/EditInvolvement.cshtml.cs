using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects an involvement on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditInvolvementModel(RecordAccessService access, InvolvementService involvements) : InvolvementFormModel(access)
{
    protected override string Purpose => "correct an involvement";

    public Task<IActionResult> OnGetAsync(Guid id, Guid factId) =>
        ShowCorrectionAsync(id, () => involvements.GetInvolvementAsync(id, factId, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostAsync(Guid id, Guid factId) => SaveCorrectionAsync(id,
        () => involvements.GetInvolvementAsync(id, factId, HttpContext.RequestAborted),
        input => involvements.ValidateInvolvementAsync(id, input, factId, HttpContext.RequestAborted),
        input => involvements.UpdateInvolvementAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted),
        "Involvement corrected", "involvements");
}
