using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Sharing;

public sealed class PartnerInput
{
    public string? Name { get; set; }
    public string? PartnerType { get; set; }
    public string? Contact { get; set; }
    public string? Address { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Identifier { get; set; }
    public IReadOnlyList<string> RecipientCodes { get; set; } = [];
}

public sealed class AgreementInput
{
    public string? Title { get; set; }
    public IReadOnlyList<Guid> PartnerIds { get; set; } = [];
    public IReadOnlyList<string> Purposes { get; set; } = [];
    public IReadOnlyList<string> Categories { get; set; } = [];
    public string? LawfulBasis { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? ReviewOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string? Status { get; set; }
    public string? Notes { get; set; }
}

/// <summary>A recipient the organisation's register declares, with the purposes it is declared for.</summary>
public sealed record RegisterRecipient(string Code, string Name, IReadOnlyList<string> Purposes);

/// <summary>A register purpose as "service/activity", with its plain name.</summary>
public sealed record RegisterPurpose(string Code, string ServiceName, string Purpose);

/// <summary>
/// Partner organisations and information-sharing agreements of one organisation, kept by its DPO and information
/// governance staff. Everything is scoped to the user's own organisation: another organisation's partner or agreement
/// is not found. Changes are audited.
/// </summary>
public sealed class PartnerService(HavenDbContext db, RegisterService register, AuditWriter audit, TimeProvider clock)
{
    public const int MaxText = 500;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<Guid> OrganisationOfAsync(Guid userId, CancellationToken cancellationToken = default) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);

    public async Task<IReadOnlyList<SharingPartner>> PartnersAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        await db.Set<SharingPartner>().AsNoTracking().Where(p => p.OrganisationId == organisationId).OrderBy(p => p.Name).ToListAsync(cancellationToken);

    public async Task<SharingPartner?> PartnerAsync(Guid organisationId, Guid id, CancellationToken cancellationToken = default) =>
        await db.Set<SharingPartner>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.OrganisationId == organisationId, cancellationToken);

    public async Task<IReadOnlyList<SharingAgreement>> AgreementsAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        await db.Set<SharingAgreement>().AsNoTracking().Where(a => a.OrganisationId == organisationId).OrderBy(a => a.Title).ToListAsync(cancellationToken);

    public async Task<SharingAgreement?> AgreementAsync(Guid organisationId, Guid id, CancellationToken cancellationToken = default) =>
        await db.Set<SharingAgreement>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.OrganisationId == organisationId, cancellationToken);

    /// <summary>Every recipient the organisation's register in force declares, for linking partners to them.</summary>
    public async Task<IReadOnlyList<RegisterRecipient>> RecipientsAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        if (loaded is null)
        {
            return [];
        }

        return loaded.Document.Activities()
            .SelectMany(x => x.Activity.Recipients.Select(r => (Recipient: r, Purpose: x.Activity.Purpose)))
            .GroupBy(x => x.Recipient.Code)
            .Select(g => new RegisterRecipient(g.Key, g.First().Recipient.Name, g.Select(x => x.Purpose).Distinct().ToList()))
            .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<IReadOnlyList<RegisterPurpose>> PurposesAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        return loaded is null ? [] : loaded.Document.Activities().Select(x => new RegisterPurpose($"{x.Service.Code}/{x.Activity.Code}", x.Service.Name, x.Activity.Purpose)).ToList();
    }

    public async Task<(Guid? Id, Dictionary<string, string> Errors)> SavePartnerAsync(Guid userId, Guid? id, PartnerInput input, CancellationToken cancellationToken = default)
    {
        var organisationId = await OrganisationOfAsync(userId, cancellationToken);
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["Name"] = "Enter the partner organisation's name";
        }
        else if (name.Length > 200)
        {
            errors["Name"] = "Partner name must be 200 characters or fewer";
        }
        else if (await db.Set<SharingPartner>().AnyAsync(p => p.OrganisationId == organisationId && p.Name == name && p.Id != id, cancellationToken))
        {
            errors["Name"] = "There is already a partner with this name";
        }

        if (string.IsNullOrEmpty(input.PartnerType))
        {
            errors["PartnerType"] = "Select the type of organisation";
        }
        else if (!SharingCodes.PartnerTypes.Any(t => t.Code == input.PartnerType))
        {
            errors["PartnerType"] = "Select a type of organisation from the list";
        }

        foreach (var (field, value, label) in new[] { ("Contact", input.Contact, "Contact"), ("Address", input.Address, "Address"), ("Phone", input.Phone, "Phone number"), ("Identifier", input.Identifier, "ODS code or URN") })
        {
            if (value?.Trim().Length > MaxText)
            {
                errors[field] = $"{label} must be {MaxText} characters or fewer";
            }
        }

        if (!string.IsNullOrWhiteSpace(input.Email) && !System.Text.RegularExpressions.Regex.IsMatch(input.Email.Trim(), @"^[^@\s]+@[^@\s]+\.[^@\s]+$"))
        {
            errors["Email"] = "Enter an email address in the correct format, like name@example.org";
        }

        var recipients = await RecipientsAsync(organisationId, cancellationToken);
        var unknown = input.RecipientCodes.Where(c => recipients.All(r => r.Code != c)).ToList();
        if (unknown.Count > 0)
        {
            errors["RecipientCodes"] = "Select recipients from your privacy register";
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = clock.GetUtcNow();
        SharingPartner? partner;
        if (id is { } existing)
        {
            partner = await db.Set<SharingPartner>().SingleOrDefaultAsync(p => p.Id == existing && p.OrganisationId == organisationId, cancellationToken);
            if (partner is null)
            {
                return (null, new Dictionary<string, string> { ["Name"] = "There is no partner with this number in your organisation" });
            }
        }
        else
        {
            partner = new SharingPartner { Id = Guid.NewGuid(), OrganisationId = organisationId, CreatedAt = now };
            db.Add(partner);
        }

        partner.Name = name!;
        partner.PartnerType = input.PartnerType!;
        partner.Contact = Clean(input.Contact);
        partner.Address = Clean(input.Address);
        partner.Email = Clean(input.Email);
        partner.Phone = Clean(input.Phone);
        partner.Identifier = Clean(input.Identifier);
        partner.RecipientCodes = input.RecipientCodes.Distinct().ToArray();
        partner.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(SharingAuditActions.PartnerSaved, null, "information sharing",
            $"partner {partner.Id} ({partner.PartnerType}) {(id is null ? "added" : "changed")}"), cancellationToken);
        return (partner.Id, errors);
    }

    public async Task<(Guid? Id, Dictionary<string, string> Errors)> SaveAgreementAsync(Guid userId, Guid? id, AgreementInput input, CancellationToken cancellationToken = default)
    {
        var organisationId = await OrganisationOfAsync(userId, cancellationToken);
        var errors = await ValidateAgreementAsync(organisationId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var title = input.Title!.Trim();
        var partnerIds = input.PartnerIds.Distinct().ToList();

        var now = clock.GetUtcNow();
        SharingAgreement? agreement;
        if (id is { } existing)
        {
            agreement = await db.Set<SharingAgreement>().SingleOrDefaultAsync(a => a.Id == existing && a.OrganisationId == organisationId, cancellationToken);
            if (agreement is null)
            {
                return (null, new Dictionary<string, string> { ["Title"] = "There is no agreement with this number in your organisation" });
            }
        }
        else
        {
            agreement = new SharingAgreement { Id = Guid.NewGuid(), OrganisationId = organisationId, CreatedAt = now };
            db.Add(agreement);
        }

        agreement.Title = title!;
        agreement.PartnerIds = partnerIds.ToArray();
        agreement.Purposes = input.Purposes.Distinct().ToArray();
        agreement.Categories = input.Categories.Distinct().ToArray();
        agreement.LawfulBasis = input.LawfulBasis!;
        agreement.StartsOn = input.StartsOn!.Value;
        agreement.ReviewOn = input.ReviewOn!.Value;
        agreement.EndsOn = input.EndsOn;
        agreement.Status = input.Status!;
        agreement.Notes = Clean(input.Notes);
        agreement.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(SharingAuditActions.AgreementSaved, null, "information sharing",
            $"agreement {agreement.Id} {(id is null ? "added" : "changed")}, status {agreement.Status}"), cancellationToken);
        return (agreement.Id, errors);
    }

    /// <summary>Every problem with an agreement, keyed by field; empty when it can be saved.</summary>
    public async Task<Dictionary<string, string>> ValidateAgreementAsync(Guid organisationId, AgreementInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors["Title"] = "Enter the agreement's title";
        }
        else if (title.Length > 200)
        {
            errors["Title"] = "Title must be 200 characters or fewer";
        }

        var partnerIds = input.PartnerIds.Distinct().ToList();
        if (partnerIds.Count == 0)
        {
            errors["PartnerIds"] = "Select at least one partner organisation that is a party to the agreement";
        }
        else if (await db.Set<SharingPartner>().CountAsync(p => partnerIds.Contains(p.Id) && p.OrganisationId == organisationId, cancellationToken) != partnerIds.Count)
        {
            errors["PartnerIds"] = "Select partners from your organisation's list";
        }

        var purposes = await PurposesAsync(organisationId, cancellationToken);
        if (input.Purposes.Count == 0)
        {
            errors["Purposes"] = "Select at least one purpose the agreement covers";
        }
        else if (input.Purposes.Any(p => purposes.All(x => x.Code != p)))
        {
            errors["Purposes"] = "Select purposes from your privacy register";
        }

        if (input.Categories.Count == 0)
        {
            errors["Categories"] = "Select at least one category of information the agreement covers";
        }
        else if (input.Categories.FirstOrDefault(c => !Taxonomy.BuiltIn.Contains(c)) is { } unknown)
        {
            errors["Categories"] = $"'{unknown}' is not a data category Haven knows";
        }

        if (string.IsNullOrEmpty(input.LawfulBasis))
        {
            errors["LawfulBasis"] = "Select the lawful basis for sharing";
        }
        else if (!RegisterCodes.LawfulBases.ContainsKey(input.LawfulBasis))
        {
            errors["LawfulBasis"] = "Select a lawful basis from the list";
        }

        if (input.StartsOn is null)
        {
            errors.TryAdd("StartsOn", "Enter the date the agreement starts");
        }

        if (input.ReviewOn is null)
        {
            errors.TryAdd("ReviewOn", "Enter the date the agreement is due for review");
        }
        else if (input.StartsOn is { } starts && input.ReviewOn < starts)
        {
            errors.TryAdd("ReviewOn", "The review date must be the same as or after the start date");
        }

        if (input.EndsOn is { } ends && input.StartsOn is { } start && ends < start)
        {
            errors.TryAdd("EndsOn", "The end date must be the same as or after the start date");
        }

        if (string.IsNullOrEmpty(input.Status))
        {
            errors["Status"] = "Select the agreement's status";
        }
        else if (!SharingCodes.Statuses.Any(s => s.Code == input.Status))
        {
            errors["Status"] = "Select a status from the list";
        }
        else if (input.Status == SharingCodes.StatusEnded && input.EndsOn is null)
        {
            errors.TryAdd("EndsOn", "Enter the date the agreement ended");
        }

        if (input.Notes?.Trim().Length > 2000)
        {
            errors["Notes"] = "Notes must be 2000 characters or fewer";
        }

        return errors;
    }

    /// <summary>
    /// The agreement in force on a date that covers a recipient for a purpose: active, with a party linked to the
    /// recipient code (or the given partner) and the purpose among its purposes. Null when there is none.
    /// </summary>
    public async Task<SharingAgreement?> CoveringAsync(Guid organisationId, string recipientCode, string purpose, Guid? partnerId, DateOnly on, CancellationToken cancellationToken = default)
    {
        var partners = await db.Set<SharingPartner>().AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && (p.Id == partnerId || p.RecipientCodes.Contains(recipientCode)))
            .Select(p => p.Id).ToListAsync(cancellationToken);
        if (partners.Count == 0)
        {
            return null;
        }

        var agreements = await db.Set<SharingAgreement>().AsNoTracking()
            .Where(a => a.OrganisationId == organisationId && a.Status == SharingCodes.StatusActive && a.Purposes.Contains(purpose))
            .ToListAsync(cancellationToken);
        return agreements.Where(a => a.InForceOn(on) && a.PartnerIds.Any(partners.Contains))
            .OrderByDescending(a => partnerId is { } chosen && a.PartnerIds.Contains(chosen)).ThenBy(a => a.Title).FirstOrDefault();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
