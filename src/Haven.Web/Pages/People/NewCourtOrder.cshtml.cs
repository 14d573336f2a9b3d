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

    public Task<IActionResult> OnPostAsync(Guid id) => SaveNewAsync(id,
        input => involvements.ValidateCourtOrderAsync(id, input, HttpContext.RequestAborted),
        input => involvements.AddCourtOrderAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        "Court order recorded", "involvements");
}
