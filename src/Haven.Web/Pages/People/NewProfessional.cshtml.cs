using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewProfessionalModel(RecordAccessService access, InvolvementService involvements) : PersonFactPageModel(access)
{
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Organisation { get; set; }
    public string? Contact { get; set; }
    public string? InvolvedFromDay { get; set; }
    public string? InvolvedFromMonth { get; set; }
    public string? InvolvedFromYear { get; set; }
    public string? InvolvedToDay { get; set; }
    public string? InvolvedToMonth { get; set; }
    public string? InvolvedToYear { get; set; }
    public string? Source { get; set; }

    protected override string Purpose => "record a professional";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = new ProfessionalInput(Role, Name, Organisation, Contact,
            ParseDate("InvolvedFrom", InvolvedFromDay, InvolvedFromMonth, InvolvedFromYear, "Start date"),
            ParseDate("InvolvedTo", InvolvedToDay, InvolvedToMonth, InvolvedToYear, "End date"),
            Source);
        if (Errors.Count > 0)
        {
            return Invalid(await involvements.ValidateProfessionalAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddProfessionalAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Professional recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
