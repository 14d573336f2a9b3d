using System.Data.Common;
using Haven.Core.Analytics;
using Haven.Core.Security;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Web.Infrastructure;

/// <summary>
/// The visitor's cookie choice. Only essential cookies are set until the visitor accepts analytics cookies: the
/// choice itself is kept in the essential <c>Haven-Cookie-Policy</c> cookie, and only after "yes" does Haven set the
/// <c>Haven-Analytics</c> cookie with a random visitor id. No choice, or "no", means no analytics.
/// </summary>
public static class CookieConsent
{
    /// <summary>Remembers the visitor's choice: <c>analytics=yes</c> or <c>analytics=no</c>. Essential.</summary>
    public const string PolicyCookie = "Haven-Cookie-Policy";

    /// <summary>A random id (128 bits) so that analytics can count visitors. Optional: set only after opt-in.</summary>
    public const string AnalyticsCookie = "Haven-Analytics";

    public const string Accepted = "analytics=yes";
    public const string Rejected = "analytics=no";

    /// <summary>Both cookies last a year; then the banner asks again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>The key in TempData that carries the banner's confirmation message ("accepted" or "rejected") to the next page.</summary>
    public const string BannerMessageKey = "CookieBannerChoice";

    /// <summary>True when the visitor accepted analytics cookies, false when they refused, null when they have not chosen.</summary>
    public static bool? AnalyticsChoice(HttpContext http) =>
        http.Request.Cookies[Security(http).CookieName(PolicyCookie)] switch
        {
            Accepted => true,
            Rejected => false,
            _ => null,
        };

    /// <summary>
    /// Saves the visitor's choice. Accepting sets the analytics cookie with a new random id (or keeps a valid one).
    /// Refusing deletes the analytics cookie and everything recorded against its id.
    /// </summary>
    public static async Task SaveAsync(HttpContext http, bool analytics)
    {
        var security = Security(http);
        http.Response.Cookies.Append(security.CookieName(PolicyCookie), analytics ? Accepted : Rejected, Options(http, security, Lifetime));
        var analyticsCookie = security.CookieName(AnalyticsCookie);
        var visitor = http.Request.Cookies[analyticsCookie];
        if (analytics)
        {
            if (!SiteAnalytics.IsVisitorId(visitor))
            {
                http.Response.Cookies.Append(analyticsCookie, SiteAnalytics.NewVisitorId(), Options(http, security, Lifetime));
            }

            return;
        }

        if (visitor is not null)
        {
            await http.RequestServices.GetRequiredService<SiteAnalytics>().ForgetVisitorAsync(visitor, http.RequestAborted);
            http.Response.Cookies.Delete(analyticsCookie, Options(http, security, null));
        }
    }

    /// <summary>
    /// For a page about to be shown: records a view of a public page when the visitor has accepted analytics cookies,
    /// and removes an analytics cookie left behind when they have not.
    /// </summary>
    public static async Task RecordPageViewAsync(HttpContext http, SiteAnalytics analytics)
    {
        var security = Security(http);
        var analyticsCookie = security.CookieName(AnalyticsCookie);
        var visitor = http.Request.Cookies[analyticsCookie];
        if (AnalyticsChoice(http) != true)
        {
            if (visitor is not null)
            {
                http.Response.Cookies.Delete(analyticsCookie, Options(http, security, null));
            }

            return;
        }

        if (!HttpMethods.IsGet(http.Request.Method) || http.Response.StatusCode != StatusCodes.Status200OK
            || SiteAnalytics.PublicPath(http.Request.Path.Value) is null)
        {
            return;
        }

        if (!SiteAnalytics.IsVisitorId(visitor))
        {
            // Accepted, but the cookie has gone or been tampered with: start a new random id.
            visitor = SiteAnalytics.NewVisitorId();
            http.Response.Cookies.Append(analyticsCookie, visitor, Options(http, security, Lifetime));
        }

        // Only the path: a query string might carry something personal, so it is never recorded.
        await analytics.RecordAsync(http.Request.Path.Value!, visitor, http.RequestAborted);
    }

    /// <summary>HttpOnly (no script reads them), Secure whenever Haven requires HTTPS, SameSite=Lax, whole site.</summary>
    private static CookieOptions Options(HttpContext http, SecurityOptions security, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = security.RequireHttps || http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
        MaxAge = maxAge,
    };

    private static SecurityOptions Security(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
}

/// <summary>
/// Runs just before a Razor page is rendered (so the cookie can still be set): records the view for visitors who
/// accepted analytics cookies. A failure to record is logged and never stops the page.
/// </summary>
public sealed class SiteAnalyticsFilter(SiteAnalytics analytics, ILogger<SiteAnalyticsFilter> logger) : IAsyncResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is PageResult)
        {
            try
            {
                await CookieConsent.RecordPageViewAsync(context.HttpContext, analytics);
            }
            catch (Exception exception) when (exception is DbException or DbUpdateException)
            {
                logger.LogWarning("Could not record a page view for analytics: {Error}", exception.GetType().Name);
            }
        }

        await next();
    }
}
