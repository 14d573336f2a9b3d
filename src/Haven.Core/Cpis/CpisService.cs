using System.Text.Json;
using System.Text.RegularExpressions;
using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Cpis;

public sealed record ClientInput(string? Name, string? SettingType, string? OdsCode, string? RateLimitPerMinute, IReadOnlyList<string>? Scopes);

public sealed record RegisteredClient(Guid Id, string Token);

public sealed record ClientSummary(Guid Id, string Name, string SettingType, string OdsCode, IReadOnlyList<string> Scopes, int RateLimitPerMinute,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record AuthorityInput(string? DisplayName, string? OfficeHoursPhone, string? EmergencyDutyPhone);

public sealed record InboxItem(Guid Id, string Kind, Guid PersonId, string PersonName, DateTimeOffset At, string SettingName, string SettingType,
    string OdsCode, string? ClinicianRole, string? Concern, bool Read);

/// <summary>
/// CP-IS administration (clients and the authority's contacts), concerns sent back by clinicians, and the responsible
/// team's inbox of access notifications and concerns.
/// </summary>
public sealed partial class CpisService(HavenDbContext db, AuditWriter audit, TimeProvider clock)
{
    public const int MaxConcernLength = 4000;
    public const int MaxClinicianRoleLength = 100;

    // ---- Clients ----

    public async Task<(Dictionary<string, string> Errors, RegisteredClient? Client)> RegisterAsync(ClientInput input, Guid userId, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors["Name"] = "Enter the name of the setting";
        }
        else if (name.Length > 200)
        {
            errors["Name"] = "Name must be 200 characters or fewer";
        }

        if (input.SettingType is null || !CpisCodes.SettingTypes.ContainsKey(input.SettingType))
        {
            errors["SettingType"] = "Select the type of setting";
        }

        var ods = input.OdsCode?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!OdsPattern().IsMatch(ods))
        {
            errors["OdsCode"] = ods.Length == 0 ? "Enter the ODS code" : "ODS code must be 3 to 10 letters and numbers, like RAX01";
        }

        if (!int.TryParse(input.RateLimitPerMinute?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            || limit < 1 || limit > 1_000_000)
        {
            errors["RateLimitPerMinute"] = "Enter the most lookups a minute as a whole number from 1 to 1,000,000";
        }

        var scopes = (input.Scopes ?? []).Where(CpisCodes.Scopes.Contains).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (scopes.Length == 0)
        {
            errors["Scopes"] = "Select what the setting may do";
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var (secret, hash) = CpisCredentials.NewSecret();
        var client = new CpisClient
        {
            Id = Guid.NewGuid(),
            Name = name,
            SettingType = input.SettingType!,
            OdsCode = ods,
            Scopes = scopes,
            RateLimitPerMinute = limit,
            SecretHash = hash,
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = userId,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CpisCodes.ClientRegisteredAction, Details: Json(new { client = client.Id, name, setting = client.SettingType, ods, scopes, limit })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (errors, new RegisteredClient(client.Id, CpisCredentials.Token(client.Id, secret)));
    }

    public async Task<IReadOnlyList<ClientSummary>> ClientsAsync(CancellationToken cancellationToken = default) =>
        await db.Set<CpisClient>().AsNoTracking().OrderBy(c => c.RevokedAt != null).ThenBy(c => c.Name)
            .Select(c => new ClientSummary(c.Id, c.Name, c.SettingType, c.OdsCode, c.Scopes, c.RateLimitPerMinute, c.CreatedAt, c.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Revokes a client's credential. Takes effect at once on this instance and within seconds on others.</summary>
    public async Task<bool> RevokeAsync(Guid clientId, Guid userId, CancellationToken cancellationToken = default)
    {
        var client = await db.Set<CpisClient>().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null || client.RevokedAt is not null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        client.RevokedAt = clock.GetUtcNow();
        client.RevokedByUserId = userId;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CpisCodes.ClientRevokedAction, Details: Json(new { client = client.Id, name = client.Name })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    // ---- The responsible authority's contacts ----

    public async Task<(Organisation Organisation, CpisAuthority? Authority)> AuthorityAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, cancellationToken);
        return (organisation, await db.Set<CpisAuthority>().AsNoTracking().SingleOrDefaultAsync(a => a.OrganisationId == organisationId, cancellationToken));
    }

    public async Task<Dictionary<string, string>> SaveAuthorityAsync(Guid userId, AuthorityInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = input.DisplayName?.Trim() ?? string.Empty;
        var office = input.OfficeHoursPhone?.Trim() ?? string.Empty;
        var emergency = input.EmergencyDutyPhone?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 200)
        {
            errors["DisplayName"] = name.Length == 0 ? "Enter the name clinicians should see" : "Name must be 200 characters or fewer";
        }

        if (!PhonePattern().IsMatch(office))
        {
            errors["OfficeHoursPhone"] = office.Length == 0 ? "Enter the office-hours phone number" : "Enter a phone number, like 020 8547 5008";
        }

        if (!PhonePattern().IsMatch(emergency))
        {
            errors["EmergencyDutyPhone"] = emergency.Length == 0 ? "Enter the emergency duty team's phone number" : "Enter a phone number, like 020 8770 5000";
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var authority = await db.Set<CpisAuthority>().SingleOrDefaultAsync(a => a.OrganisationId == organisationId, cancellationToken);
        if (authority is null)
        {
            authority = new CpisAuthority { OrganisationId = organisationId };
            db.Add(authority);
        }

        authority.DisplayName = name;
        authority.OfficeHoursPhone = office;
        authority.EmergencyDutyPhone = emergency;
        authority.UpdatedAt = clock.GetUtcNow();
        authority.UpdatedByUserId = userId;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CpisCodes.AuthorityChangedAction, Details: Json(new { organisation = organisationId, name, office, emergency })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }

    // ---- Concerns sent back by clinicians ----

    /// <summary>
    /// Records a concern about a child the same client looked up (the lookup id from its answer, and the same NHS
    /// number). Null when there is no such lookup of a listed child by this client: the caller answers "not found".
    /// </summary>
    public async Task<Guid?> SendConcernAsync(Guid clientId, Guid lookupId, string nhsNumber, string? clinicianRole, string concern, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var people = await db.Set<CpisAccess>().Where(a => a.LookupId == lookupId && a.ClientId == clientId && a.PersonId != null)
            .Select(a => a.PersonId!.Value).ToListAsync(cancellationToken);
        if (people.Count == 0)
        {
            return null;
        }

        // The number must be the one looked up: the child's own, or the mother's for an unborn child.
        var person = await db.People.AsNoTracking().Where(p => people.Contains(p.Id))
            .Where(p => p.NhsNumber == nhsNumber || db.People.Any(m => m.Id == p.MotherId && m.NhsNumber == nhsNumber))
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return null;
        }

        var row = new CpisConcern
        {
            Id = Guid.NewGuid(),
            LookupId = lookupId,
            PersonId = person.Value,
            ClientId = clientId,
            ClinicianRole = clinicianRole,
            Concern = concern,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CpisCodes.ConcernAction, [person.Value], Details: Json(new { concern = row.Id, lookup = lookupId, client = clientId })), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row.Id;
    }

    // ---- The responsible team's inbox ----

    /// <summary>
    /// People whose CP-IS notifications a user receives: those owned by the user's team, those the user holds a current
    /// allocation or grant for, and, for the Data Protection Officer, everyone in their organisation.
    /// </summary>
    private async Task<IQueryable<Person>> ResponsibleForAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var now = clock.GetUtcNow();
        var dpo = user.Roles.Contains(Roles.DataProtectionOfficer);
        return db.People.Where(p => (user.TeamId != null && p.OwningTeamId == user.TeamId)
            || (dpo && p.OrganisationId == user.OrganisationId)
            || db.RecordAccessGrants.Any(g => g.PersonId == p.Id && g.UserId == userId && g.Basis == RecordAccessService.BasisAllocatedWorker
                && g.StartsAt <= now && (g.EndsAt == null || g.EndsAt > now)));
    }

    public async Task<IReadOnlyList<InboxItem>> InboxAsync(Guid userId, int take = 200, CancellationToken cancellationToken = default)
    {
        var people = await ResponsibleForAsync(userId, cancellationToken);
        var accesses = await (from a in db.Set<CpisAccess>()
                              join p in people on a.PersonId equals p.Id
                              join c in db.Set<CpisClient>() on a.ClientId equals c.Id
                              orderby a.OccurredAt descending
                              select new InboxItem(a.Id, "access", p.Id, p.GivenName + " " + p.FamilyName, a.OccurredAt, c.Name, c.SettingType, c.OdsCode,
                                  a.ClinicianRole, null, a.ReadAt != null)).Take(take).ToListAsync(cancellationToken);
        var concerns = await (from x in db.Set<CpisConcern>()
                              join p in people on x.PersonId equals p.Id
                              join c in db.Set<CpisClient>() on x.ClientId equals c.Id
                              orderby x.CreatedAt descending
                              select new InboxItem(x.Id, "concern", p.Id, p.GivenName + " " + p.FamilyName, x.CreatedAt, c.Name, c.SettingType, c.OdsCode,
                                  x.ClinicianRole, x.Concern, x.ReadAt != null)).Take(take).ToListAsync(cancellationToken);
        var items = accesses.Concat(concerns).OrderByDescending(i => i.At).ToList();
        await audit.RecordAsync(new AuditEntry(CpisCodes.NotificationsViewedAction, items.Select(i => i.PersonId).Distinct().ToList()), cancellationToken);
        return items;
    }

    public async Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var people = await ResponsibleForAsync(userId, cancellationToken);
        return await db.Set<CpisAccess>().CountAsync(a => a.ReadAt == null && people.Any(p => p.Id == a.PersonId), cancellationToken)
            + await db.Set<CpisConcern>().CountAsync(c => c.ReadAt == null && people.Any(p => p.Id == c.PersonId), cancellationToken);
    }

    /// <summary>Marks a notification or concern as read, if it is one the user receives.</summary>
    public async Task<bool> MarkReadAsync(Guid userId, Guid id, CancellationToken cancellationToken = default)
    {
        var people = await ResponsibleForAsync(userId, cancellationToken);
        var now = clock.GetUtcNow();
        var changed = await db.Set<CpisAccess>().Where(a => a.Id == id && a.ReadAt == null && people.Any(p => p.Id == a.PersonId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReadAt, now).SetProperty(a => a.ReadByUserId, userId), cancellationToken);
        changed += await db.Set<CpisConcern>().Where(c => c.Id == id && c.ReadAt == null && people.Any(p => p.Id == c.PersonId))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReadAt, now).SetProperty(c => c.ReadByUserId, userId), cancellationToken);
        return changed > 0;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    [GeneratedRegex("^[A-Z0-9]{3,10}$")]
    private static partial Regex OdsPattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()-]{5,38}$")]
    private static partial Regex PhonePattern();
}
