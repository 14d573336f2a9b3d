using Haven.Core.Audit;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignOutModel(AuditWriter audit) : HavenPageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/signed-out");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.SignedOut), HttpContext.RequestAborted);
        }

        await HttpContext.SignOutAsync(HavenAuthentication.Scheme);
        await HttpContext.SignOutAsync(HavenAuthentication.TwoFactorScheme);
        return Redirect("/signed-out");
    }
}
