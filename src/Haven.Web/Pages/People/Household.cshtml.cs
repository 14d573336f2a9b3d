using System.Globalization;
using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>
/// Who lived in this person's household on a date. The date comes in the query string (a date alone is not personal
/// data): either date=yyyy-mm-dd or the GOV.UK date input's DateDay, DateMonth and DateYear.
/// </summary>
public sealed class HouseholdModel(RecordAccessService access, FamilyService family, TimeProvider clock) : PersonFactPageModel(access)
{
    [BindProperty(SupportsGet = true, Name = "date")]
    public string? IsoDate { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DateDay { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DateMonth { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DateYear { get; set; }

    [BindNever]
    public DateOnly? On { get; private set; }

    [BindNever]
    public IReadOnlyList<HouseholdOnDate> Households { get; private set; } = [];

    protected override string Purpose => "household on a date";

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        if (!string.IsNullOrWhiteSpace(IsoDate))
        {
            if (DateOnly.TryParseExact(IsoDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
            {
                On = iso;
            }
            else
            {
                AddError("Date", "Date must be a real date");
            }
        }
        else if (!string.IsNullOrWhiteSpace(DateDay) || !string.IsNullOrWhiteSpace(DateMonth) || !string.IsNullOrWhiteSpace(DateYear))
        {
            On = ParseDate("Date", DateDay, DateMonth, DateYear, "Date");
        }
        else
        {
            On = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        }

        if (On is { } date)
        {
            (DateDay, DateMonth, DateYear) = (DateInput.Part(date, 'd'), DateInput.Part(date, 'm'), DateInput.Part(date, 'y'));
            Households = await family.HouseholdOnAsync(User.UserId(), id, date, HttpContext.RequestAborted);
        }

        return Page();
    }
}
