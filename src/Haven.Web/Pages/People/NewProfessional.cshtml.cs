using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewProfessionalModel(RecordAccessService access, InvolvementService involvements) : ProfessionalFormModel(access)
{
    protected override string Purpose => "record a professional";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid id) => SaveNewAsync(id,
        input => involvements.ValidateProfessionalAsync(id, input, HttpContext.RequestAborted),
        input => involvements.AddProfessionalAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        "Professional recorded", "involvements");
}
