using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewRelationshipModel(RecordAccessService access, FamilyService family) : RelationshipFormModel(access)
{
    protected override string Purpose => "record a relationship";

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid id) => SaveNewAsync(id,
        input => family.ValidateRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        input => family.AddRelationshipAsync(User.UserId(), id, input, HttpContext.RequestAborted),
        "Relationship recorded", "family");
}
