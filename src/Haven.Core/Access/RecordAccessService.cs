using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Security;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Core.Access;

public enum AccessOutcome
{
    Allowed,
    NotFound,
    NoPermission,
    TrainingExpired,
    Restricted,
    NoRelationship,
    /// <summary>Processing is restricted at the subject's request (UK GDPR Art. 18): only the organisation's DPO may read it.</summary>
    ProcessingRestricted,
}

public sealed record AccessDecision(AccessOutcome Outcome, string Basis, bool CanBreakGlass = false)
{
    public bool Allowed => Outcome == AccessOutcome.Allowed;
}

public sealed record CaseloadEntry(Guid PersonId, string Name, DateOnly? DateOfBirth, string Basis, DateTimeOffset? AccessEndsAt);

public sealed record BreakGlassAlert(Guid Id, string UserName, Guid PersonId, string PersonName, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? ReviewedAt, string? Outcome);

/// <summary>
/// The one place that decides whether a user may open a person's record (need-to-know):
/// an allocated worker, a member of the owning team, a review-team or partner-contributor grant still in date,
/// or break-glass with a recorded reason. Restricted records also need a named permission.
/// </summary>
public sealed class RecordAccessService(HavenDbContext db, AuditWriter audit, IOptions<SecurityOptions> options, TimeProvider clock)
{
    public const string BasisAllocatedWorker = "allocated_worker";
    public const string BasisReviewTeam = "review_team";
    public const string BasisPartnerContributor = "partner_contributor";
    public const string BasisTeam = "team_member";
    public const string BasisBreakGlass = "break_glass";
    public const string BasisDataProtectionOfficer = "data_protection_officer";

    /// <summary>Whether the user may read a record whose processing is restricted: the Data Protection Officer of its organisation.</summary>
    public static bool MayReadProcessingRestricted(User user, Guid organisationId) =>
        ProcessingRestrictedReadableIn(user.Roles, user.OrganisationId) == organisationId;

    /// <summary>
    /// The organisation whose processing-restricted records a user may see (their own, for a Data Protection Officer),
    /// or Guid.Empty for none: the one rule opening, caseloads and search use.
    /// </summary>
    public static Guid ProcessingRestrictedReadableIn(IEnumerable<string> roles, Guid organisationId) =>
        roles.Contains(Roles.DataProtectionOfficer) ? organisationId : Guid.Empty;

    public bool TrainingCurrent(User user)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return user.LastDataProtectionTrainingOn is { } trained && trained > today.AddMonths(-options.Value.TrainingValidMonths);
    }

    public async Task<AccessDecision> DecideAsync(User user, Person? person, CancellationToken cancellationToken = default)
    {
        if (!Permissions.Grants(user.Roles, Permissions.ViewPeople))
        {
            return new AccessDecision(AccessOutcome.NoPermission, "role");
        }

        if (!TrainingCurrent(user))
        {
            return new AccessDecision(AccessOutcome.TrainingExpired, "training");
        }

        if (person is null)
        {
            return new AccessDecision(AccessOutcome.NotFound, "none");
        }

        if (person.ProcessingRestricted)
        {
            // Art. 18: while processing is restricted the record is only stored. The DPO may read it (to handle the
            // request) without a working relationship, and the read is audited; nobody else may open it at all.
            return MayReadProcessingRestricted(user, person.OrganisationId)
                ? new AccessDecision(AccessOutcome.Allowed, BasisDataProtectionOfficer)
                : new AccessDecision(AccessOutcome.ProcessingRestricted, "processing_restricted");
        }

        if (person.Restricted && !Permissions.Grants(user.Roles, Permissions.ViewRestrictedRecords))
        {
            return new AccessDecision(AccessOutcome.Restricted, "restricted");
        }

        var now = clock.GetUtcNow();
        var grant = await db.RecordAccessGrants
            .Where(g => g.UserId == user.Id && g.PersonId == person.Id && g.StartsAt <= now && (g.EndsAt == null || g.EndsAt > now))
            .OrderBy(g => g.Basis)
            .FirstOrDefaultAsync(cancellationToken);
        if (grant is not null)
        {
            return new AccessDecision(AccessOutcome.Allowed, grant.Basis);
        }

        if (user.TeamId is not null && person.OwningTeamId == user.TeamId)
        {
            return new AccessDecision(AccessOutcome.Allowed, BasisTeam);
        }

        var breakGlass = await db.BreakGlassEvents.AnyAsync(b => b.UserId == user.Id && b.PersonId == person.Id && b.ExpiresAt > now, cancellationToken);
        if (breakGlass)
        {
            return new AccessDecision(AccessOutcome.Allowed, BasisBreakGlass);
        }

        return new AccessDecision(AccessOutcome.NoRelationship, "none", Permissions.Grants(user.Roles, Permissions.BreakGlass));
    }

    /// <summary>Decides, and records the read (or the refusal) in the audit chain before any data is returned.</summary>
    public async Task<(AccessDecision Decision, Person? Person)> OpenRecordAsync(Guid userId, Guid personId, string purpose, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        var decision = await DecideAsync(user, person, cancellationToken);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return (decision, null);
        }

        await audit.RecordAsync(new AuditEntry(
            decision.Allowed ? AuditActions.PersonRecordViewed : AuditActions.PersonRecordDenied,
            person is null ? [] : [person.Id],
            purpose,
            $"basis {decision.Basis}"), cancellationToken);
        return decision.Allowed ? (decision, person) : (decision, null);
    }

    /// <summary>Name and date of birth only: what a worker without a relationship may know, that the record exists.</summary>
    public async Task<(string Name, DateOnly? DateOfBirth)?> ExistenceAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var row = await db.People.AsNoTracking().Where(p => p.Id == personId && !p.Restricted && !p.ProcessingRestricted)
            .Select(p => new { Name = p.GivenName + " " + p.FamilyName, p.DateOfBirth }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Name, row.DateOfBirth);
    }

    /// <summary>Records emergency access with a reason and flags it to the user's manager. Returns an error message or null.</summary>
    public async Task<string?> BreakGlassAsync(Guid userId, Guid personId, string? reason, CancellationToken cancellationToken = default)
    {
        var reasonError = TextInput.Check(reason, "Reason", 1000, multiline: true);
        if (reasonError is not null)
        {
            return reasonError == "Enter reason" ? "Enter why you need to see this record now" : reasonError;
        }

        if (TextInput.Clean(reason!).Length < 10)
        {
            return "Reason must explain why you need to see this record now (at least 10 characters)";
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        var decision = await DecideAsync(user, person, cancellationToken);
        if (decision.Outcome != AccessOutcome.NoRelationship || !decision.CanBreakGlass)
        {
            return decision.Outcome switch
            {
                AccessOutcome.Allowed => null,
                AccessOutcome.TrainingExpired => "You cannot open records until your data protection training is up to date",
                AccessOutcome.Restricted => "This record is restricted. Ask your manager or the Data Protection Officer",
                AccessOutcome.ProcessingRestricted => "Processing of this record is restricted at the person's request. Only the Data Protection Officer can open it",
                _ => "You cannot use emergency access",
            };
        }

        var now = clock.GetUtcNow();
        Guid? managerId = user.TeamId is null ? null : await db.Teams.Where(t => t.Id == user.TeamId).Select(t => t.ManagerUserId).SingleOrDefaultAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.BreakGlassEvents.Add(new BreakGlassEvent
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            PersonId = person!.Id,
            Reason = TextInput.Clean(reason!),
            CreatedAt = now,
            ExpiresAt = now.AddHours(options.Value.BreakGlassHours),
            ManagerUserId = managerId == user.Id ? null : managerId,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.BreakGlassUsed, [person.Id], TextInput.Clean(reason!), $"flagged to manager {managerId?.ToString() ?? "none"}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>The people a user works with, through allocation, team or an in-date grant. The listing itself is audited.</summary>
    public async Task<IReadOnlyList<CaseloadEntry>> CaseloadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        if (!Permissions.Grants(user.Roles, Permissions.ViewPeople) || !TrainingCurrent(user))
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var canSeeRestricted = Permissions.Grants(user.Roles, Permissions.ViewRestrictedRecords);
        // A record whose processing is restricted is listed only for its organisation's Data Protection Officer.
        var dpoOf = ProcessingRestrictedReadableIn(user.Roles, user.OrganisationId);
        var granted = await (from g in db.RecordAccessGrants
                             join p in db.People on g.PersonId equals p.Id
                             where g.UserId == userId && g.StartsAt <= now && (g.EndsAt == null || g.EndsAt > now)
                                   && (!p.Restricted || canSeeRestricted) && (!p.ProcessingRestricted || p.OrganisationId == dpoOf)
                             select new CaseloadEntry(p.Id, p.GivenName + " " + p.FamilyName, p.DateOfBirth, g.Basis, g.EndsAt))
            .ToListAsync(cancellationToken);
        var team = user.TeamId is null
            ? []
            : await db.People.Where(p => p.OwningTeamId == user.TeamId && (!p.Restricted || canSeeRestricted) && (!p.ProcessingRestricted || p.OrganisationId == dpoOf))
                .Select(p => new CaseloadEntry(p.Id, p.GivenName + " " + p.FamilyName, p.DateOfBirth, BasisTeam, null))
                .ToListAsync(cancellationToken);
        var entries = granted.Concat(team).GroupBy(e => e.PersonId).Select(g => g.First()).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (entries.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.PersonListViewed, entries.Select(e => e.PersonId).ToList(), "caseload"), cancellationToken);
        }

        return entries;
    }

    public async Task<IReadOnlyList<BreakGlassAlert>> AlertsForManagerAsync(Guid managerId, CancellationToken cancellationToken = default)
    {
        var rows = await (from b in db.BreakGlassEvents
                          join u in db.Users on b.UserId equals u.Id
                          join p in db.People on b.PersonId equals p.Id
                          where b.ManagerUserId == managerId
                          orderby b.ReviewedAt != null, b.CreatedAt descending
                          select new BreakGlassAlert(b.Id, u.DisplayName, p.Id, p.GivenName + " " + p.FamilyName, b.Reason, b.CreatedAt, b.ReviewedAt, b.ReviewOutcome))
            .Take(200).ToListAsync(cancellationToken);
        if (rows.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.PersonListViewed, rows.Select(r => r.PersonId).ToList(), "break-glass review"), cancellationToken);
        }

        return rows;
    }

    public async Task<string?> ReviewBreakGlassAsync(Guid managerId, Guid alertId, string? outcome, CancellationToken cancellationToken = default)
    {
        var outcomeError = TextInput.Check(outcome, "Review outcome", 1000, multiline: true);
        if (outcomeError is not null)
        {
            return outcomeError;
        }

        var alert = await db.BreakGlassEvents.SingleOrDefaultAsync(b => b.Id == alertId && b.ManagerUserId == managerId, cancellationToken);
        if (alert is null)
        {
            return "This alert was not found";
        }

        if (alert.ReviewedAt is not null)
        {
            return "This alert has already been reviewed";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        alert.ReviewedAt = clock.GetUtcNow();
        alert.ReviewedByUserId = managerId;
        alert.ReviewOutcome = TextInput.Clean(outcome!);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.BreakGlassReviewed, [alert.PersonId], Details: alert.ReviewOutcome), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
