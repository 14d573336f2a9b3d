using Haven.Core.Cpis;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Cpis.Clients;

public sealed class IndexModel(CpisService cpis, CpisClientCache cache) : HavenPageModel
{
    public IReadOnlyList<ClientSummary> Clients { get; private set; } = [];

    [TempData]
    public string? Done { get; set; }

    public async Task OnGetAsync() => Clients = await cpis.ClientsAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRevokeAsync(Guid clientId)
    {
        if (await cpis.RevokeAsync(clientId, User.UserId(), HttpContext.RequestAborted))
        {
            cache.Forget(clientId);
            Done = "The credential was revoked. The setting can no longer look children up.";
        }

        return RedirectToPage();
    }
}
