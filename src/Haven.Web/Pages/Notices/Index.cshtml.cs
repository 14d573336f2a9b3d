using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Authorization;

namespace Haven.Web.Pages.Notices;

[AllowAnonymous]
public sealed class IndexModel(RegisterService register) : HavenPageModel
{
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public async Task OnGetAsync() => Organisations = await register.OrganisationsWithRegisterAsync(HttpContext.RequestAborted);
}
