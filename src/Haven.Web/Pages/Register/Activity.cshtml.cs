using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Register;

public sealed class ActivityModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public ServiceEntry Service { get; private set; } = null!;
    public ActivityEntry Activity { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string org, string service, string activity)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        var entry = Current?.Document.Service(service);
        var found = entry?.Activities.FirstOrDefault(a => a.Code == activity);
        if (entry is null || found is null)
        {
            return NotFound();
        }

        (Service, Activity) = (entry, found);
        return Page();
    }
}
