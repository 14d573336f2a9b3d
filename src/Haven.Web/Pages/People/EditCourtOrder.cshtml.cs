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
    /// <summary>The version of the fact the worker started from (PostgreSQL's xmin).</summary>
    public uint Version { get; set; }

    protected override string Purpose => "correct a court order";

    public async Task<IActionResult> OnGetAsync(Guid id, Guid factId)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        if (await involvements.GetCourtOrderAsync(id, factId, HttpContext.RequestAborted) is not { } current)
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
            if (await involvements.GetCourtOrderAsync(id, factId, HttpContext.RequestAborted) is null)
            {
                return NotFound();
            }

            return Invalid(await involvements.ValidateCourtOrderAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await involvements.UpdateCourtOrderAsync(User.UserId(), id, factId, input, Version, HttpContext.RequestAborted);
        return Corrected(result, input, f => f.ToInput(), f => f.Version, v => Version = v, "Court order corrected", "involvements");
    }
}
