using System.Globalization;
using Haven.Core.Retention;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Retention;

/// <summary>Records whose rule asks for a person's review: approve disposal, or keep longer with a reason.</summary>
public sealed class ReviewsModel(RetentionReviewService reviews) : HavenPageModel
{
    public IReadOnlyList<ReviewItem> Pending { get; private set; } = [];

    [BindProperty] public Guid ReviewId { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? KeepUntil { get; set; }

    public string? Confirmation { get; private set; }

    public async Task OnGetAsync() => Pending = await reviews.PendingAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        DateOnly? keepUntil = null;
        if (Decision is not ("approve" or "keep"))
        {
            AddError($"Decision-{ReviewId}", "Select whether to approve disposal or keep the record");
        }
        else if (Decision == "keep" && !string.IsNullOrWhiteSpace(KeepUntil))
        {
            if (DateOnly.TryParseExact(KeepUntil.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                keepUntil = parsed;
            }
            else
            {
                AddError($"KeepUntil-{ReviewId}", "Enter the date as year-month-day, for example 2030-04-01");
            }
        }

        if (Errors.Count == 0)
        {
            foreach (var (field, message) in await reviews.DecideAsync(User.UserId(), ReviewId, Decision == "approve", Reason, keepUntil, HttpContext.RequestAborted))
            {
                AddError($"{field}-{ReviewId}", message);
            }
        }

        Pending = await reviews.PendingAsync(HttpContext.RequestAborted);
        if (Errors.Count == 0)
        {
            Confirmation = Decision == "approve"
                ? "Disposal approved. The record will be destroyed at the next retention run, unless a legal hold covers it by then."
                : $"The record will be kept until {keepUntil:d MMMM yyyy}.";
        }

        return Page();
    }
}
