using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects a court order on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditCourtOrderModel(RecordAccessService access, InvolvementService involvements) : CourtOrderFormModel(access)
{
    protected override string Purpose => "correct a court order";

    public Task<IActionResult> OnGetAsync(Guid id, Guid factId) =>
        ShowCorrectionAsync(id, () => involvements.GetCourtOrderAsync(id, factId, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostAsync(Guid id, Guid factId) => SaveCorrectionAsync(id,
        () => involvements.GetCourtOrderAsync(id, factId, HttpContext.RequestAborted),
        input => involvements.ValidateCourtOrderAsync(id, input, HttpContext.RequestAborted),
        input => involvements.UpdateCourtOrderAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted),
        "Court order corrected", "involvements");
}
