using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Register;

public sealed class OrganisationModel(RegisterService register, HavenDbContext db) : RegisterPageModel(register, db)
{
    public async Task<IActionResult> OnGetAsync(string org) => await LoadOrganisationAsync(org) ?? Page();
}
