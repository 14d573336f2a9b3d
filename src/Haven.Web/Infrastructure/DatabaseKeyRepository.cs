using System.Xml.Linq;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Infrastructure;

/// <summary>
/// Keeps the data-protection key ring (cookies, antiforgery, stored authenticator keys) in PostgreSQL,
/// so every Haven instance behind a load balancer shares it and no instance depends on its own disk.
/// </summary>
public sealed class DatabaseKeyRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HavenDbContext>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HavenDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = DateTimeOffset.UtcNow });
        db.SaveChanges();
    }
}
