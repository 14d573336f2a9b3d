using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewRelationshipModel(RecordAccessService access, FamilyService family) : PersonFactPageModel(access)
{
    public string? RelatedPersonId { get; set; }
    public string? RelationshipType { get; set; }
    public string? ParentalResponsibility { get; set; }
    public string? StartedOnDay { get; set; }
    public string? StartedOnMonth { get; set; }
    public string? StartedOnYear { get; set; }
    public string? EndedOnDay { get; set; }
    public string? EndedOnMonth { get; set; }
    public string? EndedOnYear { get; set; }
    public string? Source { get; set; }

    protected override string Purpose => "record a relationship";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = new RelationshipInput(
            ParseRecordNumber("RelatedPersonId", RelatedPersonId),
            RelationshipType,
            ParentalResponsibility switch { "yes" => true, "no" => false, _ => null },
            ParseDate("StartedOn", StartedOnDay, StartedOnMonth, StartedOnYear, "Start date"),
            ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, "End date"),
            Source);
        if (Errors.Count > 0)
        {
            return Invalid(await family.ValidateRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted));
        }

        var result = await family.AddRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Relationship recorded";
        return Redirect($"/people/{id}#family");
    }
}
