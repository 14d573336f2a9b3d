using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Register;

public sealed class ConformanceModel(RegisterService register, HavenDbContext db, ConformanceService conformance, IReadOnlyList<CollectionPoint> points)
    : RegisterPageModel(register, db)
{
    public Conformance? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(string org)
    {
        if (await LoadOrganisationAsync(org) is { } notFound)
        {
            return notFound;
        }

        Report = await conformance.BuildAsync(Organisation.Id, points, HttpContext.RequestAborted);
        return Page();
    }
}
