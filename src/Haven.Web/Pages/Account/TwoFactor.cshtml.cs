using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Account;

[AllowAnonymous]
public sealed class TwoFactorModel(AccountService accounts) : HavenPageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await HavenAuthentication.PendingTwoFactorAsync(HttpContext) is { Stage: "verify" } ? Page() : RedirectToPage("/Account/SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await HavenAuthentication.PendingTwoFactorAsync(HttpContext) is not { Stage: "verify" } pending)
        {
            return RedirectToPage("/Account/SignIn");
        }

        var outcome = await accounts.VerifyTwoFactorAsync(pending.UserId, Code, HttpContext.RequestAborted);
        switch (outcome.Status)
        {
            case SignInStatus.Succeeded:
                await HttpContext.SignOutAsync(HavenAuthentication.TwoFactorScheme);
                await HavenAuthentication.SignInAsync(HttpContext, outcome.User!);
                return Redirect(SignInModel.SafeReturnUrl(ReturnUrl));
            case SignInStatus.LockedOut:
            case SignInStatus.Failed:
                await HttpContext.SignOutAsync(HavenAuthentication.TwoFactorScheme);
                TempData["SignInNotice"] = outcome.Error;
                return RedirectToPage("/Account/SignIn");
            default:
                AddError("Code", outcome.Error);
                return Page();
        }
    }
}
