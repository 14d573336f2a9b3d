using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

public sealed class NewServiceModel(RecordAccessService access, CaseWorkService caseWork) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Provider { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id, "record case work") ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        var input = new ServiceInput(Name, Provider, ReadDate("FromDate", "Start date"), ReadDate("ToDate", "End date"), Source);
        var result = await caseWork.AddServiceAsync(User.UserId(), id, input, validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved("Service or event added");
        }

        ShowErrors(result.Errors, "Name", "Provider", "FromDate", "ToDate", "Source");
        return Page();
    }
}
