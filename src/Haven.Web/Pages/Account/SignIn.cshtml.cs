using Haven.Core.Security;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignInModel(AccountService accounts) : HavenPageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Notice { get; private set; }

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect(SafeReturnUrl(ReturnUrl));
        }

        Notice = TempData["SignInNotice"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        AddError("Email", TextInput.CheckEmail(Email));
        if (string.IsNullOrEmpty(Password))
        {
            AddError("Password", "Enter your password");
        }
        else if (Password.Length > PasswordPolicy.MaximumLength)
        {
            AddError("Password", $"Password must be {PasswordPolicy.MaximumLength} characters or fewer");
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var outcome = await accounts.CheckPasswordAsync(Email!, Password!, HttpContext.RequestAborted);
        switch (outcome.Status)
        {
            case SignInStatus.Succeeded:
                await HavenAuthentication.SignInAsync(HttpContext, outcome.User!);
                return Redirect(SafeReturnUrl(ReturnUrl));
            case SignInStatus.RequiresTwoFactor:
                await HavenAuthentication.StartTwoFactorAsync(HttpContext, outcome.User!, "verify");
                return RedirectToPage("/Account/TwoFactor", new { returnUrl = SafeReturnUrl(ReturnUrl) });
            case SignInStatus.RequiresTwoFactorSetup:
                await HavenAuthentication.StartTwoFactorAsync(HttpContext, outcome.User!, "setup");
                return RedirectToPage("/Account/SetUpTwoFactor");
            default:
                AddError("Email", outcome.Error);
                return Page();
        }
    }

    /// <summary>
    /// Only local paths are followed after sign-in, so a link cannot send someone to another site: a return address on Haven itself, or "/". Control characters and whitespace are refused outright: browsers drop
    /// tabs and newlines, so "/\t/evil.example" would otherwise become "//evil.example", another site.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && returnUrl.Length < 500
            && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            ? returnUrl
            : "/";
}
