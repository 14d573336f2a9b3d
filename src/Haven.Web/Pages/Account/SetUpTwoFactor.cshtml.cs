using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Account;

/// <summary>
/// Enrols an authenticator app. Reached during sign-in when the role requires two-factor and none is set up,
/// or by a signed-in user who chooses to turn it on.
/// </summary>
[AllowAnonymous]
public sealed class SetUpTwoFactorModel(AccountService accounts) : HavenPageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? PendingKey { get; set; }

    public string GroupedKey { get; private set; } = string.Empty;
    public string SetupUri { get; private set; } = string.Empty;
    public bool Required { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var userId = await CurrentUserIdAsync();
        if (userId is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        var (base32, protectedKey) = accounts.NewEnrolmentKey();
        Show(base32, protectedKey);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = await CurrentUserIdAsync();
        if (userId is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        var error = await accounts.CompleteEnrolmentAsync(userId.Value, PendingKey, Code, signingIn: Required, HttpContext.RequestAborted);
        if (error is not null)
        {
            var base32 = accounts.Base32FromPending(PendingKey);
            if (base32 is null)
            {
                (base32, var fresh) = accounts.NewEnrolmentKey();
                PendingKey = fresh;
            }

            Show(base32, PendingKey!);
            AddError("Code", error);
            return Page();
        }

        var db = HttpContext.RequestServices.GetRequiredService<Haven.Core.Data.HavenDbContext>();
        var user = await db.Users.FindAsync(userId.Value);
        await HttpContext.SignOutAsync(HavenAuthentication.TwoFactorScheme);
        await HavenAuthentication.SignInAsync(HttpContext, user!);
        TempData["AccountNotice"] = "Two-factor sign-in is turned on";
        return Redirect(user!.MustChangePassword ? "/account/change-password" : "/account");
    }

    private async Task<Guid?> CurrentUserIdAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return User.UserId();
        }

        var pending = await HavenAuthentication.PendingTwoFactorAsync(HttpContext);
        Required = pending is { Stage: "setup" };
        return Required ? pending!.Value.UserId : null;
    }

    private void Show(string base32, string protectedKey)
    {
        PendingKey = protectedKey;
        GroupedKey = Totp.Grouped(base32);
        SetupUri = $"otpauth://totp/Haven?secret={base32}&issuer=Haven&digits=6&period=30";
    }
}
