using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Retention;

public sealed record ReviewItem(Guid Id, Guid PersonId, string PersonName, DateOnly? DateOfBirth, string Organisation, string RecordType, string RuleCode, DateOnly DueOn, DateTimeOffset QueuedAt);

/// <summary>
/// The human review a rule with the action "review" asks for: a person approves disposal (the next run destroys the
/// record, unless a legal hold covers it by then) or keeps the record longer with a reason and a date.
/// </summary>
public sealed class RetentionReviewService(HavenDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReviewItem>> PendingAsync(CancellationToken cancellationToken = default) =>
        await (from r in db.Set<RetentionReview>().AsNoTracking()
               join p in db.People on r.PersonId equals p.Id
               join o in db.Organisations on r.OrganisationId equals o.Id
               where r.Status == "pending"
               orderby r.DueOn, r.CreatedAt
               select new ReviewItem(r.Id, r.PersonId, p.GivenName + " " + p.FamilyName, p.DateOfBirth, o.Name, r.RecordType, r.RuleCode, r.DueOn, r.CreatedAt))
            .Take(500).ToListAsync(cancellationToken);

    /// <summary>Approves disposal, or (with <paramref name="keepUntil"/>) keeps the record until that date. Errors keyed by field.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DecideAsync(Guid actorId, Guid reviewId, bool approve, string? reason, DateOnly? keepUntil,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var review = await db.Set<RetentionReview>().SingleOrDefaultAsync(r => r.Id == reviewId, cancellationToken);
        if (review is null || review.Status != "pending")
        {
            errors["Decision"] = "This review has already been decided, or the record no longer exists";
            return errors;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (TextInput.Check(reason, "Reason", 1000, required: !approve, multiline: true) is { } reasonError)
        {
            errors["Reason"] = reasonError;
        }

        if (!approve)
        {
            if (keepUntil is null)
            {
                errors["KeepUntil"] = "Enter the date until which the record must be kept";
            }
            else if (keepUntil <= today)
            {
                errors["KeepUntil"] = "The date must be in the future";
            }
            else if (keepUntil > today.AddYears(100))
            {
                errors["KeepUntil"] = "The date must be within 100 years";
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        review.Status = approve ? "approved" : "extended";
        review.DecidedAt = clock.GetUtcNow();
        review.DecidedByUserId = actorId;
        review.Reason = string.IsNullOrWhiteSpace(reason) ? null : TextInput.Clean(reason);
        review.KeepUntil = approve ? null : keepUntil;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(RetentionAuditActions.ReviewDecided, [review.PersonId], "retention",
            approve ? $"review {review.Id}: disposal approved under {review.RuleCode}" : $"review {review.Id}: kept until {keepUntil:yyyy-MM-dd}: {review.Reason}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }
}
