using System.Text.Json;
using Haven.Core.Data;
using Haven.Core.People;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>Audit actions of the rights other than access. Details never carry the values in a record, only what happened.</summary>
public static class OtherRightsAuditActions
{
    public const string RectificationProposed = "rights.rectification_proposed";
    public const string RectificationDecided = "rights.rectification_decided";
    public const string ErasureDecided = "rights.erasure_decided";
    public const string ErasureRefusedHeld = "rights.erasure_refused_held";
    public const string RestrictionPlaced = "rights.restriction_placed";
    public const string RestrictionRefused = "rights.restriction_refused";
    public const string RestrictionSubjectTold = "rights.restriction_subject_told";
    public const string RestrictionLifted = "rights.restriction_lifted";
    public const string RestrictionsListed = "rights.restrictions_listed";
    public const string ObjectionDecided = "rights.objection_decided";
    public const string ConsentRecorded = "rights.consent_recorded";
    public const string ConsentWithdrawn = "rights.consent_withdrawn";
    public const string PortabilityDecided = "rights.portability_decided";
    public const string PortabilityDownloaded = "rights.portability_downloaded";
}

/// <summary>The codes of the decision forms: outcomes, and the fields of a record a rectification may apply directly.</summary>
public static class OtherRightsCodes
{
    public const string Granted = "granted";
    public const string Partly = "partly";
    public const string Refused = "refused";

    /// <summary>The rights decided on /rights/{id}/decide/{right}, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Decidable =
    [
        RightsCodes.Rectification, RightsCodes.Erasure, RightsCodes.Restriction, RightsCodes.Objection, RightsCodes.ConsentWithdrawal, RightsCodes.Portability,
    ];

    public static readonly CodeList RectificationFields = new("Information said to be wrong",
    [
        new("given_name", "First name"),
        new("family_name", "Last name"),
        new("date_of_birth", "Date of birth"),
        new("phone", "Phone number"),
        new("email", "Email address"),
        new("other", "Something else in the record (corrected through the record's own pages)"),
    ]);

    public static readonly CodeList Outcomes = new("Outcome",
    [
        new(Granted, "Granted"),
        new(Partly, "Partly granted"),
        new(Refused, "Refused"),
    ]);

    /// <summary>The ICO complaint sentence every refusal letter carries (Art. 12(4)).</summary>
    public const string ComplaintRight =
        "You have the right to complain to the Information Commissioner's Office (ico.org.uk/make-a-complaint, 0303 123 1113) and to seek to enforce your rights through the courts.";
}

/// <summary>Checks and writes shared by every decision: one decision row per right, recorded once, with the requester's identity confirmed before acting.</summary>
public static class RightsDecisions
{
    /// <summary>
    /// Adds an error to <paramref name="field"/> when the right cannot be decided on this request now: not asked for,
    /// already decided, or (when acting on it) identity or authority not yet established.
    /// </summary>
    public static async Task CheckAsync(HavenDbContext db, RightsRequest request, string right, bool acting, Dictionary<string, string> errors, string field,
        CancellationToken cancellationToken)
    {
        var label = RightsCodes.ShortLabel(right).ToLowerInvariant();
        if (!request.Rights.Contains(right))
        {
            errors.TryAdd(field, $"This request does not ask for {label}");
        }
        else if (await db.Set<RightsRequestDecision>().AnyAsync(d => d.RequestId == request.Id && d.RightCode == right, cancellationToken))
        {
            errors.TryAdd(field, $"A decision on {label} has already been recorded for this request");
        }
        else if (acting && request.IdentityStatus != "verified")
        {
            errors.TryAdd(field, "Confirm the requester's identity on the request page before acting on the request");
        }
        else if (acting && request.AuthorityStatus is not ("not_needed" or "verified"))
        {
            errors.TryAdd(field, "Confirm that the requester may act for the person before acting on the request");
        }
    }

    public static RightsRequestDecision Add(HavenDbContext db, TimeProvider clock, RightsRequest request, Guid userId, string right, string outcome, string? ground,
        string reason, object? details)
    {
        var decision = new RightsRequestDecision
        {
            Id = Guid.NewGuid(),
            RequestId = request.Id,
            RightCode = right,
            Outcome = outcome,
            Ground = ground,
            Reason = reason,
            Details = details is null ? null : JsonSerializer.Serialize(details, JsonOptions),
            DecidedByUserId = userId,
            DecidedAt = clock.GetUtcNow(),
        };
        db.Add(decision);
        return decision;
    }

    /// <summary>The matched subjects' records, tracked, for changes. Merged-away records are not subjects.</summary>
    public static async Task<List<Data.Entities.Person>> SubjectPeopleAsync(HavenDbContext db, Guid requestId, CancellationToken cancellationToken) =>
        await (from s in db.Set<RightsRequestSubject>()
               join p in db.People on s.PersonId equals p.Id
               where s.RequestId == requestId && p.MergedIntoId == null
               orderby p.FamilyName, p.GivenName
               select p).ToListAsync(cancellationToken);

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static string Letter(RightsRequest request, string body) =>
        $"""
        Dear {request.RequesterName},

        {body}
        """;
}
