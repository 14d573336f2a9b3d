using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages;

public sealed class PrivacyModel(HavenDbContext db) : HavenPageModel
{
    public IReadOnlyList<string> Organisations { get; private set; } = [];

    public async Task OnGetAsync() => Organisations = await db.Organisations.OrderBy(o => o.Name).Select(o => o.Name).ToListAsync();
}
