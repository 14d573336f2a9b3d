using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

public sealed class NewPlanModel(RecordAccessService access, CaseWorkService caseWork) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? PlanType { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await OpenAsync(id, "record case work") ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        var input = new PlanInput(PlanType, ReadDate("StartedOn", "Start date"), ReadDate("CompletedOn", "Completion date"), ReadDate("ReviewOn", "Review date"), Outcome, Source);
        var result = await caseWork.AddPlanAsync(User.UserId(), id, input, validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved("Assessment or plan added");
        }

        ShowErrors(result.Errors, "PlanType", "StartedOn", "CompletedOn", "ReviewOn", "Outcome", "Source");
        return Page();
    }
}
