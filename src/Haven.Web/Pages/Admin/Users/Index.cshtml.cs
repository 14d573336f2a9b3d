using Haven.Core.Security;

namespace Haven.Web.Pages.Admin.Users;

public sealed class UsersIndexModel(UserAdminService users) : HavenPageModel
{
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    public async Task OnGetAsync() => Users = await users.ListAsync(HttpContext.RequestAborted);
}
