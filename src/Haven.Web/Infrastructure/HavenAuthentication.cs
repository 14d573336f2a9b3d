using System.Security.Claims;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Web.Infrastructure;

public static class HavenAuthentication
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Holds who has passed the password step while they complete two-factor sign-in (5 minutes).</summary>
    public const string TwoFactorScheme = "Haven.TwoFactor";

    public const string StampClaim = "haven:stamp";
    public const string MustChangePasswordClaim = "haven:must_change_password";
    public const string TwoFactorStageClaim = "haven:2fa_stage";

    public static void AddHavenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddCookie(Scheme, options =>
            {
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.Path = "/";
                options.LoginPath = "/sign-in";
                options.LogoutPath = "/sign-out";
                options.AccessDeniedPath = "/error/403";
                options.SlidingExpiration = false;
                options.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidatePrincipalAsync,
                    OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                };
            })
            .AddCookie(TwoFactorScheme, options =>
            {
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.Path = "/";
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                options.SlidingExpiration = false;
            });

        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<SecurityOptions>>((cookie, security) =>
        {
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(security.Value.IdleTimeoutMinutes);
            cookie.Cookie.Name = security.Value.CookieName("Haven");
            cookie.Cookie.SecurePolicy = security.Value.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        services.AddOptions<CookieAuthenticationOptions>(TwoFactorScheme).Configure<IOptions<SecurityOptions>>((cookie, security) =>
        {
            cookie.Cookie.Name = security.Value.CookieName("Haven-2fa");
            cookie.Cookie.SecurePolicy = security.Value.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/session/keep-alive"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        // Only the path goes into the return address: never a query string that might carry personal data.
        var returnUrl = context.Request.PathBase + context.Request.Path;
        context.Response.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Checks the account on every request, so a disabled account or a reset password ends sessions at once,
    /// and renews the cookie so the idle timeout counts from the latest request.
    /// </summary>
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            context.RejectPrincipal();
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<HavenDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisabledAt, u.SecurityStamp }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (user is null || user.DisabledAt is not null || user.SecurityStamp != principal!.FindFirstValue(StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.ShouldRenew = true;
    }

    public static ClaimsPrincipal PrincipalFor(User user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(StampClaim, user.SecurityStamp),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (user.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePasswordClaim, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static Task SignInAsync(HttpContext context, User user) =>
        context.SignInAsync(Scheme, PrincipalFor(user), new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });

    public static Task StartTwoFactorAsync(HttpContext context, User user, string stage) =>
        context.SignInAsync(TwoFactorScheme, new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(TwoFactorStageClaim, stage),
        ], TwoFactorScheme)));

    public static async Task<(Guid UserId, string Stage)?> PendingTwoFactorAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(TwoFactorScheme);
        if (!result.Succeeded || !Guid.TryParse(result.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }

        return (id, result.Principal.FindFirstValue(TwoFactorStageClaim) ?? "verify");
    }

    public static Guid UserId(this ClaimsPrincipal principal) => Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public static IReadOnlyList<string> Roles(this ClaimsPrincipal principal) => principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();

    public static bool Can(this ClaimsPrincipal principal, string permission) => Permissions.Grants(principal.Roles(), permission);
}
