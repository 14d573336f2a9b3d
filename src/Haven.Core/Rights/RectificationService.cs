using System.Globalization;
using System.Text;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>What the subject says is wrong: which record, which information, what it says now and what it should say.</summary>
public sealed record RectificationInput(Guid? PersonId, string? Field, string? Information, string? CurrentValue, string? ProposedValue);

/// <summary>The decision: which items were corrected (the rest are refused), whether to apply core-field corrections directly, the reason, and the subject's statement.</summary>
public sealed record RectificationDecisionInput(IReadOnlyCollection<Guid> CorrectedItemIds, bool ApplyDirectly, string? Reason, string? Statement);

public sealed record RectificationResult(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> RecipientsTold);

/// <summary>
/// Rectification (UK GDPR Art. 16 and 19): record what is said to be wrong, then decide. Corrections to name, date of
/// birth and contact details can be applied directly; anything else is corrected by a worker through the record's own
/// pages. Every recipient the subject's data was disclosed to (the disclosure log) is sent a notice of the correction,
/// and the requester is told who was told. A refusal can add the subject's statement to the record.
/// </summary>
public sealed class RectificationService(HavenDbContext db, RightsRequestService requests, TimeProvider clock)
{
    public static readonly IReadOnlySet<string> CoreFields = new HashSet<string>(StringComparer.Ordinal) { "given_name", "family_name", "date_of_birth", "phone", "email" };

    public async Task<IReadOnlyList<RectificationItem>> ItemsAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        await db.Set<RectificationItem>().AsNoTracking().Where(i => i.RequestId == requestId).OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ProposeAsync(Guid userId, Guid requestId, RectificationInput input, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "PersonId", async (request, errors) =>
        {
            if (!request.Rights.Contains(RightsCodes.Rectification))
            {
                errors["PersonId"] = "This request does not ask for rectification";
                return null;
            }

            if (await db.Set<RightsRequestDecision>().AnyAsync(d => d.RequestId == request.Id && d.RightCode == RightsCodes.Rectification, cancellationToken))
            {
                errors["PersonId"] = "Rectification has already been decided for this request";
                return null;
            }

            var person = input.PersonId is { } personId
                ? await (from s in db.Set<RightsRequestSubject>()
                         join p in db.People on s.PersonId equals p.Id
                         where s.RequestId == request.Id && p.Id == personId
                         select p).SingleOrDefaultAsync(cancellationToken)
                : null;
            if (person is null)
            {
                errors["PersonId"] = "Select the record the correction is about";
            }

            if (string.IsNullOrEmpty(input.Field) || !OtherRightsCodes.RectificationFields.IsValid(input.Field))
            {
                errors["Field"] = "Select what information is said to be wrong";
            }

            RightsRequestService.Check(errors, "Information", input.Information, "Where the information is", 500, required: input.Field == "other", multiline: true);
            RightsRequestService.Check(errors, "CurrentValue", input.CurrentValue, "What it says now", 2000, required: false, multiline: true);
            RightsRequestService.Check(errors, "ProposedValue", input.ProposedValue, "What it should say", 2000, required: true, multiline: true);
            if (errors.Count == 0 && CoreFields.Contains(input.Field!) && CheckCoreValue(input.Field!, TextInput.Clean(input.ProposedValue!)) is { } valueError)
            {
                errors["ProposedValue"] = valueError;
            }

            if (errors.Count > 0)
            {
                return null;
            }

            var label = OtherRightsCodes.RectificationFields.LabelFor(input.Field)!;
            db.Add(new RectificationItem
            {
                Id = Guid.NewGuid(),
                RequestId = request.Id,
                PersonId = person!.Id,
                Field = input.Field!,
                Information = string.IsNullOrWhiteSpace(input.Information) ? label : TextInput.Clean(input.Information),
                CurrentValue = string.IsNullOrWhiteSpace(input.CurrentValue) ? CurrentValue(person, input.Field!) : TextInput.Clean(input.CurrentValue),
                ProposedValue = TextInput.Clean(input.ProposedValue!),
                CreatedByUserId = userId,
                CreatedAt = clock.GetUtcNow(),
            });
            // The history and the audit say what kind of information, never the values.
            return (OtherRightsAuditActions.RectificationProposed, $"Correction asked for: {label.ToLowerInvariant()}.", person.Id);
        }, cancellationToken);

    public async Task<RectificationResult> DecideAsync(Guid userId, Guid requestId, RectificationDecisionInput input, CancellationToken cancellationToken = default)
    {
        List<string> told = [];
        var errors = await requests.ChangeAsync(userId, requestId, "CorrectedItemIds", async (request, errors) =>
        {
            var items = await db.Set<RectificationItem>().Where(i => i.RequestId == request.Id && i.Status == "proposed").OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
            var corrected = items.Where(i => input.CorrectedItemIds.Contains(i.Id)).ToList();
            await RightsDecisions.CheckAsync(db, request, RightsCodes.Rectification, acting: corrected.Count > 0, errors, "CorrectedItemIds", cancellationToken);
            if (errors.Count == 0 && items.Count == 0)
            {
                errors["CorrectedItemIds"] = "Record what the person says is wrong before deciding";
            }
            else if (errors.Count == 0 && input.CorrectedItemIds.Any(id => items.All(i => i.Id != id)))
            {
                errors["CorrectedItemIds"] = "Select only corrections listed on this page";
            }

            RightsRequestService.Check(errors, "Reason", input.Reason, corrected.Count > 0 ? "What was corrected, as told to the requester" : "Why the correction is refused",
                2000, required: true, multiline: true);
            RightsRequestService.Check(errors, "Statement", input.Statement, "The person's statement", 4000, required: false, multiline: true);
            if (!string.IsNullOrWhiteSpace(input.Statement) && corrected.Count == items.Count && items.Count > 0)
            {
                errors["Statement"] = "A statement is added only when a correction is refused";
            }

            var people = await db.People.Where(p => items.Select(i => i.PersonId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            var toApply = input.ApplyDirectly ? corrected.Where(i => CoreFields.Contains(i.Field)).ToList() : [];
            if (toApply.Any(i => people[i.PersonId].ProcessingRestricted))
            {
                errors.TryAdd("CorrectedItemIds", "Processing of this record is restricted, so it cannot be changed. Tell the person and lift the restriction before applying the correction");
            }

            if (errors.Count > 0)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            foreach (var item in items)
            {
                item.Status = corrected.Contains(item) ? "corrected" : "refused";
                item.DecidedByUserId = userId;
                item.DecidedAt = now;
            }

            foreach (var item in toApply)
            {
                Apply(people[item.PersonId], item.Field, item.ProposedValue);
                people[item.PersonId].UpdatedAt = now;
                item.Applied = true;
            }

            var reason = TextInput.Clean(input.Reason!);
            var refused = items.Except(corrected).ToList();
            if (!string.IsNullOrWhiteSpace(input.Statement))
            {
                foreach (var personId in refused.Select(i => i.PersonId).Distinct())
                {
                    db.Add(new RecordStatement
                    {
                        Id = Guid.NewGuid(),
                        PersonId = personId,
                        RequestId = request.Id,
                        Text = TextInput.Clean(input.Statement),
                        CreatedAt = now,
                        CreatedByUserId = userId,
                    });
                }
            }

            // Art. 19: every recipient the corrected person's data was disclosed to is told, one notice each.
            var correctedPeople = corrected.Select(i => i.PersonId).Distinct().ToArray();
            var disclosures = await db.Set<Disclosure>().AsNoTracking().Where(d => correctedPeople.Contains(d.PersonId)).ToListAsync(cancellationToken);
            var recipients = disclosures.GroupBy(d => (d.RecipientCode, d.RecipientName, d.RecipientAddress)).OrderBy(g => g.Key.RecipientName, StringComparer.Ordinal).ToList();
            foreach (var recipient in recipients)
            {
                var body = new StringBuilder();
                body.AppendLine(CultureInfo.InvariantCulture, $"Dear {recipient.Key.RecipientName},").AppendLine();
                foreach (var personGroup in recipient.GroupBy(d => d.PersonId))
                {
                    var person = people[personGroup.Key];
                    body.AppendLine(CultureInfo.InvariantCulture,
                        $"We shared information about {person.GivenName} {person.FamilyName} with you on {string.Join(", ", personGroup.Select(d => d.DisclosedOn).Distinct().Order().Select(d => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)))}. Some of it was wrong and has been corrected:");
                    foreach (var item in corrected.Where(i => i.PersonId == personGroup.Key))
                    {
                        body.AppendLine(CultureInfo.InvariantCulture, $"- {item.Information}: the correct information is \"{item.ProposedValue}\"");
                    }

                    body.AppendLine();
                }

                body.Append("Please correct your own records. We are telling you because the law requires us to tell everyone we shared the information with (UK GDPR Article 19).");
                requests.Queue(request, "rectification_notice", recipient.Key.RecipientName, recipient.Key.RecipientAddress,
                    $"Correction to information shared with you (our reference {request.Reference})", body.ToString());
            }

            told = recipients.Select(r => r.Key.RecipientName).ToList();
            var outcome = corrected.Count == 0 ? OtherRightsCodes.Refused : refused.Count == 0 ? OtherRightsCodes.Granted : OtherRightsCodes.Partly;
            RightsDecisions.Add(db, clock, request, userId, RightsCodes.Rectification, outcome, null, reason,
                new { corrected = corrected.Count, refused = refused.Count, appliedDirectly = toApply.Count, statementAdded = !string.IsNullOrWhiteSpace(input.Statement), recipientsTold = told });
            var recipientsText = told.Count == 0 ? "We have no record of sharing this information with anyone else." : $"We have told everyone we shared it with: {string.Join(", ", told)}.";
            var statementText = string.IsNullOrWhiteSpace(input.Statement) ? string.Empty : "\n\nYour statement that you dispute the accuracy of the record has been added to it and will be shown with it.";
            requests.QueueToRequester(request, "rectification_decision", $"Your request {request.Reference}: correction",
                RightsDecisions.Letter(request, outcome switch
                {
                    OtherRightsCodes.Refused => $"We have decided not to correct the information, because:\n\n{reason}{statementText}\n\n{OtherRightsCodes.ComplaintRight}",
                    OtherRightsCodes.Partly => $"We have corrected some of the information, but not all of it:\n\n{reason}\n\n{recipientsText}{statementText}\n\n{OtherRightsCodes.ComplaintRight}",
                    _ => $"We have corrected the information:\n\n{reason}\n\n{recipientsText}",
                }));
            return (OtherRightsAuditActions.RectificationDecided,
                $"Rectification {OtherRightsCodes.Outcomes.LabelFor(outcome)!.ToLowerInvariant()}: {corrected.Count} corrected ({toApply.Count} applied directly), {refused.Count} refused; {told.Count} recipient(s) told.",
                null);
        }, cancellationToken);
        return new RectificationResult(errors, errors.Count == 0 ? told : []);
    }

    private static string? CurrentValue(Person person, string field) => field switch
    {
        "given_name" => person.GivenName,
        "family_name" => person.FamilyName,
        "date_of_birth" => person.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "phone" => person.Phone,
        "email" => person.Email,
        _ => null,
    };

    private static string? CheckCoreValue(string field, string value) => field switch
    {
        "given_name" => TextInput.Check(value, "First name", 100),
        "family_name" => TextInput.Check(value, "Last name", 100),
        "phone" => TextInput.Check(value, "Phone number", 40),
        "email" => TextInput.CheckEmail(value),
        "date_of_birth" => !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? "Enter the correct date of birth as year-month-day, for example 2014-03-27"
            : date > DateOnly.FromDateTime(DateTime.UtcNow) ? "Date of birth must be in the past" : null,
        _ => null,
    };

    private static void Apply(Person person, string field, string value)
    {
        switch (field)
        {
            case "given_name": person.GivenName = value; break;
            case "family_name": person.FamilyName = value; break;
            case "date_of_birth": person.DateOfBirth = DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture); person.DateOfBirthEstimated = false; break;
            case "phone": person.Phone = value; break;
            case "email": person.Email = value; break;
        }
    }
}
