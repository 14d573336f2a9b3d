using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

public sealed record RestrictionSummary(Guid Id, Guid PersonId, string PersonName, Guid? RequestId, string? RequestReference, string Reason,
    DateTimeOffset StartedAt, string? StartedBy, DateOnly? SubjectToldOn, string? SubjectToldHow, DateTimeOffset? LiftedAt, string? LiftReason);

/// <summary>
/// Restriction of processing (UK GDPR Art. 18). While a record is restricted only the organisation's Data Protection
/// Officer may read it (RecordAccessService), nothing may be added or changed (CollectionGuard), it is not shared
/// (DisclosureChecker) and it is not destroyed (LegalHoldService.HeldAsync). The subject is told before it is lifted.
/// </summary>
public sealed class RestrictionService(HavenDbContext db, RightsRequestService requests, AuditWriter audit, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Restricts every matched subject's record and records the decision on the restriction right.</summary>
    public Task<IReadOnlyDictionary<string, string>> PlaceAsync(Guid userId, Guid requestId, string? reason, CancellationToken cancellationToken = default) =>
        PlaceAsync(userId, requestId, reason, RightsCodes.Restriction, cancellationToken);

    /// <summary>Restricts the records while an objection is considered (Art. 18(1)(d)); the objection is decided later.</summary>
    public Task<IReadOnlyDictionary<string, string>> PlaceWhileObjectionConsideredAsync(Guid userId, Guid requestId, string? reason, CancellationToken cancellationToken = default) =>
        PlaceAsync(userId, requestId, reason, RightsCodes.Objection, cancellationToken);

    private Task<IReadOnlyDictionary<string, string>> PlaceAsync(Guid userId, Guid requestId, string? reason, string right, CancellationToken cancellationToken) =>
        requests.ChangeAsync(userId, requestId, "Reason", async (request, errors) =>
        {
            if (right == RightsCodes.Restriction)
            {
                await RightsDecisions.CheckAsync(db, request, right, acting: false, errors, "Reason", cancellationToken);
            }
            else if (!request.Rights.Contains(right))
            {
                errors["Reason"] = "This request does not include an objection";
            }

            RightsRequestService.Check(errors, "Reason", reason, "Why the record is restricted", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var people = await RightsDecisions.SubjectPeopleAsync(db, request.Id, cancellationToken);
            if (people.Count == 0)
            {
                errors["Reason"] = "Link the person's record to the request before restricting it";
                return null;
            }

            var toRestrict = people.Where(p => !p.ProcessingRestricted).ToList();
            if (toRestrict.Count == 0)
            {
                errors["Reason"] = people.Count == 1 ? "This record is already restricted" : "These records are already restricted";
                return null;
            }

            var clean = TextInput.Clean(reason!);
            foreach (var person in toRestrict)
            {
                person.ProcessingRestricted = true;
                db.Add(new ProcessingRestriction
                {
                    Id = Guid.NewGuid(),
                    PersonId = person.Id,
                    RequestId = request.Id,
                    Reason = clean,
                    StartedAt = clock.GetUtcNow(),
                    StartedByUserId = userId,
                });
            }

            if (right == RightsCodes.Restriction)
            {
                RightsDecisions.Add(db, clock, request, userId, RightsCodes.Restriction, OtherRightsCodes.Granted, null, clean, new { records = toRestrict.Count });
            }

            requests.QueueToRequester(request, "restriction_placed", $"Your request {request.Reference}: use of the information restricted",
                RightsDecisions.Letter(request, $"""
                    We have restricted the use of the information we hold{(right == RightsCodes.Objection ? " while we consider your objection" : string.Empty)}. While it is restricted we will only store it: we will not use it, change it or share it, except with your consent, for legal claims, to protect another person or for an important public interest.

                    We will tell you before the restriction is lifted.
                    """));
            return (OtherRightsAuditActions.RestrictionPlaced,
                $"Processing restricted on {toRestrict.Count} record{(toRestrict.Count == 1 ? "" : "s")}{(right == RightsCodes.Objection ? " while the objection is considered" : string.Empty)}: {clean}",
                null);
        }, cancellationToken);

    /// <summary>Refuses the restriction with a reason; the requester is told why and of their right to complain.</summary>
    public Task<IReadOnlyDictionary<string, string>> RefuseAsync(Guid userId, Guid requestId, string? reason, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "Reason", async (request, errors) =>
        {
            await RightsDecisions.CheckAsync(db, request, RightsCodes.Restriction, acting: false, errors, "Reason", cancellationToken);
            RightsRequestService.Check(errors, "Reason", reason, "Why the restriction is refused", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var clean = TextInput.Clean(reason!);
            RightsDecisions.Add(db, clock, request, userId, RightsCodes.Restriction, OtherRightsCodes.Refused, null, clean, null);
            requests.QueueToRequester(request, "restriction_refused", $"Your request {request.Reference}: restriction",
                RightsDecisions.Letter(request, $"""
                    We have decided not to restrict the use of the information we hold, because:

                    {clean}

                    {OtherRightsCodes.ComplaintRight}
                    """));
            return (OtherRightsAuditActions.RestrictionRefused, $"Restriction refused: {clean}", null);
        }, cancellationToken);

    /// <summary>Restrictions on records of the user's organisation: the active ones, or (with <paramref name="includeLifted"/>) all. Audited.</summary>
    public async Task<IReadOnlyList<RestrictionSummary>> ListAsync(Guid userId, bool includeLifted = false, Guid? requestId = null, CancellationToken cancellationToken = default)
    {
        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        var query = from r in db.Set<ProcessingRestriction>().AsNoTracking()
                    join p in db.People on r.PersonId equals p.Id
                    join rq in db.Set<RightsRequest>() on r.RequestId equals rq.Id into requestJoin
                    from rq in requestJoin.DefaultIfEmpty()
                    join u in db.Users on r.StartedByUserId equals u.Id into userJoin
                    from u in userJoin.DefaultIfEmpty()
                    where p.OrganisationId == organisationId && (includeLifted || r.LiftedAt == null) && (requestId == null || r.RequestId == requestId)
                    orderby r.StartedAt descending
                    select new RestrictionSummary(r.Id, p.Id, p.GivenName + " " + p.FamilyName, r.RequestId, rq == null ? null : rq.Reference, r.Reason, r.StartedAt,
                        u == null ? null : u.DisplayName, r.SubjectToldOn, r.SubjectToldHow, r.LiftedAt, r.LiftReason);
        var list = await query.Take(1000).ToListAsync(cancellationToken);
        if (list.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(OtherRightsAuditActions.RestrictionsListed, list.Select(r => r.PersonId).Distinct().ToList(), "restricted records",
                $"{list.Count} restrictions"), cancellationToken);
        }

        return list;
    }

    /// <summary>Records that the subject was told the restriction will be lifted (Art. 18(3)), and writes to the requester.</summary>
    public Task<IReadOnlyDictionary<string, string>> TellSubjectAsync(Guid userId, Guid restrictionId, string? how, CancellationToken cancellationToken = default) =>
        ChangeRestrictionAsync(userId, restrictionId, "SubjectToldHow", async (restriction, request, errors) =>
        {
            if (restriction.SubjectToldOn is not null)
            {
                errors["SubjectToldHow"] = $"The person was already told on {restriction.SubjectToldOn:d MMMM yyyy}";
                return null;
            }

            RightsRequestService.Check(errors, "SubjectToldHow", how, "How the person was told", 500, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            restriction.SubjectToldOn = Today;
            restriction.SubjectToldHow = TextInput.Clean(how!);
            if (request is not null)
            {
                requests.QueueToRequester(request, "restriction_lifting", $"Your request {request.Reference}: the restriction will be lifted",
                    RightsDecisions.Letter(request, """
                        We are writing to tell you, before it happens, that we intend to lift the restriction on the use of the information we hold. Once it is lifted we will use the information again for the purposes described in our privacy notice.

                        If you disagree, please contact us. You also have the right to complain to the Information Commissioner's Office (ico.org.uk/make-a-complaint, 0303 123 1113).
                        """));
            }

            await Task.CompletedTask;
            return (OtherRightsAuditActions.RestrictionSubjectTold, "The person was told the restriction will be lifted.");
        }, cancellationToken);

    /// <summary>Lifts a restriction, only once the subject has been told, with a reason.</summary>
    public Task<IReadOnlyDictionary<string, string>> LiftAsync(Guid userId, Guid restrictionId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeRestrictionAsync(userId, restrictionId, "LiftReason", async (restriction, request, errors) =>
        {
            if (restriction.SubjectToldOn is null)
            {
                errors["LiftReason"] = "Tell the person that the restriction will be lifted before lifting it";
                return null;
            }

            RightsRequestService.Check(errors, "LiftReason", reason, "Why the restriction is lifted", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var person = await db.People.SingleAsync(p => p.Id == restriction.PersonId, cancellationToken);
            restriction.LiftedAt = clock.GetUtcNow();
            restriction.LiftedByUserId = userId;
            restriction.LiftReason = TextInput.Clean(reason!);
            person.ProcessingRestricted = false;
            return (OtherRightsAuditActions.RestrictionLifted, $"Restriction lifted: {restriction.LiftReason}");
        }, cancellationToken);

    /// <summary>
    /// One change to an active restriction of the user's organisation, in a transaction with the request's history
    /// (when the request still exists, open or closed) and the audit event. Another organisation's restriction, a
    /// lifted one and one that does not exist get the same answer.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> ChangeRestrictionAsync(Guid userId, Guid restrictionId, string field,
        Func<ProcessingRestriction, RightsRequest?, Dictionary<string, string>, Task<(string Action, string Text)?>> step, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        var restriction = await (from r in db.Set<ProcessingRestriction>()
                                 join p in db.People on r.PersonId equals p.Id
                                 where r.Id == restrictionId && p.OrganisationId == organisationId && r.LiftedAt == null
                                 select r).SingleOrDefaultAsync(cancellationToken);
        if (restriction is null)
        {
            errors[field] = "There is no such restriction in force in your organisation";
            return errors;
        }

        var request = restriction.RequestId is { } requestId ? await db.Set<RightsRequest>().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) : null;
        var result = await step(restriction, request, errors);
        if (result is null || errors.Count > 0)
        {
            return errors;
        }

        if (request is not null)
        {
            requests.AddEvent(request.Id, userId, result.Value.Action, result.Value.Text);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(result.Value.Action, [restriction.PersonId], request is null ? "restriction of processing" : $"rights request {request.Reference}",
            result.Value.Action == OtherRightsAuditActions.RestrictionLifted ? "restriction lifted" : "subject told before lifting"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }
}
