using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>Corrects a relationship on this person's record, onto the version the worker started from.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class EditRelationshipModel(RecordAccessService access, FamilyService family) : RelationshipFormModel(access)
{
    /// <summary>The version of the fact the worker started from (PostgreSQL's xmin).</summary>
    public uint Version { get; set; }

    protected override string Purpose => "correct a relationship";

    public async Task<IActionResult> OnGetAsync(Guid id, Guid factId)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        if (await family.GetRelationshipAsync(User.UserId(), id, factId, HttpContext.RequestAborted) is not { } current)
        {
            return NotFound();
        }

        Fill(current.ToInput());
        Version = current.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid factId)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var input = ReadInput();
        if (Errors.Count > 0)
        {
            // A date or record number could not be read: show every problem, unless the fact is not on this record.
            if (await family.GetRelationshipAsync(User.UserId(), id, factId, HttpContext.RequestAborted) is null)
            {
                return NotFound();
            }

            return Invalid(await family.ValidateRelationshipAsync(User.UserId(), id, input, factId, HttpContext.RequestAborted));
        }

        var result = await family.UpdateRelationshipAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted);
        return Corrected(result, input, f => f.ToInput(), f => f.Version, v => Version = v, "Relationship corrected", "family");
    }
}
