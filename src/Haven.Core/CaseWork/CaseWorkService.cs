using System.Globalization;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.CaseWork;

[CollectionPoint("care.contacts")]
public sealed record NoteInput(string? ContactType, DateOnly? ContactDate, string? ContactTime, string? Participants, string? ParticipantRecordNumbers,
    string? Text, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

[CollectionPoint("care.concerns")]
public sealed record WorryInput(string? Kind, string? Text, DateOnly? RecordedOn, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

[CollectionPoint("care.assessments")]
public sealed record PlanInput(string? PlanType, DateOnly? StartedOn, DateOnly? CompletedOn, DateOnly? ReviewOn, string? Outcome, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

[CollectionPoint("care.services")]
public sealed record ServiceInput(string? Name, string? Provider, DateOnly? FromDate, DateOnly? ToDate, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

[CollectionPoint("criminal.offences")]
public sealed record OffenceInput(string? Description, string? Status, DateOnly? OffenceDate, [property: Collects("criminal.proceedings")] string? Proceedings,
    [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

/// <summary>The outcome of adding an entry: field-keyed errors (nothing stored), or the new entry's id. With validateOnly, nothing is stored either way.</summary>
public sealed record CaseWorkResult(IReadOnlyDictionary<string, string> Errors, Guid? Id)
{
    public bool Saved => Id is not null && Errors.Count == 0;
}

/// <summary>An offence with its sealed values opened.</summary>
public sealed record OffenceView(Guid Id, string Description, string Status, DateOnly? OffenceDate, string? Proceedings, string Source, DateTimeOffset CreatedAt);

/// <summary>A document without its content.</summary>
public sealed record DocumentSummary(Guid Id, string? Title, string FileName, string Kind, long SizeBytes, string Source, DateTimeOffset CreatedAt);

/// <summary>Everything recorded as case work about one person, newest first, with the names of who recorded it.</summary>
public sealed record CaseWorkView(
    IReadOnlyList<CaseNote> Notes,
    IReadOnlyList<CaseWorry> Worries,
    IReadOnlyList<CasePlan> Plans,
    IReadOnlyList<CaseService> Services,
    IReadOnlyList<OffenceView> Offences,
    IReadOnlyList<DocumentSummary> Documents,
    IReadOnlyDictionary<Guid, string> RecordedBy)
{
    public string RecordedByName(Guid userId) => RecordedBy.GetValueOrDefault(userId, "Unknown");
}

/// <summary>
/// Case notes and contacts, worries and strengths, assessments and plans, services and offences. Callers decide access
/// first (RecordAccessService.OpenRecordAsync, and Permissions.RecordPeople for changes); every change is audited here
/// with the person's id, in the same transaction as the change.
/// </summary>
public sealed class CaseWorkService(HavenDbContext db, AuditWriter audit, FieldCipher cipher, CollectionGuard guard, TimeProvider clock)
{
    public const string OffencePurpose = "casework.offence";
    public const int NoteMaxLength = 20_000;
    public const int EntryMaxLength = 4_000;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Reads every entry for a person. Opening offence values is itself recorded in the audit chain.</summary>
    public async Task<CaseWorkView> GetAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var notes = await db.Set<CaseNote>().AsNoTracking().Where(n => n.PersonId == personId)
            .OrderByDescending(n => n.ContactDate).ThenByDescending(n => n.ContactTime).ThenByDescending(n => n.CreatedAt).ToListAsync(cancellationToken);
        var worries = await db.Set<CaseWorry>().AsNoTracking().Where(w => w.PersonId == personId)
            .OrderByDescending(w => w.RecordedOn).ThenByDescending(w => w.CreatedAt).ToListAsync(cancellationToken);
        var plans = await db.Set<CasePlan>().AsNoTracking().Where(p => p.PersonId == personId)
            .OrderByDescending(p => p.StartedOn).ThenByDescending(p => p.CreatedAt).ToListAsync(cancellationToken);
        var services = await db.Set<CaseService>().AsNoTracking().Where(s => s.PersonId == personId)
            .OrderByDescending(s => s.FromDate).ThenByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var offenceRows = await db.Set<CaseOffence>().AsNoTracking().Where(o => o.PersonId == personId)
            .OrderByDescending(o => o.CreatedAt).ToListAsync(cancellationToken);
        var documents = await db.Set<CaseDocument>().AsNoTracking().Where(d => d.PersonId == personId)
            .OrderByDescending(d => d.CreatedAt)
            .Select(d => new DocumentSummary(d.Id, d.Title, d.FileName, d.Kind, d.SizeBytes, d.Source, d.CreatedAt))
            .ToListAsync(cancellationToken);

        var offences = new List<OffenceView>();
        foreach (var o in offenceRows)
        {
            var date = await cipher.OpenAsync(organisationId, OffencePurpose, o.OffenceDateSealed, cancellationToken);
            offences.Add(new OffenceView(o.Id,
                (await cipher.OpenAsync(organisationId, OffencePurpose, o.DescriptionSealed, cancellationToken))!,
                (await cipher.OpenAsync(organisationId, OffencePurpose, o.StatusSealed, cancellationToken))!,
                date is null ? null : DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                await cipher.OpenAsync(organisationId, OffencePurpose, o.ProceedingsSealed, cancellationToken),
                o.Source, o.CreatedAt));
        }

        if (offences.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(CaseWorkAuditActions.OffencesViewed, [personId], "case work", $"{offences.Count} offence entries opened"), cancellationToken);
        }

        var userIds = notes.Select(n => n.CreatedByUserId).Concat(worries.Select(w => w.CreatedByUserId)).Concat(plans.Select(p => p.CreatedByUserId))
            .Concat(services.Select(s => s.CreatedByUserId)).Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return new CaseWorkView(notes, worries, plans, services, offences, documents, names);
    }

    public async Task<CaseWorkResult> AddNoteAsync(Guid actorId, Guid personId, NoteInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Errors();
        errors.Add("ContactType", ReferenceData.ContactTypes.Check(input.ContactType, "Type of contact"));
        if (input.ContactDate is null)
        {
            errors.Add("ContactDate", "Enter the date of the contact");
        }
        else
        {
            errors.Add("ContactDate", PastDate(input.ContactDate.Value, "Date of the contact"));
        }

        var (time, timeError) = ParseTime(input.ContactTime);
        errors.Add("ContactTime", timeError);
        errors.Add("Participants", TextInput.Check(input.Participants, "Who took part", 2000, required: false, multiline: true));
        var (participantIds, participantsError) = await ParticipantsAsync(personId, input.ParticipantRecordNumbers, cancellationToken);
        errors.Add("ParticipantRecordNumbers", participantsError);
        errors.Add("Text", TextInput.Check(input.Text, "Note", NoteMaxLength, multiline: true));
        errors.Add("Source", ReferenceData.InformationSources.Check(input.Source, "Source of information"));
        errors.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors.Items, null);
        }

        var note = Stamp(new CaseNote
        {
            ContactType = input.ContactType!,
            ContactDate = input.ContactDate!.Value,
            ContactTime = time,
            Participants = Clean(input.Participants),
            ParticipantPersonIds = participantIds,
            Text = TextInput.Clean(input.Text!),
        }, actorId, personId, input.Source!);
        return await SaveAsync(note, CaseWorkAuditActions.NoteAdded, $"{note.ContactType} on {note.ContactDate:yyyy-MM-dd}", cancellationToken);
    }

    public async Task<CaseWorkResult> AddWorryAsync(Guid actorId, Guid personId, WorryInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Errors();
        errors.Add("Kind", CaseWorkLists.WorryKinds.Check(input.Kind, "Whether this is a worry, what is working well or a next step"));
        errors.Add("Text", TextInput.Check(input.Text, "Description", EntryMaxLength, multiline: true));
        errors.Add("RecordedOn", input.RecordedOn is { } on ? PastDate(on, "Date") : "Enter the date");
        errors.Add("Source", ReferenceData.InformationSources.Check(input.Source, "Source of information"));
        errors.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors.Items, null);
        }

        var worry = Stamp(new CaseWorry { Kind = input.Kind!, Text = TextInput.Clean(input.Text!), RecordedOn = input.RecordedOn!.Value }, actorId, personId, input.Source!);
        return await SaveAsync(worry, CaseWorkAuditActions.WorryAdded, worry.Kind, cancellationToken);
    }

    public async Task<CaseWorkResult> AddPlanAsync(Guid actorId, Guid personId, PlanInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Errors();
        errors.Add("PlanType", CaseWorkLists.PlanTypes.Check(input.PlanType, "Type of assessment or plan"));
        if (input.StartedOn is not { } start)
        {
            errors.Add("StartedOn", "Enter the start date");
        }
        else
        {
            errors.Add("StartedOn", PastDate(start, "Start date"));
            if (input.CompletedOn is { } completed)
            {
                errors.Add("CompletedOn", completed < start ? "Completion date must be the same as or after the start date"
                    : completed > Today ? "Completion date must be today or in the past" : null);
            }

            if (input.ReviewOn is { } review && review <= start)
            {
                errors.Add("ReviewOn", "Review date must be after the start date");
            }
        }

        errors.Add("Outcome", TextInput.Check(input.Outcome, "Outcome or summary", EntryMaxLength, required: false, multiline: true));
        errors.Add("Source", ReferenceData.InformationSources.Check(input.Source, "Source of information"));
        errors.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors.Items, null);
        }

        var plan = Stamp(new CasePlan
        {
            PlanType = input.PlanType!,
            StartedOn = input.StartedOn!.Value,
            CompletedOn = input.CompletedOn,
            ReviewOn = input.ReviewOn,
            Outcome = Clean(input.Outcome),
        }, actorId, personId, input.Source!);
        return await SaveAsync(plan, CaseWorkAuditActions.PlanAdded, plan.PlanType, cancellationToken);
    }

    public async Task<CaseWorkResult> AddServiceAsync(Guid actorId, Guid personId, ServiceInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Errors();
        errors.Add("Name", TextInput.Check(input.Name, "Service or event", 200));
        errors.Add("Provider", TextInput.Check(input.Provider, "Provider", 200, required: false));
        if (input.FromDate is not { } from)
        {
            errors.Add("FromDate", "Enter the date the service or event started");
        }
        else if (input.ToDate is { } to && to < from)
        {
            errors.Add("ToDate", "End date must be the same as or after the start date");
        }

        errors.Add("Source", ReferenceData.InformationSources.Check(input.Source, "Source of information"));
        errors.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors.Items, null);
        }

        var service = Stamp(new CaseService
        {
            Name = TextInput.Clean(input.Name!),
            Provider = Clean(input.Provider),
            FromDate = input.FromDate!.Value,
            ToDate = input.ToDate,
        }, actorId, personId, input.Source!);
        return await SaveAsync(service, CaseWorkAuditActions.ServiceAdded, null, cancellationToken);
    }

    public async Task<CaseWorkResult> AddOffenceAsync(Guid actorId, Guid personId, OffenceInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Errors();
        errors.Add("Description", TextInput.Check(input.Description, "Offence", 2000, multiline: true));
        errors.Add("Status", CaseWorkLists.OffenceStatuses.Check(input.Status, "Whether the offence is alleged or proven"));
        if (input.OffenceDate is { } date)
        {
            errors.Add("OffenceDate", PastDate(date, "Date of the offence"));
        }

        errors.Add("Proceedings", TextInput.Check(input.Proceedings, "Proceedings, outcome or sentence", EntryMaxLength, required: false, multiline: true));
        errors.Add("Source", ReferenceData.InformationSources.Check(input.Source, "Source of information"));
        errors.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors.Items, null);
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var offence = Stamp(new CaseOffence
        {
            DescriptionSealed = (await cipher.SealAsync(organisationId, OffencePurpose, TextInput.Clean(input.Description!), cancellationToken))!,
            StatusSealed = (await cipher.SealAsync(organisationId, OffencePurpose, input.Status!, cancellationToken))!,
            OffenceDateSealed = await cipher.SealAsync(organisationId, OffencePurpose, input.OffenceDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken),
            ProceedingsSealed = await cipher.SealAsync(organisationId, OffencePurpose, Clean(input.Proceedings), cancellationToken),
        }, actorId, personId, input.Source!);
        // The audit details say only that an entry was added: criminal-offence values stay sealed.
        return await SaveAsync(offence, CaseWorkAuditActions.OffenceAdded, null, cancellationToken);
    }

    private T Stamp<T>(T entry, Guid actorId, Guid personId, string source)
        where T : CaseWorkEntry
    {
        entry.Id = Guid.NewGuid();
        entry.PersonId = personId;
        entry.Source = source;
        entry.CreatedByUserId = actorId;
        entry.CreatedAt = clock.GetUtcNow();
        return entry;
    }

    private async Task<CaseWorkResult> SaveAsync<T>(T entry, string action, string? details, CancellationToken cancellationToken)
        where T : CaseWorkEntry
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<T>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(action, [entry.PersonId], "case work", details is null ? $"entry {entry.Id}" : $"entry {entry.Id}: {details}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CaseWorkResult(new Dictionary<string, string>(), entry.Id);
    }

    private string? PastDate(DateOnly date, string label)
    {
        if (date > Today)
        {
            return $"{label} must be today or in the past";
        }

        return date < Today.AddYears(-100) ? $"{label} must be within the last 100 years" : null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : TextInput.Clean(value);

    /// <summary>A 24-hour time like 14:30 or 9.05; empty is allowed.</summary>
    public static (TimeOnly? Time, string? Error) ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        var text = value.Trim().Replace('.', ':');
        return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? (time, null)
            : (null, "Enter the time of the contact using the 24-hour clock, like 14:30");
    }

    /// <summary>Other Haven people who took part, by record number: each must exist in the same organisation.</summary>
    private async Task<(Guid[] Ids, string? Error)> ParticipantsAsync(Guid personId, string? recordNumbers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(recordNumbers))
        {
            return ([], null);
        }

        var ids = new List<Guid>();
        foreach (var part in recordNumbers.Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Guid.TryParse(part, out var id))
            {
                return ([], "Enter Haven record numbers as they appear on each record, separated by commas, like 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
            }

            if (id != personId && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        if (ids.Count > 20)
        {
            return ([], "Enter 20 Haven record numbers or fewer");
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var found = await db.People.Where(p => ids.Contains(p.Id) && p.OrganisationId == organisationId).CountAsync(cancellationToken);
        return found == ids.Count ? (ids.ToArray(), null) : ([], "One or more Haven record numbers were not found in this organisation");
    }

    /// <summary>Errors in the order the fields appear, first message per field.</summary>
    private sealed class Errors
    {
        public Dictionary<string, string> Items { get; } = [];

        public int Count => Items.Count;

        public void AddAll(IReadOnlyDictionary<string, string> errors)
        {
            foreach (var (field, message) in errors)
            {
                Add(field, message);
            }
        }

        public void Add(string field, string? message)
        {
            if (message is not null)
            {
                Items.TryAdd(field, message);
            }
        }
    }
}
