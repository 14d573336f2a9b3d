using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects a professional on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditProfessionalModel(RecordAccessService access, InvolvementService involvements) : ProfessionalFormModel(access)
{
    protected override string Purpose => "correct a professional";

    public Task<IActionResult> OnGetAsync(Guid id, Guid factId) =>
        ShowCorrectionAsync(id, () => involvements.GetProfessionalAsync(id, factId, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostAsync(Guid id, Guid factId) => SaveCorrectionAsync(id,
        () => involvements.GetProfessionalAsync(id, factId, HttpContext.RequestAborted),
        input => involvements.ValidateProfessionalAsync(id, input, HttpContext.RequestAborted),
        input => involvements.UpdateProfessionalAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted),
        "Professional corrected", "involvements");
}
