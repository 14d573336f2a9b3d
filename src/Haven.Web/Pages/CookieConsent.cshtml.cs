using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages;

/// <summary>
/// The cookie banner's "Accept analytics cookies" and "Reject analytics cookies" buttons: a form post (with the
/// antiforgery token, like every Haven form), so the banner works without JavaScript. Saves the choice and goes back
/// to the page the visitor was on, where the banner confirms the choice.
/// </summary>
[AllowAnonymous]
public sealed class CookieConsentModel : HavenPageModel
{
    /// <summary>"yes" or "no".</summary>
    [BindProperty]
    public string? Analytics { get; set; }

    /// <summary>The page the banner was on. Only a path on this site is followed.</summary>
    [BindProperty]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => Redirect("/cookies");

    public async Task<IActionResult> OnPostAsync()
    {
        var back = LocalPath(ReturnUrl);
        if (Analytics is not ("yes" or "no"))
        {
            return Redirect("/cookies");
        }

        await CookieConsent.SaveAsync(HttpContext, Analytics == "yes");
        TempData[CookieConsent.BannerMessageKey] = Analytics == "yes" ? "accepted" : "rejected";
        return Redirect(back);
    }

    /// <summary>
    /// The return address if it is a path on this site, otherwise "/". Refuses other sites ("https://…", "//host",
    /// "/\host") and control characters, which browsers strip (so "/\t/host" would become "//host").
    /// </summary>
    public static string LocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 1000 && url[0] == '/'
            && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(c => char.IsControl(c) || c == '\\')
            && Uri.TryCreate(url, UriKind.Relative, out _)
            ? url
            : "/";
}
