using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Rights;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Privacy;

/// <summary>What the sharing module asks before anything leaves Haven.</summary>
public sealed record DisclosureRequest(string ServiceCode, string ActivityCode, string RecipientCode, IReadOnlyList<string> Categories,
    string? Country = null, bool ConsentRecorded = false);

/// <summary>The answer: allowed with the lawful basis to log, or refused with every reason in plain words.</summary>
public sealed record DisclosureDecision(bool Allowed, IReadOnlyList<string> Reasons, string? LawfulBasis, string? RecipientName)
{
    public static DisclosureDecision Refused(params string[] reasons) => new(false, reasons, null, null);
}

/// <summary>
/// The sharing enforcement point: a disclosure is allowed only to a recipient the register declares for that
/// purpose, only of categories that purpose collects (and the recipient may receive), and overseas only under the
/// safeguard the notice promises (for consent, only once consent is recorded).
/// </summary>
public static class SharingRules
{
    public const string UnitedKingdom = "United Kingdom";

    public static DisclosureDecision Check(RegisterDocument register, DisclosureRequest request)
    {
        var service = register.Service(request.ServiceCode);
        if (service is null)
        {
            return DisclosureDecision.Refused($"'{request.ServiceCode}' is not a service in {register.Organisation.Name}'s privacy register");
        }

        var activity = service.Activities.FirstOrDefault(a => a.Code == request.ActivityCode);
        if (activity is null)
        {
            return DisclosureDecision.Refused($"'{request.ActivityCode}' is not a purpose of {service.Name} in the privacy register");
        }

        var recipient = activity.Recipients.FirstOrDefault(r => r.Code == request.RecipientCode);
        if (recipient is null)
        {
            return DisclosureDecision.Refused($"The privacy notice for {service.Name} does not name '{request.RecipientCode}' as a recipient for {activity.Purpose.ToLowerInvariant()}, so Haven will not share with them");
        }

        var reasons = new List<string>();
        if (request.Categories.Count == 0)
        {
            reasons.Add("Say which categories of information would be shared");
        }

        foreach (var category in request.Categories.Distinct())
        {
            if (!Taxonomy.BuiltIn.Contains(category))
            {
                reasons.Add($"'{category}' is not a data category Haven knows");
            }
            else if (!activity.Categories.Any(c => Taxonomy.Covers(c.Category, category)))
            {
                reasons.Add($"{Taxonomy.BuiltIn.Label(category)} is not collected for {activity.Purpose.ToLowerInvariant()}, so it cannot be shared for it");
            }
            else if (recipient.Categories.Count > 0 && !recipient.Categories.Any(c => Taxonomy.Covers(c, category)))
            {
                reasons.Add($"The privacy notice does not say {Taxonomy.BuiltIn.Label(category).ToLowerInvariant()} is shared with {recipient.Name}");
            }
        }

        var country = request.Country ?? recipient.Country;
        if (country is not null && !string.Equals(country, UnitedKingdom, StringComparison.OrdinalIgnoreCase) && !string.Equals(country, "UK", StringComparison.OrdinalIgnoreCase))
        {
            if (!activity.Transfers.Allowed)
            {
                reasons.Add($"The privacy notice says information is not sent outside the UK, so it cannot go to {country}");
            }
            else if (activity.Transfers.Safeguard == "consent" && !request.ConsentRecorded)
            {
                reasons.Add("The privacy notice promises to ask permission before sending information overseas. Record the person's consent first");
            }
            else if (activity.Transfers.Countries.Count > 0 && !activity.Transfers.Countries.Contains(country, StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add($"The privacy notice does not list {country} among the places information may be sent");
            }
        }

        return reasons.Count > 0
            ? new DisclosureDecision(false, reasons, null, recipient.Name)
            : new DisclosureDecision(true, [], RegisterCodes.Label(RegisterCodes.LawfulBases, recipient.Basis), recipient.Name);
    }
}

/// <summary>Runs the sharing check against the register in force and audits every refusal.</summary>
public sealed class DisclosureChecker(RegisterService register, AuditWriter audit, HavenDbContext? db = null)
{
    /// <summary>
    /// The check for one person's record: a record whose processing is restricted (Art. 18) is not shared at all, and
    /// whether consent is recorded comes from the person's own consents for the service (a withdrawn consent no longer
    /// counts), not from the caller. A record that is not the organisation's gets the same answer as one that does not exist.
    /// </summary>
    public async Task<DisclosureDecision> CheckForPersonAsync(Guid organisationId, DisclosureRequest request, Guid personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId && p.OrganisationId == organisationId && p.MergedIntoId == null)
            .Select(p => new { p.Id, p.ProcessingRestricted }).SingleOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            var unknown = DisclosureDecision.Refused("There is no record with this number in this organisation");
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.DisclosureRefused, null, "privacy register",
                $"{request.ServiceCode}/{request.ActivityCode} to {request.RecipientCode}: no such record in the organisation"), cancellationToken);
            return unknown;
        }

        if (person.ProcessingRestricted)
        {
            var restricted = DisclosureDecision.Refused("Processing of this person's record is restricted at their request, so nothing about them may be shared until the restriction is lifted");
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.DisclosureRefused, [person.Id], "privacy register",
                $"{request.ServiceCode}/{request.ActivityCode} to {request.RecipientCode}: processing restricted"), cancellationToken);
            return restricted;
        }

        var consented = await db.Set<PersonConsent>().AnyAsync(c => c.PersonId == person.Id && c.OrganisationId == organisationId
            && c.ServiceCode == request.ServiceCode && c.WithdrawnOn == null, cancellationToken);
        return await CheckAsync(organisationId, request with { ConsentRecorded = consented }, [person.Id], cancellationToken);
    }

    public async Task<DisclosureDecision> CheckAsync(Guid organisationId, DisclosureRequest request, IReadOnlyCollection<Guid>? personIds = null, CancellationToken cancellationToken = default)
    {
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        var decision = loaded is null
            ? DisclosureDecision.Refused("This organisation has no privacy register in force, so Haven will not share anything for it")
            : SharingRules.Check(loaded.Document, request);
        if (!decision.Allowed)
        {
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.DisclosureRefused, personIds, "privacy register",
                $"{loaded?.Version.OrganisationCode ?? organisationId.ToString()}/{request.ServiceCode}/{request.ActivityCode} to {request.RecipientCode}: {string.Join(" | ", decision.Reasons)}"), cancellationToken);
        }

        return decision;
    }
}
