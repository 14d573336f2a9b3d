using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Sharing;

/// <summary>What a worker fills in to share information about a person, or to record a disclosure already made.</summary>
public sealed class DisclosureInput
{
    /// <summary>The register purpose as "service/activity".</summary>
    public string? Purpose { get; set; }
    public string? Recipient { get; set; }
    public Guid? PartnerId { get; set; }
    public IReadOnlyList<string> Categories { get; set; } = [];
    public string? Country { get; set; }
    public string? Summary { get; set; }
    /// <summary>"made" when it is being sent now, "recorded" when it was sent before and is being recorded.</summary>
    public string? When { get; set; }
    public DateOnly? DisclosedOn { get; set; }
    public string? Method { get; set; }
}

public enum DisclosureOutcome
{
    Stored,
    Invalid,
    Refused,
    NotFound,
}

public sealed record DisclosureResult(DisclosureOutcome Outcome, DisclosureView? Disclosure, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Reasons)
{
    public static readonly DisclosureResult NotFound = new(DisclosureOutcome.NotFound, null, new Dictionary<string, string>(), []);
}

/// <summary>One row of the disclosure log: what went to whom, when, why, on what basis, and who recorded it.</summary>
public sealed record DisclosureView(Guid Id, Guid PersonId, string PersonName, string RecipientCode, string RecipientName, string? PartnerName,
    string? RecipientAddress, string ServiceCode, string ActivityCode, string Purpose, string LawfulBasis, IReadOnlyList<string> Categories,
    string Summary, DateOnly DisclosedOn, bool MadeThroughHaven, string? Method, string? Country, Guid? AgreementId, string? AgreementTitle,
    string? RecordedBy, DateTimeOffset CreatedAt)
{
    public string CategoryLabels => string.Join(", ", Categories.Select(Taxonomy.BuiltIn.Label));
}

/// <summary>A recipient offered on the share form: a register recipient, optionally one partner organisation linked to it.</summary>
public sealed record RecipientOption(string Value, string Code, string Name, SharingPartner? Partner, string? Country);

/// <summary>One register purpose a worker can share for, with its recipients and the categories it declares.</summary>
public sealed record PurposeOption(string Code, string ServiceName, string Purpose, IReadOnlyList<RecipientOption> Recipients,
    IReadOnlyList<(string Code, string Label)> Categories, bool OverseasAllowed, string? OverseasSafeguard);

/// <summary>The log's filters. Dates are inclusive.</summary>
public sealed record DisclosureFilter(string? Recipient = null, DateOnly? From = null, DateOnly? To = null, Guid? PersonId = null);

/// <summary>
/// Disclosures about people: every one goes through the sharing check (DisclosureChecker.CheckForPersonAsync) against
/// the organisation's privacy register, whether it is being made now or recorded after the fact. A refusal stores
/// nothing (the checker audits it); an allowed disclosure is logged with the register's lawful basis and audited.
/// A worker may share only about a record they may open and change; any other record gets the same answer as one that
/// does not exist.
/// </summary>
public sealed class DisclosureService(HavenDbContext db, RecordAccessService access, DisclosureChecker checker, RegisterService register,
    PartnerService partners, AuditWriter audit, TimeProvider clock)
{
    public const int MaxSummary = 2000;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Opens a person's record for sharing. Null means "no record you can open" (unknown, not openable, another
    /// organisation's, or no permission to record). Restricted is true for a record of the user's own organisation
    /// whose processing is restricted: the record pages already say so, and the sharing check refuses it with that reason.
    /// </summary>
    public async Task<(Person? Person, bool Restricted, Guid OrganisationId)?> OpenAsync(Guid userId, Guid personId, string purpose, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        if (!Permissions.Grants(user.Roles, Permissions.RecordPeople))
        {
            return null;
        }

        var (decision, person) = await access.OpenRecordAsync(userId, personId, purpose, cancellationToken);
        if (decision.Allowed && person!.OrganisationId == user.OrganisationId && person.MergedIntoId is null)
        {
            return (person, false, user.OrganisationId);
        }

        if (decision.Outcome == AccessOutcome.ProcessingRestricted
            && await db.People.AnyAsync(p => p.Id == personId && p.OrganisationId == user.OrganisationId, cancellationToken))
        {
            return (null, true, user.OrganisationId);
        }

        return null;
    }

    /// <summary>The purposes the organisation's register in force lets staff share for, with recipients and partners.</summary>
    public async Task<IReadOnlyList<PurposeOption>> OptionsAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        if (loaded is null)
        {
            return [];
        }

        var partnerList = await partners.PartnersAsync(organisationId, cancellationToken);
        var options = new List<PurposeOption>();
        foreach (var (service, activity) in loaded.Document.Activities().Where(x => x.Activity.Recipients.Count > 0))
        {
            var code = $"{service.Code}/{activity.Code}";
            var recipients = new List<RecipientOption>();
            foreach (var r in activity.Recipients)
            {
                recipients.Add(new RecipientOption(r.Code, r.Code, r.Name, null, r.Country));
                recipients.AddRange(partnerList.Where(p => p.RecipientCodes.Contains(r.Code)).Select(p => new RecipientOption($"{r.Code}|{p.Id}", r.Code, r.Name, p, r.Country)));
            }

            var categories = activity.Categories.Select(c => (c.Category, Taxonomy.BuiltIn.Label(c.Category))).ToList();
            options.Add(new PurposeOption(code, service.Name, activity.Purpose, recipients, categories, activity.Transfers.Allowed, activity.Transfers.Safeguard));
        }

        return options;
    }

    public async Task<DisclosureResult> ShareAsync(Guid userId, Guid personId, DisclosureInput input, CancellationToken cancellationToken = default)
    {
        var opened = await OpenAsync(userId, personId, "share information", cancellationToken);
        if (opened is not { } record)
        {
            return DisclosureResult.NotFound;
        }

        var errors = new Dictionary<string, string>();
        var purpose = input.Purpose?.Trim() ?? "";
        var slash = purpose.IndexOf('/', StringComparison.Ordinal);
        if (purpose.Length == 0)
        {
            errors["Purpose"] = "Select why the information is being shared";
        }
        else if (slash <= 0 || slash == purpose.Length - 1)
        {
            errors["Purpose"] = "Select a purpose from the privacy register";
        }

        var recipientCode = input.Recipient?.Trim() ?? "";
        Guid? partnerId = input.PartnerId;
        if (recipientCode.Split('|') is [var code, var partnerText] && Guid.TryParse(partnerText, out var fromValue))
        {
            recipientCode = code;
            partnerId = fromValue;
        }

        if (recipientCode.Length == 0)
        {
            errors["Recipient"] = "Select who the information is being shared with";
        }

        SharingPartner? partner = null;
        if (partnerId is { } pid)
        {
            partner = await db.Set<SharingPartner>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == pid && p.OrganisationId == record.OrganisationId, cancellationToken);
            if (partner is null || (recipientCode.Length > 0 && !partner.RecipientCodes.Contains(recipientCode)))
            {
                errors.TryAdd("Recipient", "Select a partner organisation linked to this recipient in the privacy register");
            }
        }

        var categories = input.Categories.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct().ToList();
        if (categories.Count == 0)
        {
            errors["Categories"] = "Select the information being shared";
        }

        var country = string.IsNullOrWhiteSpace(input.Country) ? null : input.Country.Trim();
        if (country?.Length > 100)
        {
            errors["Country"] = "Country must be 100 characters or fewer";
        }

        var summary = input.Summary?.Trim();
        if (string.IsNullOrEmpty(summary))
        {
            errors["Summary"] = "Describe what is being shared";
        }
        else if (summary.Length > MaxSummary)
        {
            errors["Summary"] = $"The description must be {MaxSummary} characters or fewer";
        }

        DateOnly disclosedOn = Today;
        if (input.When is not ("made" or "recorded"))
        {
            errors["When"] = "Select whether you are sharing the information now or recording a disclosure already made";
        }
        else if (input.When == "recorded")
        {
            if (input.DisclosedOn is not { } on)
            {
                errors.TryAdd("DisclosedOn", "Enter the date the information was shared");
            }
            else if (on > Today)
            {
                errors.TryAdd("DisclosedOn", "The date the information was shared must be today or in the past");
            }
            else
            {
                disclosedOn = on;
            }
        }

        if (input.Method is { Length: > 0 } method && !SharingCodes.Methods.Any(m => m.Code == method))
        {
            errors["Method"] = "Select how the information is sent from the list";
        }

        if (errors.Count > 0)
        {
            return new DisclosureResult(DisclosureOutcome.Invalid, null, errors, []);
        }

        var serviceCode = purpose[..slash];
        var activityCode = purpose[(slash + 1)..];
        var request = new DisclosureRequest(serviceCode, activityCode, recipientCode, categories, country);
        var decision = await checker.CheckForPersonAsync(record.OrganisationId, request, personId, cancellationToken);
        if (!decision.Allowed)
        {
            return new DisclosureResult(DisclosureOutcome.Refused, null, new Dictionary<string, string>(), decision.Reasons);
        }

        // Allowed means the register declares the service, activity and recipient.
        var loaded = (await register.InForceAsync(record.OrganisationId, cancellationToken: cancellationToken))!;
        var activity = loaded.Document.Service(serviceCode)!.Activities.Single(a => a.Code == activityCode);
        var recipient = activity.Recipients.Single(r => r.Code == recipientCode);
        var agreement = await partners.CoveringAsync(record.OrganisationId, recipientCode, purpose, partner?.Id, disclosedOn, cancellationToken);
        var now = clock.GetUtcNow();
        var disclosure = new Disclosure
        {
            Id = Guid.NewGuid(),
            OrganisationId = record.OrganisationId,
            PersonId = personId,
            RecipientCode = recipientCode,
            RecipientName = partner?.Name ?? decision.RecipientName ?? recipient.Name,
            RecipientAddress = partner?.Address,
            ServiceCode = serviceCode,
            ActivityCode = activityCode,
            Purpose = activity.Purpose,
            LawfulBasis = decision.LawfulBasis ?? recipient.Basis,
            Categories = categories.ToArray(),
            Summary = summary!,
            DisclosedOn = disclosedOn,
            RecordedByUserId = userId,
            CreatedAt = now,
            PartnerId = partner?.Id,
            AgreementId = agreement?.Id,
            Method = string.IsNullOrEmpty(input.Method) ? null : input.Method,
            MadeThroughHaven = input.When == "made",
            Country = country ?? recipient.Country,
        };
        db.Add(disclosure);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(SharingAuditActions.Disclosed, [personId], "information sharing",
            $"{loaded.Version.OrganisationCode}/{purpose} to {recipientCode}: {string.Join(", ", categories)}; {(disclosure.MadeThroughHaven ? "made" : "recorded after the fact")}; agreement {agreement?.Id.ToString() ?? "none"}; disclosure {disclosure.Id}"), cancellationToken);
        var view = (await QueryAsync(db.Set<Disclosure>().Where(d => d.Id == disclosure.Id), cancellationToken)).Single();
        return new DisclosureResult(DisclosureOutcome.Stored, view, new Dictionary<string, string>(), []);
    }

    /// <summary>A person's disclosures, newest first. The caller has opened the record.</summary>
    public Task<IReadOnlyList<DisclosureView>> ForPersonAsync(Guid personId, CancellationToken cancellationToken = default) =>
        QueryAsync(db.Set<Disclosure>().Where(d => d.PersonId == personId), cancellationToken);

    /// <summary>The organisation's disclosure log (disclosures about its own records), filtered. Audited.</summary>
    public async Task<IReadOnlyList<DisclosureView>> LogAsync(Guid organisationId, DisclosureFilter filter, bool export, CancellationToken cancellationToken = default)
    {
        var query = db.Set<Disclosure>().Where(d => d.OrganisationId == organisationId);
        if (!string.IsNullOrWhiteSpace(filter.Recipient))
        {
            var recipient = filter.Recipient.Trim();
            query = query.Where(d => d.RecipientCode == recipient);
        }

        if (filter.From is { } from)
        {
            query = query.Where(d => d.DisclosedOn >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(d => d.DisclosedOn <= to);
        }

        if (filter.PersonId is { } person)
        {
            query = query.Where(d => d.PersonId == person);
        }

        var rows = await QueryAsync(query, cancellationToken);
        await audit.RecordAsync(new AuditEntry(export ? SharingAuditActions.LogExported : SharingAuditActions.LogViewed, null, "disclosure log",
            $"{rows.Count} disclosures; recipient {filter.Recipient ?? "any"}, from {filter.From?.ToString("yyyy-MM-dd") ?? "any"}, to {filter.To?.ToString("yyyy-MM-dd") ?? "any"}"), cancellationToken);
        return rows;
    }

    private async Task<IReadOnlyList<DisclosureView>> QueryAsync(IQueryable<Disclosure> disclosures, CancellationToken cancellationToken)
    {
        var rows = await (from d in disclosures.AsNoTracking()
                          join p in db.People on d.PersonId equals p.Id
                          join u in db.Users on d.RecordedByUserId equals u.Id into recorders
                          from u in recorders.DefaultIfEmpty()
                          join partner in db.Set<SharingPartner>() on d.PartnerId equals partner.Id into linked
                          from partner in linked.DefaultIfEmpty()
                          join a in db.Set<SharingAgreement>() on d.AgreementId equals a.Id into agreements
                          from a in agreements.DefaultIfEmpty()
                          orderby d.DisclosedOn descending, d.CreatedAt descending
                          select new { d, Person = p.GivenName + " " + p.FamilyName, Recorder = u == null ? null : u.DisplayName, PartnerName = partner == null ? null : partner.Name, AgreementTitle = a == null ? null : a.Title })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DisclosureView(r.d.Id, r.d.PersonId, r.Person, r.d.RecipientCode, r.d.RecipientName, r.PartnerName, r.d.RecipientAddress,
            r.d.ServiceCode, r.d.ActivityCode, r.d.Purpose, r.d.LawfulBasis, r.d.Categories, r.d.Summary, r.d.DisclosedOn, r.d.MadeThroughHaven, r.d.Method,
            r.d.Country, r.d.AgreementId, r.AgreementTitle, r.Recorder, r.d.CreatedAt)).ToList();
    }
}

/// <summary>Disclosures on the person's timeline: what was shared with whom and why.</summary>
public sealed class DisclosureTimelineSource : Timeline.ITimelineSource
{
    public const string Sharing = "Sharing";

    public IReadOnlyList<string> Types { get; } = [Sharing];

    public async Task<IReadOnlyList<Timeline.TimelineEntry>> EntriesAsync(HavenDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Disclosure>().AsNoTracking().Where(d => personIds.Contains(d.PersonId)).ToListAsync(cancellationToken);
        return rows.Select(d => new Timeline.TimelineEntry(new DateTimeOffset(d.DisclosedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), Sharing,
            $"Information shared with {d.RecipientName}",
            $"{d.Purpose}. {string.Join(", ", d.Categories.Select(Taxonomy.BuiltIn.Label))}. Basis: {d.LawfulBasis}", null, d.PersonId)).ToList();
    }
}
