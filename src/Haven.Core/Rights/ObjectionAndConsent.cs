using Haven.Core.Data;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>
/// Objection (UK GDPR Art. 21): upheld, saying what processing stops; or refused on one of the Art. 21(1) grounds with
/// a reason. While it is considered the DPO may restrict the record (RestrictionService.PlaceWhileObjectionConsideredAsync).
/// </summary>
public sealed class ObjectionService(HavenDbContext db, RightsRequestService requests, TimeProvider clock)
{
    public Task<IReadOnlyDictionary<string, string>> DecideAsync(Guid userId, Guid requestId, bool uphold, string? ground, string? processingStops, string? reason,
        CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "Outcome", async (request, errors) =>
        {
            await RightsDecisions.CheckAsync(db, request, RightsCodes.Objection, acting: uphold, errors, "Outcome", cancellationToken);
            if (uphold)
            {
                RightsRequestService.Check(errors, "ProcessingStops", processingStops, "What processing stops", 2000, required: true, multiline: true);
            }
            else if (string.IsNullOrEmpty(ground) || !RightsCodes.ObjectionRefusals.IsValid(ground))
            {
                errors.TryAdd("Ground", "Select the ground for refusing the objection");
            }

            RightsRequestService.Check(errors, "Reason", reason, uphold ? "What the requester is told" : "Why the objection is refused", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var clean = TextInput.Clean(reason!);
            if (uphold)
            {
                var stops = TextInput.Clean(processingStops!);
                RightsDecisions.Add(db, clock, request, userId, RightsCodes.Objection, OtherRightsCodes.Granted, null, clean, new { processingStops = stops });
                requests.QueueToRequester(request, "objection_upheld", $"Your request {request.Reference}: objection",
                    RightsDecisions.Letter(request, $"We have upheld your objection. We have stopped: {stops}\n\n{clean}"));
                return (OtherRightsAuditActions.ObjectionDecided, "Objection upheld: the processing objected to has stopped.", null);
            }

            RightsDecisions.Add(db, clock, request, userId, RightsCodes.Objection, OtherRightsCodes.Refused, ground, clean, null);
            requests.QueueToRequester(request, "objection_refused", $"Your request {request.Reference}: objection",
                RightsDecisions.Letter(request, $"We have decided not to stop using the information. The reason in law is: {RightsCodes.ObjectionRefusals.LabelFor(ground)}.\n\n{clean}\n\n{OtherRightsCodes.ComplaintRight}"));
            return (OtherRightsAuditActions.ObjectionDecided, $"Objection refused. Ground: {RightsCodes.ObjectionRefusals.LabelFor(ground)}.", null);
        }, cancellationToken);
}

public sealed record ConsentView(Guid Id, Guid PersonId, string PersonName, string ServiceCode, string ServiceName, string Purpose, DateOnly GivenOn,
    DateOnly? WithdrawnOn, Guid? WithdrawnRequestId);

/// <summary>Consent the subject gave for processing that relies on it.</summary>
[CollectionPoint("care.contacts")]
public sealed record ConsentInput(
    [property: NotPersonalData("A Haven record number")] Guid? PersonId,
    [property: NotPersonalData("A register service code")] string? ServiceCode,
    [property: NotPersonalData("What the consent is for, in the organisation's words")] string? Purpose,
    [property: NotPersonalData("The date consent was given")] DateOnly? GivenOn);

/// <summary>
/// Consent and its withdrawal (UK GDPR Art. 7(3)). Withdrawing stops the processing that relied on it: the sharing
/// check (DisclosureChecker.CheckForPersonAsync) reads the person's consents, so a withdrawn one no longer allows an
/// overseas transfer that needs consent. Staff can record a consent given, against a service in the register.
/// </summary>
public sealed class ConsentService(HavenDbContext db, RightsRequestService requests, RegisterService register, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Consents of the request's matched subjects, current ones first.</summary>
    public async Task<IReadOnlyList<ConsentView>> ForRequestAsync(Guid requestId, Guid organisationId, CancellationToken cancellationToken = default)
    {
        var rows = await (from c in db.Set<PersonConsent>().AsNoTracking()
                          join s in db.Set<RightsRequestSubject>() on c.PersonId equals s.PersonId
                          join p in db.People on c.PersonId equals p.Id
                          where s.RequestId == requestId && c.OrganisationId == organisationId
                          orderby c.WithdrawnOn != null, c.GivenOn
                          select new { c, Name = p.GivenName + " " + p.FamilyName }).ToListAsync(cancellationToken);
        var services = (await register.InForceAsync(organisationId, cancellationToken: cancellationToken))?.Document.Services.ToDictionary(s => s.Code, s => s.Name)
            ?? [];
        return rows.Select(r => new ConsentView(r.c.Id, r.c.PersonId, r.Name, r.c.ServiceCode, services.GetValueOrDefault(r.c.ServiceCode, r.c.ServiceCode), r.c.Purpose,
            r.c.GivenOn, r.c.WithdrawnOn, r.c.WithdrawnRequestId)).ToList();
    }

    /// <summary>The services of the organisation's register in force, for the "record a consent" form.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> ServicesAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        (await register.InForceAsync(organisationId, cancellationToken: cancellationToken))?.Document.Services.Select(s => (s.Code, s.Name)).ToList() ?? [];

    public Task<IReadOnlyDictionary<string, string>> RecordAsync(Guid userId, Guid requestId, ConsentInput input, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "ConsentPersonId", async (request, errors) =>
        {
            var subject = input.PersonId is { } personId && await db.Set<RightsRequestSubject>().AnyAsync(s => s.RequestId == request.Id && s.PersonId == personId, cancellationToken);
            if (!subject)
            {
                errors["ConsentPersonId"] = "Select the person who gave consent";
            }

            var services = await ServicesAsync(request.OrganisationId, cancellationToken);
            if (string.IsNullOrEmpty(input.ServiceCode) || services.All(s => s.Code != input.ServiceCode))
            {
                errors["ConsentService"] = "Select the service the consent was given to";
            }

            RightsRequestService.Check(errors, "ConsentPurpose", input.Purpose, "What the consent is for", 500, required: true);
            if (input.GivenOn is null)
            {
                errors["ConsentGivenOn"] = "Enter the date consent was given";
            }
            else if (input.GivenOn > Today)
            {
                errors["ConsentGivenOn"] = "The date consent was given cannot be in the future";
            }

            if (errors.Count > 0)
            {
                return null;
            }

            db.Add(new PersonConsent
            {
                Id = Guid.NewGuid(),
                PersonId = input.PersonId!.Value,
                OrganisationId = request.OrganisationId,
                ServiceCode = input.ServiceCode!,
                Purpose = TextInput.Clean(input.Purpose!),
                GivenOn = input.GivenOn!.Value,
                RecordedByUserId = userId,
            });
            return (OtherRightsAuditActions.ConsentRecorded, $"Consent recorded for {services.First(s => s.Code == input.ServiceCode).Name}.", input.PersonId);
        }, cancellationToken);

    /// <summary>Withdraws the chosen consents today; the processing that relied on them stops.</summary>
    public Task<IReadOnlyDictionary<string, string>> WithdrawAsync(Guid userId, Guid requestId, IReadOnlyCollection<Guid> consentIds, string? reason,
        CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "ConsentIds", async (request, errors) =>
        {
            await RightsDecisions.CheckAsync(db, request, RightsCodes.ConsentWithdrawal, acting: true, errors, "ConsentIds", cancellationToken);
            var subjects = db.Set<RightsRequestSubject>().Where(s => s.RequestId == request.Id).Select(s => s.PersonId);
            var active = await db.Set<PersonConsent>().Where(c => subjects.Contains(c.PersonId) && c.OrganisationId == request.OrganisationId && c.WithdrawnOn == null)
                .ToListAsync(cancellationToken);
            var chosen = active.Where(c => consentIds.Contains(c.Id)).ToList();
            if (errors.Count == 0 && (consentIds.Count == 0 || chosen.Count != consentIds.Distinct().Count()))
            {
                errors["ConsentIds"] = active.Count == 0
                    ? "The person has no consent in force to withdraw. Record the consent they gave first, or tell the requester that nothing relies on their consent"
                    : consentIds.Count == 0 ? "Select the consents the person withdraws" : "Select only consents listed on this page that are still in force";
            }

            RightsRequestService.Check(errors, "Reason", reason, "What the requester is told", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            foreach (var consent in chosen)
            {
                consent.WithdrawnOn = Today;
                consent.WithdrawnRequestId = request.Id;
            }

            var clean = TextInput.Clean(reason!);
            RightsDecisions.Add(db, clock, request, userId, RightsCodes.ConsentWithdrawal, OtherRightsCodes.Granted, null, clean, new { withdrawn = chosen.Count });
            requests.QueueToRequester(request, "consent_withdrawn", $"Your request {request.Reference}: consent withdrawn",
                RightsDecisions.Letter(request, $"We have recorded that consent is withdrawn from today for: {string.Join("; ", chosen.Select(c => c.Purpose))}. We have stopped the processing that relied on it.\n\n{clean}"));
            return (OtherRightsAuditActions.ConsentWithdrawn, $"{chosen.Count} consent(s) withdrawn; processing that relied on them has stopped.", null);
        }, cancellationToken);
}
