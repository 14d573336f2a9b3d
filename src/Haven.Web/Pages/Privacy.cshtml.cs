using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages;

public sealed class PrivacyModel(HavenDbContext db) : HavenPageModel
{
    public IReadOnlyList<(string Code, string Name)> Organisations { get; private set; } = [];

    public async Task OnGetAsync() => Organisations = (await db.Organisations.OrderBy(o => o.Name).Select(o => new { o.ShortName, o.Name }).ToListAsync()).Select(o => (o.ShortName, o.Name)).ToList();
}
