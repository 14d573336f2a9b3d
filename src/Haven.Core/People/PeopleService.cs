using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.People;

/// <summary>What a form or API call asks to store about a person. Dates are already parsed; everything else is raw text.</summary>
[CollectionPoint("identity")]
public sealed record PersonInput
{
    [Collects("family.composition")]
    public string? PersonType { get; init; }
    [Collects("identity.name")]
    public string? GivenName { get; init; }
    [Collects("identity.name")]
    public string? FamilyName { get; init; }
    [Collects("identity.name")]
    public string? KnownAs { get; init; }
    [Collects("identity.date-of-birth")]
    public DateOnly? DateOfBirth { get; init; }
    [Collects("identity.date-of-birth")]
    public bool DateOfBirthEstimated { get; init; }
    [Collects("identity.date-of-birth")]
    public DateOnly? ExpectedDateOfBirth { get; init; }
    [Collects("family.composition")]
    public Guid? MotherId { get; init; }
    [Collects("identity.date-of-death")]
    public DateOnly? DateOfDeath { get; init; }
    [Collects("identity.gender")]
    public string? Gender { get; init; }
    [Collects("special.ethnicity")]
    public string? Ethnicity { get; init; }
    [Collects("special.religion")]
    public string? Religion { get; init; }
    [Collects("special.health.disability")]
    public string? Disability { get; init; }
    [Collects("special.sexual-orientation")]
    public string? SexualOrientation { get; init; }
    [Collects("identity.first-language")]
    public string? FirstLanguage { get; init; }
    [Collects("identity.nhs-number")]
    public string? NhsNumber { get; init; }
    [Collects("identity.upn")]
    public string? Upn { get; init; }
    [Collects("identity.contact")]
    public string? Phone { get; init; }
    [Collects("identity.contact")]
    public string? Email { get; init; }
    [Collects("identity.address")]
    public string? AddressLine1 { get; init; }
    [Collects("identity.address")]
    public string? AddressLine2 { get; init; }
    [Collects("identity.address")]
    public string? Town { get; init; }
    [Collects("identity.address")]
    public string? Postcode { get; init; }
}

/// <summary>A person as staff see them, with special-category values opened.</summary>
public sealed record PersonView(Person Person, string? Ethnicity, string? Religion, string? Disability, string? SexualOrientation,
    IReadOnlyList<Address> Addresses, IReadOnlyList<PersonName> Names, string? MotherName)
{
    public Address? CurrentAddress => Addresses.FirstOrDefault(a => a.LivedTo is null);
}

public sealed record DuplicateCandidate(Guid Id, string Name, DateOnly? DateOfBirth, double Score, string Reason);

public sealed record SaveResult(Dictionary<string, string> Errors, IReadOnlyList<DuplicateCandidate> Duplicates, Guid? PersonId, PersonView? Conflict = null)
{
    public bool Saved => PersonId is not null && Errors.Count == 0 && Conflict is null;
}

/// <summary>
/// Creates, reads and changes person records. Special-category values are sealed with the organisation's data key
/// before they reach the database. Callers decide access first (RecordAccessService); every change is audited here.
/// </summary>
public sealed class PeopleService(HavenDbContext db, AuditWriter audit, FieldCipher cipher, CollectionGuard guard, TimeProvider clock)
{
    public const string EthnicityPurpose = "people.ethnicity";
    public const string ReligionPurpose = "people.religion";
    public const string DisabilityPurpose = "people.disability";
    public const string SexualOrientationPurpose = "people.sexual_orientation";

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<PersonView?> GetAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (person is null)
        {
            return null;
        }

        var addresses = await db.Addresses.AsNoTracking().Where(a => a.PersonId == personId)
            .OrderBy(a => a.LivedTo != null).ThenByDescending(a => a.LivedFrom).ToListAsync(cancellationToken);
        var names = await db.PersonNames.AsNoTracking().Where(n => n.PersonId == personId).OrderBy(n => n.UsedFrom).ToListAsync(cancellationToken);
        var mother = person.MotherId is null ? null
            : await db.People.Where(p => p.Id == person.MotherId).Select(p => p.GivenName + " " + p.FamilyName).SingleOrDefaultAsync(cancellationToken);
        var org = person.OrganisationId;
        return new PersonView(person,
            await cipher.OpenAsync(org, EthnicityPurpose, person.EthnicitySealed, cancellationToken),
            await cipher.OpenAsync(org, ReligionPurpose, person.ReligionSealed, cancellationToken),
            await cipher.OpenAsync(org, DisabilityPurpose, person.DisabilitySealed, cancellationToken),
            await cipher.OpenAsync(org, SexualOrientationPurpose, person.SexualOrientationSealed, cancellationToken),
            addresses, names, mother);
    }

    /// <summary>Checks every field and returns the cleaned values; errors are keyed by the form field that is wrong.</summary>
    public async Task<(Dictionary<string, string> Errors, PersonInput Clean)> ValidateAsync(PersonInput input, Guid organisationId, Guid? personId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors.TryAdd(field, message);
            }
        }

        string? Text(string field, string? value, string label, int max, bool required = false)
        {
            Add(field, TextInput.Check(value, label, max, required));
            return string.IsNullOrWhiteSpace(value) ? null : TextInput.Clean(value);
        }

        var type = input.PersonType ?? "child";
        if (!PersonRules.PersonTypes.Contains(type))
        {
            Add("PersonType", "Select who this person is");
        }

        var given = Text("GivenName", input.GivenName, "First name", 100, required: type != "unborn");
        var family = Text("FamilyName", input.FamilyName, "Last name", 100, required: true);
        var knownAs = Text("KnownAs", input.KnownAs, "Known as", 100);
        var language = Text("FirstLanguage", input.FirstLanguage, "First language", 100);
        var religion = Text("Religion", input.Religion, "Religion or belief", 100);
        var disability = Text("Disability", input.Disability, "Disability", 500);
        var orientation = Text("SexualOrientation", input.SexualOrientation, "Sexual orientation", 100);
        var phone = Text("Phone", input.Phone, "Phone number", 30);
        var line1 = Text("AddressLine1", input.AddressLine1, "Address line 1", 200);
        var line2 = Text("AddressLine2", input.AddressLine2, "Address line 2", 200);
        var town = Text("Town", input.Town, "Town or city", 100);

        if (input.Gender is { Length: > 0 } && !PersonRules.IsGender(input.Gender))
        {
            Add("Gender", "Select a gender from the list");
        }

        if (input.Ethnicity is { Length: > 0 } && !PersonRules.IsEthnicity(input.Ethnicity))
        {
            Add("Ethnicity", "Select an ethnicity from the list");
        }

        string? email = null;
        if (!string.IsNullOrWhiteSpace(input.Email))
        {
            Add("Email", TextInput.CheckEmail(input.Email));
            email = TextInput.Clean(input.Email);
        }

        var (nhs, nhsError) = PersonRules.NhsNumber(input.NhsNumber);
        Add("NhsNumber", nhsError);
        var (upn, upnError) = PersonRules.Upn(input.Upn);
        Add("Upn", upnError);

        string? postcode = null;
        if (line1 is not null || !string.IsNullOrWhiteSpace(input.Postcode))
        {
            if (line1 is null)
            {
                Add("AddressLine1", "Enter address line 1, or leave the whole address empty");
            }

            (postcode, var postcodeError) = PersonRules.Postcode(input.Postcode, required: true);
            Add("Postcode", postcodeError);
        }

        if (input.DateOfBirth is { } dob && dob > Today)
        {
            Add("DateOfBirth", "Date of birth must be today or in the past");
        }

        if (input.DateOfBirth is { } born && born < Today.AddYears(-130))
        {
            Add("DateOfBirth", "Date of birth must be within the last 130 years");
        }

        if (input.DateOfDeath is { } died)
        {
            if (died > Today)
            {
                Add("DateOfDeath", "Date of death must be today or in the past");
            }
            else if (input.DateOfBirth is { } birth && died < birth)
            {
                Add("DateOfDeath", "Date of death must be the same as or after the date of birth");
            }
        }

        if (type == "unborn")
        {
            if (input.ExpectedDateOfBirth is null)
            {
                Add("ExpectedDateOfBirth", "Enter the expected date of birth");
            }
            else if (input.ExpectedDateOfBirth < Today.AddMonths(-1) || input.ExpectedDateOfBirth > Today.AddMonths(10))
            {
                Add("ExpectedDateOfBirth", "Expected date of birth must be within the next 10 months");
            }

            if (input.DateOfBirth is not null)
            {
                Add("DateOfBirth", "An unborn child has an expected date of birth, not a date of birth");
            }

            if (input.MotherId is null)
            {
                Add("MotherId", "Enter the mother's Haven record number for an unborn child");
            }
        }

        if (input.MotherId is { } motherId && (motherId == personId || !await db.People.AnyAsync(p => p.Id == motherId && p.OrganisationId == organisationId, cancellationToken)))
        {
            Add("MotherId", "The mother's record was not found in this organisation");
        }

        if (nhs is not null && await db.People.AnyAsync(p => p.NhsNumber == nhs && p.Id != personId, cancellationToken))
        {
            Add("NhsNumber", "Another record already has this NHS number. Search for it instead of creating a new record");
        }

        var clean = input with
        {
            PersonType = type,
            // An unborn child usually has no name yet; records say "Unborn" until one is given.
            GivenName = given ?? (type == "unborn" ? "Unborn" : string.Empty),
            FamilyName = family,
            KnownAs = knownAs,
            FirstLanguage = language,
            Religion = religion,
            Disability = disability,
            SexualOrientation = orientation,
            Phone = phone,
            Email = email,
            NhsNumber = nhs,
            Upn = upn,
            AddressLine1 = line1,
            AddressLine2 = line2,
            Town = town,
            Postcode = postcode,
            Gender = string.IsNullOrWhiteSpace(input.Gender) ? null : input.Gender,
            Ethnicity = string.IsNullOrWhiteSpace(input.Ethnicity) ? null : input.Ethnicity,
            DateOfBirthEstimated = input.DateOfBirthEstimated && input.DateOfBirth is not null,
        };
        foreach (var (field, message) in personId is { } existing
                     ? await guard.CheckForPersonAsync(existing, input, cancellationToken)
                     : await guard.CheckAsync(organisationId, input, null, cancellationToken))
        {
            errors.TryAdd(field, message);
        }

        return (errors, clean);
    }

    /// <summary>Checks input without storing anything, so a form can show every problem at once.</summary>
    public async Task<Dictionary<string, string>> CheckAsync(Guid actorId, PersonInput input, Guid? personId, CancellationToken cancellationToken = default)
    {
        var organisationId = personId is { } id
            ? await db.People.Where(p => p.Id == id).Select(p => p.OrganisationId).SingleAsync(cancellationToken)
            : await db.Users.Where(u => u.Id == actorId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        return (await ValidateAsync(input, organisationId, personId, cancellationToken)).Errors;
    }

    /// <summary>
    /// Creates a person. Unless <paramref name="duplicatesChecked"/> is true, possible existing records are returned first
    /// and nothing is stored, so the user can choose one of them instead.
    /// </summary>
    public async Task<SaveResult> CreateAsync(Guid actorId, PersonInput input, bool duplicatesChecked, CancellationToken cancellationToken = default)
    {
        var actor = await db.Users.AsNoTracking().SingleAsync(u => u.Id == actorId, cancellationToken);
        var (errors, clean) = await ValidateAsync(input, actor.OrganisationId, null, cancellationToken);
        if (errors.Count > 0)
        {
            return new SaveResult(errors, [], null);
        }

        if (!duplicatesChecked)
        {
            var duplicates = await PossibleDuplicatesAsync(clean.GivenName!, clean.FamilyName!, clean.DateOfBirth, clean.NhsNumber, clean.Postcode, null, cancellationToken);
            if (duplicates.Count > 0)
            {
                await audit.RecordAsync(new AuditEntry(AuditActions.PersonListViewed, duplicates.Select(d => d.Id).ToList(), "duplicate check"), cancellationToken);
                return new SaveResult(errors, duplicates, null);
            }
        }

        var now = clock.GetUtcNow();
        var person = new Person
        {
            Id = Guid.NewGuid(),
            OrganisationId = actor.OrganisationId,
            OwningTeamId = actor.TeamId,
            CreatedByUserId = actor.Id,
            CreatedAt = now,
        };
        await ApplyAsync(person, clean, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.People.Add(person);
        if (clean.AddressLine1 is not null)
        {
            db.Addresses.Add(NewAddress(person.Id, clean, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.PersonCreated, [person.Id], "case work", $"type {person.PersonType}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult(errors, [], person.Id);
    }

    /// <summary>
    /// Saves changes made to the version the user started from. If someone else saved in between, nothing is stored
    /// and the current record comes back as the conflict, so the user can compare both versions.
    /// </summary>
    public async Task<SaveResult> UpdateAsync(Guid personId, PersonInput input, uint startedFromVersion, CancellationToken cancellationToken = default)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (person is null)
        {
            return new SaveResult(new Dictionary<string, string> { ["Person"] = "This record was not found" }, [], null);
        }

        var (errors, clean) = await ValidateAsync(input, person.OrganisationId, personId, cancellationToken);
        if (errors.Count > 0)
        {
            return new SaveResult(errors, [], null);
        }

        if (person.Version != startedFromVersion)
        {
            return new SaveResult(errors, [], null, await GetAsync(personId, cancellationToken));
        }

        var now = clock.GetUtcNow();
        db.Entry(person).Property(p => p.Version).OriginalValue = startedFromVersion;
        await ApplyAsync(person, clean, cancellationToken);
        person.UpdatedAt = now;

        var current = await db.Addresses.Where(a => a.PersonId == personId && a.LivedTo == null).SingleOrDefaultAsync(cancellationToken);
        var addressChanged = clean.AddressLine1 is not null
            && (current is null || current.Line1 != clean.AddressLine1 || current.Line2 != clean.AddressLine2 || current.Town != clean.Town || current.Postcode != clean.Postcode);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (addressChanged)
            {
                if (current is not null)
                {
                    current.LivedTo = Today;
                }

                db.Addresses.Add(NewAddress(personId, clean, now));
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new SaveResult(errors, [], null, await GetAsync(personId, cancellationToken));
        }

        await audit.RecordAsync(new AuditEntry(AuditActions.PersonUpdated, [personId], "case work", addressChanged ? "details and address" : "details"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult(errors, [], personId);
    }

    private Address NewAddress(Guid personId, PersonInput clean, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PersonId = personId,
        Line1 = clean.AddressLine1!,
        Line2 = clean.AddressLine2,
        Town = clean.Town,
        Postcode = clean.Postcode!,
        LivedFrom = Today,
        CreatedAt = now,
    };

    private async Task ApplyAsync(Person person, PersonInput clean, CancellationToken cancellationToken)
    {
        var org = person.OrganisationId;
        person.PersonType = clean.PersonType!;
        person.GivenName = clean.GivenName!;
        person.FamilyName = clean.FamilyName!;
        person.KnownAs = clean.KnownAs;
        person.DateOfBirth = clean.DateOfBirth;
        person.DateOfBirthEstimated = clean.DateOfBirthEstimated;
        person.ExpectedDateOfBirth = clean.ExpectedDateOfBirth;
        person.MotherId = clean.MotherId;
        person.DateOfDeath = clean.DateOfDeath;
        person.Gender = clean.Gender;
        person.FirstLanguage = clean.FirstLanguage;
        person.NhsNumber = clean.NhsNumber;
        person.Upn = clean.Upn;
        person.Phone = clean.Phone;
        person.Email = clean.Email;
        person.EthnicitySealed = await cipher.SealAsync(org, EthnicityPurpose, clean.Ethnicity, cancellationToken);
        person.ReligionSealed = await cipher.SealAsync(org, ReligionPurpose, clean.Religion, cancellationToken);
        person.DisabilitySealed = await cipher.SealAsync(org, DisabilityPurpose, clean.Disability, cancellationToken);
        person.SexualOrientationSealed = await cipher.SealAsync(org, SexualOrientationPurpose, clean.SexualOrientation, cancellationToken);
    }

    /// <summary>Records that may be the same person: same NHS number, or a similar name with the same date of birth or postcode.</summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> PossibleDuplicatesAsync(string given, string family, DateOnly? dateOfBirth, string? nhsNumber,
        string? postcode, Guid? excludeId, CancellationToken cancellationToken)
    {
        var found = await PersonSearch.CandidatesAsync(db, new SearchQuery(given + " " + family, dateOfBirth, nhsNumber, postcode), 50, cancellationToken);
        return found
            .Where(c => c.Id != excludeId)
            .Where(c => (nhsNumber is not null && c.NhsNumber == nhsNumber)
                || (c.Score >= 0.55 && (dateOfBirth is null || c.DateOfBirth is null || c.DateOfBirth == dateOfBirth || c.PostcodeMatched)))
            .Select(c => new DuplicateCandidate(c.Id, c.Name, c.DateOfBirth, c.Score, c.Reason))
            .Take(10)
            .ToList();
    }
}
