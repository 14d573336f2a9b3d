using Haven.Core.Data;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Account;

public sealed class ChangePasswordModel(AccountService accounts, HavenDbContext db) : HavenPageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool MustChange => User.HasClaim(HavenAuthentication.MustChangePasswordClaim, "true");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var error = await accounts.ChangePasswordAsync(User.UserId(), CurrentPassword, NewPassword, HttpContext.RequestAborted);
        if (error is not null)
        {
            AddError(error.StartsWith("Your current", StringComparison.Ordinal) ? "CurrentPassword" : "NewPassword", error);
            return Page();
        }

        var user = await db.Users.FindAsync(User.UserId());
        await HavenAuthentication.SignInAsync(HttpContext, user!);
        TempData["AccountNotice"] = "Your password has been changed";
        return Redirect("/account");
    }
}
