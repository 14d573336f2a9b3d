using System.Security.Cryptography;
using System.Text;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>What a requester (or a member of staff on their behalf) tells Haven about a request.</summary>
[CollectionPoint("identity")]
public sealed record RightsRequestInput(
    [property: NotPersonalData("An organisation code")] string? Organisation,
    [property: NotPersonalData("Right codes")] IReadOnlyList<string>? Rights,
    [property: NotPersonalData("A relationship code")] string? Relationship,
    [property: Collects("identity.name")] string? RequesterName,
    [property: Collects("identity.contact")] string? RequesterEmail,
    [property: Collects("identity.contact")] string? RequesterPhone,
    [property: Collects("identity.address")] string? RequesterAddress,
    [property: Collects("identity.name")] string? SubjectName,
    [property: Collects("identity.name")] string? SubjectOtherNames,
    [property: Collects("identity.date-of-birth")] DateOnly? SubjectDateOfBirth,
    [property: Collects("identity.address")] string? SubjectAddress,
    [property: Collects("care.contacts")] string? Details,
    [property: NotPersonalData("A channel code")] string? Channel = null,
    [property: NotPersonalData("The date a request arrived")] DateOnly? ReceivedOn = null);

public sealed record SubmittedRequest(Guid Id, string Reference, string StatusCode, DateOnly DueOn, string OrganisationName);

/// <summary>What a requester may see with their reference and status code: nothing about any record.</summary>
public sealed record PublicRequestStatus(string Reference, string OrganisationName, DateOnly ReceivedOn, IReadOnlyList<string> Rights, string Status,
    DateOnly DueOn, bool ClockStopped, string? WaitingFor, DateOnly? ClosedOn);

public sealed record RequestSummary(Guid Id, string Reference, string Organisation, string RequesterName, string SubjectName, IReadOnlyList<string> Rights,
    string Status, DateOnly ReceivedOn, ClockState Clock, string? AssignedTo, DateOnly? ClosedOn);

public sealed record RequestDetail(RightsRequest Request, string OrganisationName, string OrganisationCode, ClockState Clock,
    IReadOnlyList<RightsRequestPause> Pauses, IReadOnlyList<RightsRequestEvent> Events, IReadOnlyList<MatchedSubject> Subjects,
    IReadOnlyList<RightsRequestDecision> Decisions, IReadOnlyList<BundleSummary> Bundles, IReadOnlyList<OutboundMessage> Messages,
    IReadOnlyDictionary<Guid, string> UserNames);

public sealed record MatchedSubject(Guid PersonId, string Name, DateOnly? DateOfBirth, bool ProcessingRestricted);

public sealed record BundleSummary(Guid Id, string Status, DateTimeOffset PreparedAt, string PreparedBy, Guid PreparedByUserId, DateTimeOffset? SignedOffAt,
    string? SignedOffBy, string? ReturnedReason, int EntryCount, int RedactionCount, int WithheldCount, string Sha256);

public static class RightsAuditActions
{
    public const string Received = "rights.request_received";
    public const string Viewed = "rights.request_viewed";
    public const string Listed = "rights.requests_listed";
    public const string IdentityChecked = "rights.identity_checked";
    public const string AuthorityChecked = "rights.authority_checked";
    public const string ClockPaused = "rights.clock_paused";
    public const string ClockResumed = "rights.clock_resumed";
    public const string Extended = "rights.extended";
    public const string Assigned = "rights.assigned";
    public const string SubjectMatched = "rights.subject_matched";
    public const string SubjectUnmatched = "rights.subject_unmatched";
    public const string Closed = "rights.request_closed";
    public const string StatusChecked = "rights.status_checked";
    public const string StatusCheckFailed = "rights.status_check_failed";
    public const string ReminderSent = "rights.reminder_sent";
    public const string RequestsDestroyed = "rights.requests_destroyed";
}

/// <summary>
/// Rights requests from intake to closure: the public form and staff intake, identity and authority checks, the
/// statutory clock (pauses and extension), matching the subject to Haven's records, reminders and closure. Every step
/// is recorded in the request's own history and in the audit chain.
/// </summary>
public sealed class RightsRequestService(HavenDbContext db, AuditWriter audit, RegisterService register, TimeProvider clock)
{
    /// <summary>How long closed requests are kept (their own retention rule): closure plus this many years.</summary>
    public const int KeepClosedYears = 2;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    // ---------------------------------------------------------------- intake

    /// <summary>Validates and records a new request. Staff intake passes the member of staff and may set channel and date.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Errors, SubmittedRequest? Request)> SubmitAsync(RightsRequestInput input, Guid? staffUserId,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        // Organisation codes are the register codes, always lower case.
        var organisationCode = (input.Organisation ?? string.Empty).Trim().ToLowerInvariant();
        var organisation = organisationCode.Length == 0 ? null : await register.OrganisationByCodeAsync(organisationCode, cancellationToken);
        if (organisation is null)
        {
            errors["Organisation"] = string.IsNullOrWhiteSpace(input.Organisation)
                ? "Select the organisation you are asking"
                : "Select one of the organisations in the list";
        }
        else if (staffUserId is { } staff && await db.Users.Where(u => u.Id == staff).Select(u => u.OrganisationId).SingleAsync(cancellationToken) != organisation.Id)
        {
            errors["Organisation"] = "You can record requests only for your own organisation";
        }

        var rights = (input.Rights ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (rights.Count == 0)
        {
            errors["Rights"] = "Select at least one right you want to use";
        }
        else if (rights.FirstOrDefault(r => !RightsCodes.Rights.IsValid(r)) is { } unknown)
        {
            errors["Rights"] = $"“{Shorten(unknown)}” is not one of the rights in the list";
        }

        var relationship = input.Relationship?.Trim();
        if (string.IsNullOrEmpty(relationship))
        {
            errors["Relationship"] = "Select who the request is about";
        }
        else if (!RightsCodes.Relationships.IsValid(relationship))
        {
            errors["Relationship"] = "Select one of the options for who the request is about";
        }

        Check(errors, "RequesterName", input.RequesterName, "Your full name", 200, required: true);
        if (input.RequesterEmail is { Length: > 0 } && TextInput.CheckEmail(input.RequesterEmail) is { } emailError)
        {
            errors["RequesterEmail"] = emailError;
        }

        Check(errors, "RequesterPhone", input.RequesterPhone, "Phone number", 40, required: false);
        Check(errors, "RequesterAddress", input.RequesterAddress, "Postal address", 500, required: false, multiline: true);
        if (string.IsNullOrWhiteSpace(input.RequesterEmail) && string.IsNullOrWhiteSpace(input.RequesterAddress) && !errors.ContainsKey("RequesterAddress"))
        {
            errors["RequesterEmail"] = "Enter an email address or a postal address, so that we can reply";
        }

        var aboutSelf = relationship is RightsCodes.RelationshipSelf or RightsCodes.RelationshipChild;
        var subjectName = aboutSelf && string.IsNullOrWhiteSpace(input.SubjectName) ? input.RequesterName : input.SubjectName;
        Check(errors, "SubjectName", subjectName, "Full name of the person the request is about", 200, required: true);
        Check(errors, "SubjectOtherNames", input.SubjectOtherNames, "Other names", 300, required: false);
        Check(errors, "SubjectAddress", input.SubjectAddress, "Address", 500, required: false, multiline: true);
        Check(errors, "Details", input.Details, "Details of the request", 4000, required: rights.Any(r => r is RightsCodes.Rectification or RightsCodes.Objection),
            multiline: true);
        if (input.SubjectDateOfBirth is { } born && (born > Today || born < Today.AddYears(-120)))
        {
            errors["SubjectDateOfBirth"] = born > Today ? "Date of birth must be in the past" : "Date of birth must be within the last 120 years";
        }

        var channel = staffUserId is null ? RightsCodes.ChannelOnline : input.Channel?.Trim();
        if (string.IsNullOrEmpty(channel) || !RightsCodes.Channels.IsValid(channel))
        {
            errors["Channel"] = "Select how the request arrived";
        }

        var received = staffUserId is null ? Today : input.ReceivedOn ?? Today;
        if (received > Today)
        {
            errors["ReceivedOn"] = "The date the request arrived cannot be in the future";
        }
        else if (received < Today.AddYears(-1))
        {
            errors["ReceivedOn"] = "The date the request arrived must be within the last year";
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var code = NewStatusCode();
        var now = clock.GetUtcNow();
        var request = new RightsRequest
        {
            Id = Guid.NewGuid(),
            Reference = await NewReferenceAsync(received, cancellationToken),
            OrganisationId = organisation!.Id,
            Channel = channel!,
            ReceivedOn = received,
            Rights = rights.ToArray(),
            RequesterName = TextInput.Clean(input.RequesterName!),
            RequesterEmail = Clean(input.RequesterEmail),
            RequesterPhone = Clean(input.RequesterPhone),
            RequesterAddress = Clean(input.RequesterAddress),
            Relationship = relationship!,
            SubjectName = TextInput.Clean(subjectName!),
            SubjectOtherNames = Clean(input.SubjectOtherNames),
            SubjectDateOfBirth = input.SubjectDateOfBirth,
            SubjectAddress = Clean(input.SubjectAddress),
            Details = Clean(input.Details),
            Status = RightsCodes.StatusOpen,
            AuthorityStatus = aboutSelf ? "not_needed" : "not_checked",
            StatusCodeHash = HashCode(code),
            CreatedByUserId = staffUserId,
            CreatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(request);
        var due = StatutoryClock.Evaluate(received, [], 0, Today).DueOn;
        AddEvent(request.Id, staffUserId, "received",
            $"Received by {RightsCodes.Channels.LabelFor(channel)?.ToLowerInvariant()} on {received:d MMMM yyyy}. Rights asked for: {string.Join(", ", rights.Select(RightsCodes.ShortLabel))}. Due {due:d MMMM yyyy}.");
        // Online requesters saw their status code on screen; a request recorded by staff sends it in the acknowledgement.
        var codeLine = staffUserId is null
            ? "You can check its progress on our website with your reference and the status code you were shown when you sent the request."
            : $"You can check its progress on our website (Information rights, Check the progress of your request) with your reference and this status code: {code}";
        QueueToRequester(request, "acknowledgement", $"We have received your request {request.Reference}",
            $"""
            Dear {request.RequesterName},

            {organisation.Name} received your request on {received:d MMMM yyyy}. Its reference is {request.Reference}.

            We will reply by {due:d MMMM yyyy}. If we need proof of your identity, proof that you may act for the person the request is about, or more detail about what you are asking for, we will tell you; the time limit stops until we receive it.

            {codeLine}
            """);

        await db.SaveChangesAsync(cancellationToken);
        // The request is about someone who may or may not be in Haven: no person is named in the audit event yet.
        await audit.RecordAsync(new AuditEntry(RightsAuditActions.Received, [], $"rights request {request.Reference}",
            $"channel {channel}; rights {string.Join(",", rights)}; relationship {relationship}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (errors, new SubmittedRequest(request.Id, request.Reference, code, due, organisation.Name));
    }

    /// <summary>
    /// The status a requester may see. A wrong reference and a wrong code get the same answer (null) after the same
    /// work, so nobody can learn whether someone else's request exists.
    /// </summary>
    public async Task<PublicRequestStatus?> PublicStatusAsync(string? reference, string? code, CancellationToken cancellationToken = default)
    {
        var normalised = (reference ?? string.Empty).Trim().ToUpperInvariant();
        var request = normalised.Length is > 0 and <= 40
            ? await db.Set<RightsRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Reference == normalised, cancellationToken)
            : null;
        var expected = request?.StatusCodeHash ?? DummyHash;
        var matches = CryptographicOperations.FixedTimeEquals(HashCode((code ?? string.Empty).Trim().ToUpperInvariant()), expected) && request is not null;
        if (!matches)
        {
            await audit.RecordAsync(new AuditEntry(RightsAuditActions.StatusCheckFailed, [], "public status check", "reference or code did not match"), cancellationToken);
            return null;
        }

        var pauses = await PausesAsync(request!.Id, cancellationToken);
        var state = StatutoryClock.Evaluate(request.ReceivedOn, pauses.Select(ToClock).ToList(), request.ExtensionMonths, Today);
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == request.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var waiting = pauses.FirstOrDefault(p => p.ResumedOn is null)?.Reason;
        await audit.RecordAsync(new AuditEntry(RightsAuditActions.StatusChecked, [], $"rights request {request.Reference}", "requester checked status"), cancellationToken);
        return new PublicRequestStatus(request.Reference, organisation, request.ReceivedOn, request.Rights.Select(RightsCodes.ShortLabel).ToList(),
            RightsCodes.Statuses.LabelFor(request.Status) ?? request.Status, state.DueOn, state.Stopped,
            waiting is null ? null : RightsCodes.PauseReasons.LabelFor(waiting), request.ClosedOn);
    }

    // ---------------------------------------------------------------- staff views

    /// <summary>Requests the user may handle (their own organisation's), open ones first by days left.</summary>
    public async Task<IReadOnlyList<RequestSummary>> ListAsync(Guid userId, bool includeClosed, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var query = db.Set<RightsRequest>().AsNoTracking().Where(r => r.OrganisationId == user.OrganisationId);
        if (!includeClosed)
        {
            query = query.Where(r => r.ClosedOn == null);
        }

        var requests = await query.OrderBy(r => r.ReceivedOn).Take(2000).ToListAsync(cancellationToken);
        var ids = requests.Select(r => r.Id).ToArray();
        var pauses = (await db.Set<RightsRequestPause>().AsNoTracking().Where(p => ids.Contains(p.RequestId)).ToListAsync(cancellationToken)).ToLookup(p => p.RequestId);
        var names = await UserNamesAsync(requests.Where(r => r.AssignedUserId != null).Select(r => r.AssignedUserId!.Value), cancellationToken);
        var organisationName = await db.Organisations.Where(o => o.Id == user.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var summaries = requests.Select(r => new RequestSummary(r.Id, r.Reference, organisationName, r.RequesterName, r.SubjectName, r.Rights, r.Status, r.ReceivedOn,
                StatutoryClock.Evaluate(r.ReceivedOn, pauses[r.Id].Select(ToClock).ToList(), r.ExtensionMonths, Today),
                r.AssignedUserId is { } a ? names.GetValueOrDefault(a) : null, r.ClosedOn))
            .OrderBy(s => s.ClosedOn is null ? 0 : 1).ThenBy(s => s.ClosedOn is null ? s.Clock.DaysLeft : 0).ThenByDescending(s => s.ClosedOn).ToList();
        await audit.RecordAsync(new AuditEntry(RightsAuditActions.Listed, [], "rights requests dashboard", $"{summaries.Count} requests"), cancellationToken);
        return summaries;
    }

    /// <summary>A request with its history, or null when it does not exist or belongs to another organisation.</summary>
    public async Task<RightsRequest?> FindAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        return await db.Set<RightsRequest>().SingleOrDefaultAsync(r => r.Id == requestId && r.OrganisationId == organisationId, cancellationToken);
    }

    public async Task<RequestDetail?> DetailAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var request = await FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var pauses = await PausesAsync(request.Id, cancellationToken);
        var events = await db.Set<RightsRequestEvent>().AsNoTracking().Where(e => e.RequestId == request.Id).OrderBy(e => e.At).ToListAsync(cancellationToken);
        var subjects = await SubjectsAsync(request.Id, cancellationToken);
        var decisions = await db.Set<RightsRequestDecision>().AsNoTracking().Where(d => d.RequestId == request.Id).OrderBy(d => d.DecidedAt).ToListAsync(cancellationToken);
        var bundles = await db.Set<RightsRequestBundle>().AsNoTracking().Where(b => b.RequestId == request.Id).OrderByDescending(b => b.PreparedAt)
            .Select(b => new { b.Id, b.Status, b.PreparedAt, b.PreparedByUserId, b.SignedOffAt, b.SignedOffByUserId, b.ReturnedReason, b.EntryCount, b.RedactionCount, b.WithheldCount, b.Sha256 })
            .ToListAsync(cancellationToken);
        var messages = await db.Set<OutboundMessage>().AsNoTracking().Where(m => m.RequestId == request.Id).OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken);
        var userIds = events.Where(e => e.UserId != null).Select(e => e.UserId!.Value)
            .Concat(bundles.Select(b => b.PreparedByUserId)).Concat(bundles.Where(b => b.SignedOffByUserId != null).Select(b => b.SignedOffByUserId!.Value))
            .Concat(decisions.Where(d => d.DecidedByUserId != null).Select(d => d.DecidedByUserId!.Value))
            .Concat(request.AssignedUserId is { } assigned ? [assigned] : []);
        var names = await UserNamesAsync(userIds, cancellationToken);
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == request.OrganisationId, cancellationToken);
        await audit.RecordAsync(new AuditEntry(RightsAuditActions.Viewed, subjects.Select(s => s.PersonId).ToList(), $"rights request {request.Reference}"), cancellationToken);
        return new RequestDetail(request, organisation.Name, organisation.ShortName,
            StatutoryClock.Evaluate(request.ReceivedOn, pauses.Select(ToClock).ToList(), request.ExtensionMonths, Today),
            pauses, events, subjects, decisions,
            bundles.Select(b => new BundleSummary(b.Id, b.Status, b.PreparedAt, names.GetValueOrDefault(b.PreparedByUserId, "someone"), b.PreparedByUserId, b.SignedOffAt,
                b.SignedOffByUserId is { } s ? names.GetValueOrDefault(s) : null, b.ReturnedReason, b.EntryCount, b.RedactionCount, b.WithheldCount, b.Sha256)).ToList(),
            messages, names);
    }

    /// <summary>Records of the request's organisation that may be the subject, for staff to confirm. The search is audited.</summary>
    public async Task<IReadOnlyList<SearchCandidate>> CandidatesAsync(Guid userId, Guid requestId, string? name, DateOnly? dateOfBirth,
        CancellationToken cancellationToken = default)
    {
        var request = await FindAsync(userId, requestId, cancellationToken);
        if (request is null || string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var organisationPeople = db.People.Where(p => p.OrganisationId == request.OrganisationId && p.MergedIntoId == null).Select(p => p.Id);
        var candidates = await PersonSearch.CandidatesAsync(db, new SearchQuery(TextInput.Clean(name), dateOfBirth, null, null), 100, cancellationToken);
        var ids = candidates.Select(c => c.Id).ToArray();
        var inOrganisation = await organisationPeople.Where(id => ids.Contains(id)).ToListAsync(cancellationToken);
        var found = candidates.Where(c => inOrganisation.Contains(c.Id) && c.Score >= 0.35).Take(20).ToList();
        await audit.RecordAsync(new AuditEntry(AuditActions.PersonSearched, found.Select(c => c.Id).ToList(), $"rights request {request.Reference}",
            $"search for the subject; {found.Count} results"), cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<MatchedSubject>> SubjectsAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        await (from s in db.Set<RightsRequestSubject>().AsNoTracking()
               join p in db.People on s.PersonId equals p.Id
               where s.RequestId == requestId
               orderby p.FamilyName, p.GivenName
               select new MatchedSubject(p.Id, p.GivenName + " " + p.FamilyName, p.DateOfBirth, p.ProcessingRestricted)).ToListAsync(cancellationToken);

    // ---------------------------------------------------------------- identity, authority, clock

    public Task<IReadOnlyDictionary<string, string>> RecordIdentityAsync(Guid userId, Guid requestId, bool verified, string? method, string? note,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "IdentityMethod", async (request, errors) =>
        {
            if (verified && (string.IsNullOrEmpty(method) || !RightsCodes.IdentityMethods.IsValid(method)))
            {
                errors["IdentityMethod"] = "Select how identity was checked";
            }

            Check(errors, "IdentityNote", note, "Note", 1000, required: !verified, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            request.IdentityStatus = verified ? "verified" : "not_matched";
            request.IdentityMethod = verified ? method : null;
            request.IdentityCheckedByUserId = userId;
            request.IdentityCheckedAt = clock.GetUtcNow();
            await ResumeIfWaitingAsync(request, "identity", userId, cancellationToken);
            return (RightsAuditActions.IdentityChecked, verified
                ? $"Identity confirmed: {RightsCodes.IdentityMethods.LabelFor(method)}.{NoteSuffix(note)}"
                : $"Identity did not match the details given.{NoteSuffix(note)}");
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> RecordAuthorityAsync(Guid userId, Guid requestId, bool verified, string? evidence,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "AuthorityEvidence", async (request, errors) =>
        {
            if (request.AuthorityStatus == "not_needed")
            {
                errors["AuthorityEvidence"] = "This requester is asking about themselves, so no authority is needed";
                return null;
            }

            Check(errors, "AuthorityEvidence", evidence, verified ? "What proves their authority" : "Why their authority is not accepted", 1000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            request.AuthorityStatus = verified ? "verified" : "refused";
            request.AuthorityEvidence = TextInput.Clean(evidence!);
            request.AuthorityCheckedByUserId = userId;
            request.AuthorityCheckedAt = clock.GetUtcNow();
            await ResumeIfWaitingAsync(request, "authority", userId, cancellationToken);
            return (RightsAuditActions.AuthorityChecked, $"{(verified ? "Authority accepted" : "Authority not accepted")}: {request.AuthorityEvidence}");
        }, cancellationToken);

    /// <summary>Stops the clock while Haven waits for identity, authority or clarification, and writes to the requester.</summary>
    public Task<IReadOnlyDictionary<string, string>> PauseAsync(Guid userId, Guid requestId, string? reason, string? note, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "PauseReason", async (request, errors) =>
        {
            if (string.IsNullOrEmpty(reason) || !RightsCodes.PauseReasons.IsValid(reason))
            {
                errors["PauseReason"] = "Select what you are waiting for";
            }

            Check(errors, "PauseNote", note, "What you have asked the requester for", 2000, required: true, multiline: true);
            if (errors.Count == 0 && await db.Set<RightsRequestPause>().AnyAsync(p => p.RequestId == request.Id && p.ResumedOn == null, cancellationToken))
            {
                errors["PauseReason"] = "The clock is already stopped. Record the answer before stopping it again";
            }

            if (errors.Count > 0)
            {
                return null;
            }

            db.Add(new RightsRequestPause { Id = Guid.NewGuid(), RequestId = request.Id, Reason = reason!, Note = TextInput.Clean(note!), PausedOn = Today, PausedByUserId = userId });
            request.Status = RightsCodes.StatusPaused;
            var label = RightsCodes.PauseReasons.LabelFor(reason)!.ToLowerInvariant();
            QueueToRequester(request, "clock_stopped", $"We need {label} for request {request.Reference}",
                $"""
                Dear {request.RequesterName},

                Before we can go on with your request {request.Reference} we need {label}:

                {TextInput.Clean(note!)}

                The time we have to answer stops today and starts again when we receive it.
                """);
            return (RightsAuditActions.ClockPaused, $"Clock stopped: waiting for {label}. {TextInput.Clean(note!)}");
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ResumeAsync(Guid userId, Guid requestId, string? note, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "ResumeNote", async (request, errors) =>
        {
            Check(errors, "ResumeNote", note, "What arrived", 1000, required: true, multiline: true);
            var open = await db.Set<RightsRequestPause>().SingleOrDefaultAsync(p => p.RequestId == request.Id && p.ResumedOn == null, cancellationToken);
            if (open is null)
            {
                errors["ResumeNote"] = "The clock is not stopped";
            }

            if (errors.Count > 0)
            {
                return null;
            }

            open!.ResumedOn = Today;
            request.Status = RightsCodes.StatusOpen;
            return (RightsAuditActions.ClockResumed, $"Clock restarted: {TextInput.Clean(note!)}");
        }, cancellationToken);

    /// <summary>Extends the deadline by one or two months in all; allowed only within the first month, with the requester told.</summary>
    public Task<IReadOnlyDictionary<string, string>> ExtendAsync(Guid userId, Guid requestId, int months, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "ExtensionMonths", async (request, errors) =>
        {
            var state = StatutoryClock.Evaluate(request.ReceivedOn, (await PausesAsync(request.Id, cancellationToken)).Select(ToClock).ToList(), request.ExtensionMonths, Today);
            if (months is < 1 or > 2)
            {
                errors["ExtensionMonths"] = "Select an extension of one or two months";
            }
            else if (request.ExtensionMonths + months > 2)
            {
                errors["ExtensionMonths"] = request.ExtensionMonths == 2
                    ? "This request has already been extended by the two months the law allows"
                    : "A request can be extended by two months at most; it has already been extended by one";
            }
            else if (!state.CanExtend(Today))
            {
                errors["ExtensionMonths"] = $"An extension must be made within the first month, which ended on {state.FirstMonthEndsOn:d MMMM yyyy}";
            }

            Check(errors, "ExtensionReason", reason, "Why the request needs more time", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            request.ExtensionMonths += months;
            request.ExtensionReason = TextInput.Clean(reason!);
            request.ExtensionToldOn = Today;
            var due = StatutoryClock.Evaluate(request.ReceivedOn, (await PausesAsync(request.Id, cancellationToken)).Select(ToClock).ToList(), request.ExtensionMonths, Today).DueOn;
            QueueToRequester(request, "extension", $"More time needed for request {request.Reference}",
                $"""
                Dear {request.RequesterName},

                We need more time to answer your request {request.Reference}, because:

                {request.ExtensionReason}

                The law allows us to extend the time limit by up to two further months when a request is complex or when we have several requests from you. We will now answer by {due:d MMMM yyyy}.

                If you are unhappy with this, you can complain to the Information Commissioner's Office: ico.org.uk/make-a-complaint, 0303 123 1113.
                """);
            return (RightsAuditActions.Extended, $"Extended by {months} month{(months == 1 ? "" : "s")} to {due:d MMMM yyyy}: {request.ExtensionReason}. Requester told today.");
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> AssignAsync(Guid userId, Guid requestId, Guid? assigneeId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "AssignedUserId", async (request, errors) =>
        {
            var assignee = assigneeId is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == assigneeId && u.DisabledAt == null, cancellationToken);
            if (assignee is null || assignee.OrganisationId != request.OrganisationId || !Permissions.Grants(assignee.Roles, Permissions.ManageRights))
            {
                errors["AssignedUserId"] = "Select someone in your organisation who handles rights requests";
                return null;
            }

            request.AssignedUserId = assignee.Id;
            return (RightsAuditActions.Assigned, $"Assigned to {assignee.DisplayName}.");
        }, cancellationToken);

    /// <summary>Links the request to a Haven record found by staff. The record must be in the request's organisation.</summary>
    public Task<IReadOnlyDictionary<string, string>> MatchSubjectAsync(Guid userId, Guid requestId, Guid? personId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "PersonId", async (request, errors) =>
        {
            var person = personId is null ? null : await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId && p.MergedIntoId == null, cancellationToken);
            if (person is null || person.OrganisationId != request.OrganisationId)
            {
                errors["PersonId"] = "There is no record with this number in your organisation";
                return null;
            }

            if (await db.Set<RightsRequestSubject>().AnyAsync(s => s.RequestId == request.Id && s.PersonId == person.Id, cancellationToken))
            {
                errors["PersonId"] = "This record is already linked to the request";
                return null;
            }

            db.Add(new RightsRequestSubject { Id = Guid.NewGuid(), RequestId = request.Id, PersonId = person.Id, MatchedByUserId = userId, MatchedAt = clock.GetUtcNow() });
            return (RightsAuditActions.SubjectMatched, $"Linked to the record of {person.GivenName} {person.FamilyName}.", person.Id);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> UnmatchSubjectAsync(Guid userId, Guid requestId, Guid personId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "PersonId", async (request, errors) =>
        {
            var link = await db.Set<RightsRequestSubject>().SingleOrDefaultAsync(s => s.RequestId == request.Id && s.PersonId == personId, cancellationToken);
            if (link is null)
            {
                errors["PersonId"] = "This record is not linked to the request";
                return null;
            }

            db.Remove(link);
            return (RightsAuditActions.SubjectUnmatched, "A record linked by mistake was unlinked.", personId);
        }, cancellationToken);

    /// <summary>Closes the request: completed, refused with a ground, or withdrawn by the requester.</summary>
    public Task<IReadOnlyDictionary<string, string>> CloseAsync(Guid userId, Guid requestId, string? status, string? ground, string? outcome,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, requestId, "CloseStatus", async (request, errors) =>
        {
            if (status is not (RightsCodes.StatusCompleted or RightsCodes.StatusRefused or RightsCodes.StatusWithdrawn))
            {
                errors["CloseStatus"] = "Select how the request ended";
            }
            else if (status == RightsCodes.StatusRefused && (string.IsNullOrEmpty(ground) || !RightsCodes.RequestRefusals.IsValid(ground)))
            {
                errors["CloseGround"] = "Select the ground for refusing the request";
            }
            else if (status == RightsCodes.StatusCompleted)
            {
                if (request.Rights.Contains(RightsCodes.Access)
                    && !await db.Set<RightsRequestBundle>().AnyAsync(b => b.RequestId == request.Id && b.Status == "signed_off", cancellationToken))
                {
                    errors["CloseStatus"] = "An access request is complete only when its disclosure bundle has been signed off";
                }
                else if (request.Rights.Where(r => r != RightsCodes.Access).FirstOrDefault(r =>
                             !db.Set<RightsRequestDecision>().Any(d => d.RequestId == request.Id && d.RightCode == r)) is { } undecided)
                {
                    errors["CloseStatus"] = $"Record a decision on {RightsCodes.ShortLabel(undecided).ToLowerInvariant()} before completing the request";
                }
            }

            Check(errors, "CloseOutcome", outcome, "What the requester was told", 4000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var open = await db.Set<RightsRequestPause>().SingleOrDefaultAsync(p => p.RequestId == request.Id && p.ResumedOn == null, cancellationToken);
            if (open is not null)
            {
                open.ResumedOn = Today;
            }

            request.Status = status!;
            request.ClosedOn = Today;
            request.Outcome = TextInput.Clean(outcome!);
            var groundText = status == RightsCodes.StatusRefused ? $" Ground: {RightsCodes.RequestRefusals.LabelFor(ground)}." : string.Empty;
            if (status == RightsCodes.StatusRefused)
            {
                QueueToRequester(request, "refusal", $"Your request {request.Reference}",
                    $"""
                    Dear {request.RequesterName},

                    We cannot act on your request {request.Reference}.{groundText}

                    {request.Outcome}

                    You have the right to complain to the Information Commissioner's Office (ico.org.uk/make-a-complaint, 0303 123 1113) and to seek to enforce your rights through the courts.
                    """);
            }

            return (RightsAuditActions.Closed, $"{RightsCodes.Statuses.LabelFor(status)}.{groundText} {request.Outcome}");
        }, cancellationToken);

    /// <summary>Records that a letter (a message to a postal address) was printed and posted. Allowed after closure too.</summary>
    public async Task<string?> MarkPostedAsync(Guid userId, Guid requestId, Guid messageId, CancellationToken cancellationToken = default)
    {
        var request = await FindAsync(userId, requestId, cancellationToken);
        var message = request is null ? null : await db.Set<OutboundMessage>().SingleOrDefaultAsync(m => m.Id == messageId && m.RequestId == request.Id, cancellationToken);
        if (message is null || message.SentAt is not null)
        {
            return "This letter has already been sent, or does not belong to this request";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        message.SentAt = clock.GetUtcNow();
        AddEvent(request!.Id, userId, "letter_posted", $"Letter posted: {message.Subject}.");
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry("rights.letter_posted", [], $"rights request {request.Reference}", message.Kind), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    // ---------------------------------------------------------------- reminders and retention

    /// <summary>
    /// Reminds the assigned officer (or, with nobody assigned, every rights handler of the organisation) when a
    /// request has 7 days left, is due today, or is overdue. Each reminder is sent once.
    /// </summary>
    public async Task<int> SendRemindersAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        var open = await db.Set<RightsRequest>().Where(r => r.ClosedOn == null).ToListAsync(cancellationToken);
        var ids = open.Select(r => r.Id).ToArray();
        var pauses = (await db.Set<RightsRequestPause>().AsNoTracking().Where(p => ids.Contains(p.RequestId)).ToListAsync(cancellationToken)).ToLookup(p => p.RequestId);
        var handlers = (await db.Users.AsNoTracking().Where(u => u.DisabledAt == null).ToListAsync(cancellationToken))
            .Where(u => Permissions.Grants(u.Roles, Permissions.ManageRights)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var request in open)
        {
            var state = StatutoryClock.Evaluate(request.ReceivedOn, pauses[request.Id].Select(ToClock).ToList(), request.ExtensionMonths, Today);
            if (state.Stopped)
            {
                continue;
            }

            var stage = state.DaysLeft < 0 ? $"overdue:{state.DueOn:yyyy-MM-dd}" : state.DaysLeft == 0 ? $"due:{state.DueOn:yyyy-MM-dd}" : state.DaysLeft <= 7 ? $"week:{state.DueOn:yyyy-MM-dd}" : null;
            if (stage is null || request.LastReminder == stage)
            {
                continue;
            }

            var to = handlers.Where(h => request.AssignedUserId is { } a ? h.Id == a : h.OrganisationId == request.OrganisationId).ToList();
            var text = state.DaysLeft < 0
                ? $"Request {request.Reference} is overdue: it was due on {state.DueOn:d MMMM yyyy}."
                : state.DaysLeft == 0 ? $"Request {request.Reference} is due today." : $"Request {request.Reference} is due on {state.DueOn:d MMMM yyyy} ({state.DaysLeft} days left).";
            foreach (var handler in to)
            {
                db.Add(new OutboundMessage
                {
                    Id = Guid.NewGuid(),
                    RequestId = request.Id,
                    Kind = "reminder",
                    Recipient = handler.DisplayName,
                    Address = handler.Email,
                    Subject = $"Reminder: rights request {request.Reference}",
                    Body = text + "\n\nOpen it in Haven: /rights/" + request.Id,
                    CreatedAt = clock.GetUtcNow(),
                });
            }

            request.LastReminder = stage;
            AddEvent(request.Id, null, "reminder", $"{text} Reminder sent to {(to.Count == 0 ? "nobody (no rights handler)" : string.Join(", ", to.Select(h => h.DisplayName)))}.");
            await audit.RecordAsync(new AuditEntry(RightsAuditActions.ReminderSent, [], $"rights request {request.Reference}", stage), cancellationToken);
            sent++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sent;
    }

    /// <summary>Destroys requests closed more than <see cref="KeepClosedYears"/> years before <paramref name="asOf"/>, with everything attached.</summary>
    public async Task<int> DestroyClosedAsync(DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var cutoff = asOf.AddYears(-KeepClosedYears);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.Set<RightsRequest>().Where(r => r.ClosedOn != null && r.ClosedOn < cutoff).Select(r => r.Id).ToArrayAsync(cancellationToken);
        if (ids.Length > 0)
        {
            // Bundles, events, pauses, subjects, redactions, decisions and messages go with the request (ON DELETE CASCADE).
            await db.Set<RightsRequest>().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(RightsAuditActions.RequestsDestroyed, [], "retention of rights requests",
                $"{ids.Length} requests closed before {cutoff:yyyy-MM-dd} destroyed"), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids.Length;
    }

    // ---------------------------------------------------------------- shared

    /// <summary>
    /// Runs one change to an open request in a transaction with its history event and audit event; the step returns
    /// the audit action and the history text (and optionally the person it concerns), or null when it found errors.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ChangeAsync(Guid userId, Guid requestId, string errorField,
        Func<RightsRequest, Dictionary<string, string>, Task<(string Action, string Text, Guid? PersonId)?>> step, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var request = await FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            errors[errorField] = "There is no such request in your organisation";
            return errors;
        }

        if (request.IsClosed)
        {
            errors[errorField] = "This request is closed and can no longer be changed";
            return errors;
        }

        var result = await step(request, errors);
        if (result is null || errors.Count > 0)
        {
            if (errors.Count == 0)
            {
                errors[errorField] = "Nothing was changed";
            }

            return errors;
        }

        AddEvent(request.Id, userId, result.Value.Action, result.Value.Text);
        await db.SaveChangesAsync(cancellationToken);
        var subjects = await db.Set<RightsRequestSubject>().Where(s => s.RequestId == request.Id).Select(s => s.PersonId).ToListAsync(cancellationToken);
        if (result.Value.PersonId is { } person && !subjects.Contains(person))
        {
            subjects.Add(person);
        }

        await audit.RecordAsync(new AuditEntry(result.Value.Action, subjects, $"rights request {request.Reference}", Shorten(result.Value.Text, 500)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }

    private Task<IReadOnlyDictionary<string, string>> ChangeAsync(Guid userId, Guid requestId, string errorField,
        Func<RightsRequest, Dictionary<string, string>, Task<(string Action, string Text)?>> step, CancellationToken cancellationToken) =>
        ChangeAsync(userId, requestId, errorField, async (r, e) => await step(r, e) is { } done ? (done.Action, done.Text, null) : null, cancellationToken);

    public void AddEvent(Guid requestId, Guid? userId, string kind, string text) =>
        db.Add(new RightsRequestEvent { Id = Guid.NewGuid(), RequestId = requestId, At = clock.GetUtcNow(), UserId = userId, Kind = kind, Text = text });

    /// <summary>A letter or email to the requester: by email when they gave one, otherwise a letter to print and post.</summary>
    public void QueueToRequester(RightsRequest request, string kind, string subject, string body) =>
        Queue(request, kind, request.RequesterName, request.RequesterEmail ?? request.RequesterAddress, subject, body);

    public void Queue(RightsRequest request, string kind, string recipient, string? address, string subject, string body) =>
        db.Add(new OutboundMessage
        {
            Id = Guid.NewGuid(),
            RequestId = request.Id,
            Kind = kind,
            Recipient = recipient,
            Address = address,
            Subject = subject,
            Body = body,
            CreatedAt = clock.GetUtcNow(),
        });

    public async Task<IReadOnlyList<RightsRequestPause>> PausesAsync(Guid requestId, CancellationToken cancellationToken) =>
        await db.Set<RightsRequestPause>().AsNoTracking().Where(p => p.RequestId == requestId).OrderBy(p => p.PausedOn).ToListAsync(cancellationToken);

    public static ClockPause ToClock(RightsRequestPause pause) => new(pause.Reason, pause.PausedOn, pause.ResumedOn);

    private async Task ResumeIfWaitingAsync(RightsRequest request, string reason, Guid userId, CancellationToken cancellationToken)
    {
        var open = await db.Set<RightsRequestPause>().SingleOrDefaultAsync(p => p.RequestId == request.Id && p.ResumedOn == null && p.Reason == reason, cancellationToken);
        if (open is not null)
        {
            open.ResumedOn = Today;
            request.Status = RightsCodes.StatusOpen;
            AddEvent(request.Id, userId, RightsAuditActions.ClockResumed, "Clock restarted: the proof asked for has arrived.");
        }
    }

    private async Task<Dictionary<Guid, string>> UserNamesAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var set = ids.Distinct().ToArray();
        return await db.Users.AsNoTracking().Where(u => set.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private async Task<string> NewReferenceAsync(DateOnly received, CancellationToken cancellationToken)
    {
        // Unguessable references: knowing one request's reference says nothing about another's.
        for (var attempt = 0; ; attempt++)
        {
            var reference = $"IR-{received.Year}-{RandomString(6)}";
            if (!await db.Set<RightsRequest>().AnyAsync(r => r.Reference == reference, cancellationToken) || attempt > 5)
            {
                return reference;
            }
        }
    }

    private static string NewStatusCode() => $"{RandomString(4)}-{RandomString(4)}";

    private static string RandomString(int length)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I, which people misread
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    private static readonly byte[] DummyHash = HashCode("not-a-real-code");

    public static byte[] HashCode(string code) => SHA256.HashData(Encoding.UTF8.GetBytes("haven-rights-status:" + code.Trim().ToUpperInvariant()));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : TextInput.Clean(value);

    private static string NoteSuffix(string? note) => string.IsNullOrWhiteSpace(note) ? string.Empty : " " + TextInput.Clean(note);

    private static string Shorten(string value, int length = 40) => value.Length <= length ? value : value[..length] + "…";

    public static void Check(Dictionary<string, string> errors, string field, string? value, string label, int max, bool required, bool multiline = false)
    {
        if (TextInput.Check(value, label, max, required, multiline) is { } error)
        {
            errors.TryAdd(field, error);
        }
    }
}
