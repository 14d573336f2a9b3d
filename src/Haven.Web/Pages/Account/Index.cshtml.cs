using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Web.Infrastructure;

namespace Haven.Web.Pages.Account;

public sealed class AccountIndexModel(HavenDbContext db) : HavenPageModel
{
    public User Me { get; private set; } = new();
    public string? Notice { get; private set; }

    public async Task OnGetAsync()
    {
        Me = (await db.Users.FindAsync(User.UserId()))!;
        Notice = TempData["AccountNotice"] as string;
    }
}
