using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewInvolvementModel(RecordAccessService access, InvolvementService involvements) : InvolvementFormModel(access)
{
    protected override string Purpose => "record an involvement";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid id) => SaveNewAsync(id,
        input => involvements.ValidateInvolvementAsync(id, input, HttpContext.RequestAborted),
        input => involvements.AddInvolvementAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        "Involvement recorded", "involvements");
}
