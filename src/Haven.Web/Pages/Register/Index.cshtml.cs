using Haven.Core.Data;
using Haven.Core.Privacy;

namespace Haven.Web.Pages.Register;

public sealed class IndexModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public IReadOnlyList<(Haven.Core.Data.Entities.Organisation Organisation, LoadedRegister? Register)> Registers { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var list = new List<(Haven.Core.Data.Entities.Organisation, LoadedRegister?)>();
        foreach (var organisation in await RegisterService.OrganisationsWithRegisterAsync(HttpContext.RequestAborted))
        {
            list.Add((organisation, await RegisterService.InForceAsync(organisation.Id, cancellationToken: HttpContext.RequestAborted)));
        }

        Registers = list;
    }
}
