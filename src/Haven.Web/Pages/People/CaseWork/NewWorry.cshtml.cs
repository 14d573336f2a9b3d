using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

public sealed class NewWorryModel(RecordAccessService access, CaseWorkService caseWork) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? kind)
    {
        Kind = CaseWorkLists.WorryKinds.IsValid(kind) ? kind : null;
        return await OpenAsync(id, "record case work") ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        var date = ReadDate("RecordedOn", "Date");
        var result = await caseWork.AddWorryAsync(User.UserId(), id, new WorryInput(Kind, Text, date, Source), validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved($"{CaseWorkLists.WorryKinds.LabelFor(Kind)} added");
        }

        ShowErrors(result.Errors, "Kind", "Text", "RecordedOn", "Source");
        return Page();
    }
}
