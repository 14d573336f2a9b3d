using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewCourtOrderModel(RecordAccessService access, InvolvementService involvements) : PersonFactPageModel(access)
{
    public string? OrderType { get; set; }
    public string? Court { get; set; }
    public string? MadeOnDay { get; set; }
    public string? MadeOnMonth { get; set; }
    public string? MadeOnYear { get; set; }
    public string? EndsOnDay { get; set; }
    public string? EndsOnMonth { get; set; }
    public string? EndsOnYear { get; set; }
    public string? Source { get; set; }

    protected override string Purpose => "record a court order";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = new CourtOrderInput(OrderType, Court,
            ParseDate("MadeOn", MadeOnDay, MadeOnMonth, MadeOnYear, "Date the order was made"),
            ParseDate("EndsOn", EndsOnDay, EndsOnMonth, EndsOnYear, "End date"),
            Source);
        if (Errors.Count > 0)
        {
            return Invalid(await involvements.ValidateCourtOrderAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.AddCourtOrderAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Court order recorded";
        return Redirect($"/people/{id}#involvements");
    }
}
