using Haven.Core.Cpis;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Cpis;

public sealed class NotificationsModel(CpisService cpis) : HavenPageModel
{
    public IReadOnlyList<InboxItem> Items { get; private set; } = [];

    public async Task OnGetAsync() => Items = await cpis.InboxAsync(User.UserId(), cancellationToken: HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostReadAsync(Guid id)
    {
        await cpis.MarkReadAsync(User.UserId(), id, HttpContext.RequestAborted);
        return RedirectToPage();
    }
}
