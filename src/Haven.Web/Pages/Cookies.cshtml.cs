using Haven.Core.Analytics;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Haven.Web.Pages;

/// <summary>The cookies page: every cookie Haven can set, what analytics records, and the visitor's choice.</summary>
[AllowAnonymous]
public sealed class CookiesModel(IOptions<SecurityOptions> security) : HavenPageModel
{
    private const string SavedKey = "CookiesSaved";

    /// <summary>"yes" or "no".</summary>
    [BindProperty]
    public string? Analytics { get; set; }

    /// <summary>The choice in force: true accepted, false rejected, null not chosen (no analytics).</summary>
    public bool? Choice { get; private set; }

    public bool Saved { get; private set; }

    public int RetentionMonths => SiteAnalytics.RetentionMonths;

    public string CookieName(string name) => security.Value.CookieName(name);

    public void OnGet()
    {
        Choice = CookieConsent.AnalyticsChoice(HttpContext);
        Saved = TempData[SavedKey] as string == "yes";
        // Nothing is pre-selected as "yes": with no choice made, the form shows "No", which is what is in force.
        Analytics = Choice == true ? "yes" : "no";
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Analytics is not ("yes" or "no"))
        {
            AddError("Analytics", "Select yes if you want to accept analytics cookies");
            Choice = CookieConsent.AnalyticsChoice(HttpContext);
            return Page();
        }

        await CookieConsent.SaveAsync(HttpContext, Analytics == "yes");
        TempData[SavedKey] = "yes";
        return RedirectToPage();
    }
}
