using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

public sealed class NewNoteModel(RecordAccessService access, CaseWorkService caseWork) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? ContactType { get; set; }

    [BindProperty]
    public string? ContactTime { get; set; }

    [BindProperty]
    public string? Participants { get; set; }

    [BindProperty]
    public string? ParticipantRecordNumbers { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id, "record case work") ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        var date = ReadDate("ContactDate", "Date of the contact");
        var input = new NoteInput(ContactType, date, ContactTime, Participants, ParticipantRecordNumbers, Text, Source);
        var result = await caseWork.AddNoteAsync(User.UserId(), id, input, validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved("Case note added");
        }

        ShowErrors(result.Errors, "ContactType", "ContactDate", "ContactTime", "Participants", "ParticipantRecordNumbers", "Text", "Source");
        return Page();
    }
}
