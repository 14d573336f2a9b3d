using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

/// <summary>Every case note and contact for a person, in full, newest first.</summary>
public sealed class NotesModel(RecordAccessService access, CaseWorkService caseWork) : HavenPageModel
{
    public Guid PersonId { get; private set; }
    public string PersonName { get; private set; } = string.Empty;
    public CaseWorkView? Work { get; private set; }
    public bool CanRecord => User.Can(Permissions.RecordPeople);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "read case notes", HttpContext.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return NotFound();
        }

        if (!decision.Allowed)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        PersonId = id;
        PersonName = person!.FullName;
        Work = await caseWork.GetAsync(id, HttpContext.RequestAborted);
        return Page();
    }
}
