using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewInvolvementModel(RecordAccessService access, InvolvementService involvements) : PersonFactPageModel(access)
{
    public string? InvolvementType { get; set; }
    public string? StartedOnDay { get; set; }
    public string? StartedOnMonth { get; set; }
    public string? StartedOnYear { get; set; }
    public string? EndedOnDay { get; set; }
    public string? EndedOnMonth { get; set; }
    public string? EndedOnYear { get; set; }
    public string? ReferralSource { get; set; }
    public string? CategoryOfAbuse { get; set; }
    public string? LegalStatus { get; set; }
    public string? AdoptionOrderOnDay { get; set; }
    public string? AdoptionOrderOnMonth { get; set; }
    public string? AdoptionOrderOnYear { get; set; }
    public string? Details { get; set; }
    public string? Source { get; set; }

    protected override string Purpose => "record an involvement";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = new InvolvementInput(InvolvementType,
            ParseDate("StartedOn", StartedOnDay, StartedOnMonth, StartedOnYear, "Start date"),
            ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, "End date"),
            ReferralSource, CategoryOfAbuse, LegalStatus,
            InvolvementType == "adoption" ? ParseDate("AdoptionOrderOn", AdoptionOrderOnDay, AdoptionOrderOnMonth, AdoptionOrderOnYear, "Adoption order date") : null,
            Details, Source);
        if (Errors.Count > 0)
        {
            return Invalid(await involvements.ValidateInvolvementAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddInvolvementAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Involvement recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
