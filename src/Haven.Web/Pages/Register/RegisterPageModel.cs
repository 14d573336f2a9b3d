using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Register;

/// <summary>
/// Base for the register pages: finds the organisation from the route and the register in force. Registers are
/// published information, so anyone with register.view may read every organisation's; only a DPO of the
/// organisation itself may change it.
/// </summary>
public abstract class RegisterPageModel(RegisterService register, HavenDbContext db) : HavenPageModel
{
    protected RegisterService RegisterService => register;
    protected HavenDbContext Db => db;

    public Organisation Organisation { get; private set; } = null!;
    public LoadedRegister? Current { get; private set; }
    public bool CanManage { get; private set; }

    /// <summary>Loads the organisation and its register; a not-found result when there is no such organisation.</summary>
    protected async Task<IActionResult?> LoadOrganisationAsync(string org)
    {
        var organisation = await register.OrganisationByCodeAsync(org, HttpContext.RequestAborted);
        if (organisation is null)
        {
            return NotFound();
        }

        Organisation = organisation;
        Current = await register.InForceAsync(organisation.Id, cancellationToken: HttpContext.RequestAborted);
        CanManage = await CanManageAsync(organisation.Id);
        return null;
    }

    protected async Task<bool> CanManageAsync(Guid organisationId)
    {
        if (!User.Can(Permissions.ManageRegister))
        {
            return false;
        }

        var userId = User.UserId();
        return await db.Users.AnyAsync(u => u.Id == userId && u.OrganisationId == organisationId, HttpContext.RequestAborted);
    }
}
