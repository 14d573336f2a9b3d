using Haven.Core.Audit;
using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Privacy;

/// <summary>How far Haven itself keeps a promise: enforced by the software, partly, or not yet (a gap the DPO must cover by other means).</summary>
public enum PromiseStatus
{
    Enforced,
    Partly,
    NotYet,
}

/// <summary>One promise of a notice, how Haven enforces it and the evidence that it does.</summary>
public sealed record Promise(string Kind, string Statement, string Enforcement, string Evidence, PromiseStatus Status);

public sealed record Conformance(LoadedRegister Register, IReadOnlyList<Promise> Promises, IReadOnlyList<(string Category, string Label, IReadOnlyList<string> Fields)> Undeclared);

/// <summary>
/// Lists every promise the organisation's notices make (from the register in force) beside the enforcement point
/// that keeps it and live evidence from the database and the audit log. Where Haven does not yet enforce a promise
/// it says so plainly rather than claiming it.
/// </summary>
public sealed class ConformanceService(HavenDbContext db, RegisterService register, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public async Task<Conformance?> BuildAsync(Guid organisationId, IReadOnlyList<CollectionPoint> points, CancellationToken cancellationToken = default)
    {
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        if (loaded is null)
        {
            return null;
        }

        var code = loaded.Version.OrganisationCode;
        var since = clock.GetUtcNow() - Window;
        var collectionRefusals = await CountAsync(RegisterAuditActions.CollectionRefused, code, since, cancellationToken);
        var disclosureRefusals = await CountAsync(RegisterAuditActions.DisclosureRefused, code, since, cancellationToken);
        var accessDenied = await PersonEventsAsync(AuditActions.PersonRecordDenied, organisationId, since, cancellationToken);
        var breakGlass = await PersonEventsAsync(AuditActions.BreakGlassUsed, organisationId, since, cancellationToken);
        var reads = await PersonEventsAsync(AuditActions.PersonRecordViewed, organisationId, since, cancellationToken);
        var dataKeys = await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM organisation_data_keys WHERE organisation_id = {organisationId}").SingleAsync(cancellationToken);
        var people = await db.People.CountAsync(p => p.OrganisationId == organisationId, cancellationToken);
        var days = (int)Window.TotalDays;
        var lastRun = await db.Set<Retention.RetentionRun>().AsNoTracking().Where(r => !r.DryRun && r.FinishedAt != null).OrderByDescending(r => r.FinishedAt).FirstOrDefaultAsync(cancellationToken);

        var yearAgo = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-1);
        var requests = await db.Set<Rights.RightsRequest>().AsNoTracking().Where(r => r.OrganisationId == organisationId && r.ReceivedOn >= yearAgo)
            .Select(r => new { r.Id, r.Rights, r.ReceivedOn, r.ClosedOn, r.ExtensionMonths, r.Status }).ToListAsync(cancellationToken);
        var requestIds = requests.Select(r => r.Id).ToArray();
        var pauses = (await db.Set<Rights.RightsRequestPause>().AsNoTracking().Where(p => requestIds.Contains(p.RequestId)).ToListAsync(cancellationToken)).ToLookup(p => p.RequestId);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var clocks = requests.ToDictionary(r => r.Id,
            r => Rights.StatutoryClock.Evaluate(r.ReceivedOn, pauses[r.Id].Select(Rights.RightsRequestService.ToClock).ToList(), r.ExtensionMonths, today));
        string RequestEvidence(string right)
        {
            var these = requests.Where(r => r.Rights.Contains(right)).ToList();
            var closed = these.Where(r => r.ClosedOn is not null && r.Status != Rights.RightsCodes.StatusWithdrawn).ToList();
            var onTime = closed.Count(r => r.ClosedOn <= clocks[r.Id].DueOn);
            var overdue = these.Count(r => r.ClosedOn is null && clocks[r.Id].Overdue);
            return these.Count == 0
                ? "No requests for this right in the last 12 months."
                : $"Last 12 months: {these.Count} request(s), {closed.Count} answered, {onTime} of them on time; {overdue} open and overdue.";
        }

        var made = await db.Set<Rights.Disclosure>().AsNoTracking().Where(d => d.OrganisationId == organisationId && d.CreatedAt >= since)
            .Select(d => new { d.ServiceCode, d.ActivityCode, d.RecipientCode, d.Country }).ToListAsync(cancellationToken);
        int MadeTo(string serviceCode, string activityCode, string? recipientCode, bool overseasOnly) => made.Count(d => d.ServiceCode == serviceCode && d.ActivityCode == activityCode
            && (recipientCode is null || d.RecipientCode == recipientCode)
            && (!overseasOnly || (d.Country is not null && !string.Equals(d.Country, SharingRules.UnitedKingdom, StringComparison.OrdinalIgnoreCase) && !string.Equals(d.Country, "UK", StringComparison.OrdinalIgnoreCase))));

        var promises = new List<Promise>();
        var document = loaded.Document;
        foreach (var (service, activity) in document.Activities())
        {
            foreach (var item in activity.Categories)
            {
                var fields = points.Where(p => p.Category is not null && Taxonomy.Covers(item.Category, p.Category)).Select(p => p.Name).ToList();
                promises.Add(new Promise("What we collect", item.Wording ?? Taxonomy.BuiltIn.Label(item.Category),
                    $"Collection: fields in Haven that collect {item.Category} are accepted for {service.Name}; any field whose category is not declared is refused and audited.",
                    fields.Count == 0 ? "No Haven form or API field collects this yet: it is recorded outside Haven or in a module still to come." : $"{fields.Count} field(s) collect it: {string.Join(", ", fields.Take(8))}{(fields.Count > 8 ? ", …" : "")}. Refusals of undeclared data in the last {days} days: {collectionRefusals}.",
                    fields.Count == 0 ? PromiseStatus.Partly : PromiseStatus.Enforced));
            }

            foreach (var recipient in activity.Recipients)
            {
                promises.Add(new Promise("Who we share with", recipient.Wording ?? recipient.Name,
                    $"Sharing: the disclosure check allows {recipient.Name} only for {activity.Purpose.ToLowerInvariant()} on the basis '{RegisterCodes.Label(RegisterCodes.LawfulBases, recipient.Basis)}'{(recipient.Categories.Count > 0 ? ", and only " + string.Join(", ", recipient.Categories) : "")}; anyone else is refused and audited.",
                    $"Disclosures to {recipient.Name} for this purpose logged in the last {days} days: {MadeTo(service.Code, activity.Code, recipient.Code, false)}. Disclosures refused (all recipients) in the last {days} days: {disclosureRefusals}. Every disclosure recorded in Haven goes through the check.",
                    PromiseStatus.Enforced));
            }

            if (activity.Transfers.Allowed)
            {
                promises.Add(new Promise("Overseas transfers", activity.Transfers.Wording ?? "Transfers outside the UK",
                    activity.Transfers.Safeguard == "consent" ? "Sharing: an overseas disclosure is refused until the person's consent is recorded." : $"Sharing: overseas disclosures rely on {RegisterCodes.Label(RegisterCodes.TransferSafeguards, activity.Transfers.Safeguard ?? "")}.",
                    $"Overseas disclosures logged for this purpose in the last {days} days: {MadeTo(service.Code, activity.Code, null, true)}. Disclosures refused in the last {days} days: {disclosureRefusals}.", PromiseStatus.Enforced));
            }
            else
            {
                promises.Add(new Promise("Overseas transfers", activity.Transfers.Wording ?? $"No transfers outside the UK for {activity.Purpose.ToLowerInvariant()}",
                    "Sharing: any disclosure to a recipient outside the UK is refused.", $"Disclosures logged for this purpose in the last {days} days: {MadeTo(service.Code, activity.Code, null, false)}, of them overseas: {MadeTo(service.Code, activity.Code, null, true)}. Disclosures refused in the last {days} days: {disclosureRefusals}.", PromiseStatus.Enforced));
            }

            foreach (var rule in activity.Retention)
            {
                var disposed = await db.Set<Retention.DisposalCertificate>().Where(c => c.OrganisationId == organisationId && c.RuleCode == rule.Code).SumAsync(c => (int?)c.Count, cancellationToken) ?? 0;
                var appliesToCaseRecords = service.HoldsCaseRecords || Retention.RetentionEngine.InvolvementRecordTypes.Contains(rule.RecordType);
                promises.Add(new Promise("How long we keep it", rule.Wording ?? NoticeBuilder.Describe(rule),
                    $"Retention rule '{rule.Code}' for {rule.RecordType}: {NoticeBuilder.Describe(rule)}. The daily sweep applies it; legal holds override it.",
                    !appliesToCaseRecords
                        ? "These records are kept in a module Haven does not have yet, so the rule is held but has nothing to apply to."
                        : lastRun is null
                            ? "No retention run has finished yet."
                            : $"Last run {lastRun.FinishedAt:d MMMM yyyy HH:mm}: {lastRun.Evaluated} records evaluated, {lastRun.Destroyed} destroyed, {lastRun.Anonymised} anonymised, {lastRun.ReviewsQueued} reviews queued, {lastRun.Held} held. Disposed of under this rule so far: {disposed}.",
                    !appliesToCaseRecords ? PromiseStatus.NotYet : lastRun is null ? PromiseStatus.Partly : PromiseStatus.Enforced));
            }

            foreach (var right in activity.Rights)
            {
                var (enforcement, evidence, status) = right.Code switch
                {
                    "informed" => ("The notice is published from the register and versioned; any past version can be shown.", $"Notice version {loaded.Version.Version} in force from {loaded.Version.EffectiveFrom:d MMMM yyyy}.", PromiseStatus.Enforced),
                    "complain" => ("The notice carries the complaint route and the ICO's contact details from the register.", "Shown on every notice.", PromiseStatus.Enforced),
                    "access" => ("Requests are tracked against the statutory clock; one search covers every module, where the person appears in others' records and who opened their record; a second person signs off the redacted bundle.",
                        RequestEvidence(Rights.RightsCodes.Access), PromiseStatus.Enforced),
                    "rectification" => ("A rectification request records the proposed change and the decision; accepted corrections are made through audited edits and every recipient in the disclosure log is sent a notice.",
                        RequestEvidence(Rights.RightsCodes.Rectification), PromiseStatus.Enforced),
                    "erasure" => ("Erasure is decided on the lawful grounds for refusal, and never past a legal hold: it uses the same hold check as the retention sweep.",
                        RequestEvidence(Rights.RightsCodes.Erasure), PromiseStatus.Enforced),
                    "restriction" => ("A restricted record can be read only by the Data Protection Officer, cannot be changed or shared, is kept from disposal, and cannot be lifted until the person has been told.",
                        RequestEvidence(Rights.RightsCodes.Restriction), PromiseStatus.Enforced),
                    "object" => ("An objection is recorded with its decision and, when refused, the compelling grounds.", RequestEvidence(Rights.RightsCodes.Objection), PromiseStatus.Enforced),
                    "portability" => ("A machine-readable export (JSON and CSV) of what the person gave the service.", RequestEvidence(Rights.RightsCodes.Portability), PromiseStatus.Enforced),
                    "withdraw-consent" => ("Withdrawn consent is recorded against the person; a disclosure that relied on it is refused.", RequestEvidence(Rights.RightsCodes.ConsentWithdrawal), PromiseStatus.Enforced),
                    "automated-decisions" => ("Haven makes no decisions about people by automated means; a request to review one is tracked like any other.", RequestEvidence(Rights.RightsCodes.AutomatedDecision), PromiseStatus.Enforced),
                    "object-direct-marketing" => ("Haven sends no direct marketing from case records; an objection is tracked like any other.", RequestEvidence(Rights.RightsCodes.Objection), PromiseStatus.Enforced),
                    _ => ("Tracked as a rights request against the statutory clock.", "See the rights requests dashboard.", PromiseStatus.Partly),
                };
                promises.Add(new Promise("Your rights", right.Wording ?? RegisterCodes.Label(RegisterCodes.Rights, right.Code), enforcement, evidence, status));
            }
        }

        foreach (var measure in document.Organisation.SecurityMeasures)
        {
            promises.Add(new Promise("How we protect it", measure,
                "Need-to-know access (a working relationship or a logged emergency access), special-category and criminal-offence values and documents encrypted with the organisation's own data key, a tamper-evident audit chain of every read and change.",
                $"{people} people's records; {dataKeys} data key(s) for this organisation; in the last {days} days: {reads} record opening(s) audited, {accessDenied} refused for lack of a working relationship, {breakGlass} emergency access(es) flagged to managers.",
                PromiseStatus.Enforced));
        }

        promises.Add(new Promise("How to complain", document.Organisation.Complaints, "Published on every notice from the register.", $"Notice version {loaded.Version.Version}.", PromiseStatus.Enforced));

        var declared = document.Activities().SelectMany(x => x.Activity.Categories).Select(c => c.Category).ToList();
        var undeclared = points.Where(p => p.Category is not null && !declared.Any(d => Taxonomy.Covers(d, p.Category)))
            .GroupBy(p => p.Category!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Taxonomy.BuiltIn.Label(g.Key), (IReadOnlyList<string>)g.Select(p => p.Name).ToList())).ToList();
        return new Conformance(loaded, promises, undeclared);
    }

    private Task<int> CountAsync(string action, string organisationCode, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var prefix = organisationCode + "/";
        return db.AuditEvents.CountAsync(e => e.Action == action && e.OccurredAt >= since && e.Details != null && e.Details.StartsWith(prefix), cancellationToken);
    }

    private Task<int> PersonEventsAsync(string action, Guid organisationId, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM audit_events e
            WHERE e.action = {action} AND e.occurred_at >= {since}
              AND EXISTS (SELECT 1 FROM people p WHERE p.id = ANY (e.person_ids) AND p.organisation_id = {organisationId})
            """).SingleAsync(cancellationToken);
}
