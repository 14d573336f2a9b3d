using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>Records that this person lived in a household from a date. A move ends the household they lived in before.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewHouseholdMemberModel(RecordAccessService access, FamilyService family) : PersonFactPageModel(access)
{
    public string? HouseholdId { get; set; }
    public string? NewHouseholdLabel { get; set; }
    public string? LivedFromDay { get; set; }
    public string? LivedFromMonth { get; set; }
    public string? LivedFromYear { get; set; }
    public string? LivedToDay { get; set; }
    public string? LivedToMonth { get; set; }
    public string? LivedToYear { get; set; }
    public string? Source { get; set; }

    [BindNever]
    public IReadOnlyList<(string Code, string Label)> Households { get; private set; } = [];

    protected override string Purpose => "record household membership";

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        await LoadChoicesAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        await LoadChoicesAsync(id);
        Guid? householdId = null;
        if (!string.IsNullOrEmpty(HouseholdId))
        {
            if (Guid.TryParse(HouseholdId, out var parsed))
            {
                householdId = parsed;
            }
            else
            {
                AddError("HouseholdId", "Select a household from the list");
            }
        }

        var input = new HouseholdMembershipInput(householdId, NewHouseholdLabel,
            ParseDate("LivedFrom", LivedFromDay, LivedFromMonth, LivedFromYear, "Date moved in"),
            ParseDate("LivedTo", LivedToDay, LivedToMonth, LivedToYear, "Date moved out"),
            Source);
        if (Errors.Count > 0)
        {
            return Invalid(await family.ValidateMembershipAsync(id, input, HttpContext.RequestAborted));
        }

        var result = await family.AddMembershipAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Household recorded";
        return Redirect($"/people/{id}#family");
    }

    private async Task LoadChoicesAsync(Guid id) =>
        Households = (await family.HouseholdChoicesAsync(id, HttpContext.RequestAborted)).Select(h => (h.Id.ToString(), h.Label)).ToList();
}
