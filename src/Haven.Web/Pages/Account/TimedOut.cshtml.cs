using Haven.Core.Audit;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Haven.Web.Pages.Account;

[AllowAnonymous]
public sealed class TimedOutModel(AuditWriter audit, IOptions<SecurityOptions> options) : HavenPageModel
{
    public string Inactivity => options.Value.IdleTimeoutMinutes == 1 ? "1 minute" : $"{options.Value.IdleTimeoutMinutes} minutes";

    public async Task OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.SessionTimedOut), HttpContext.RequestAborted);
        }

        // Remove the cookie even when the server has already stopped accepting it.
        await HttpContext.SignOutAsync(HavenAuthentication.Scheme);
    }
}
