using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.People;

[CollectionPoint("safeguarding.status")]
public sealed record InvolvementInput(string? InvolvementType, DateOnly? StartedOn, DateOnly? EndedOn,
    [property: Collects("safeguarding.referral")] string? ReferralSource, string? CategoryOfAbuse,
    [property: Collects("safeguarding.court-orders")] string? LegalStatus, DateOnly? AdoptionOrderOn, string? Details,
    [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source) : IValueCategories
{
    /// <summary>A disability involvement is health data; a youth justice involvement is criminal-offence data.</summary>
    public IEnumerable<(string Field, string Category)> ValueCategories() => InvolvementType switch
    {
        "disability" => [("InvolvementType", "special.health.disability")],
        "youth_justice" => [("InvolvementType", "criminal.proceedings")],
        "referral" => [("InvolvementType", "safeguarding.referral")],
        _ => [],
    };
}

[CollectionPoint("safeguarding.court-orders")]
public sealed record CourtOrderInput(string? OrderType, string? Court, DateOnly? MadeOn, DateOnly? EndsOn, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

[CollectionPoint("safeguarding.professionals")]
public sealed record ProfessionalInput(string? Role, string? Name, string? Organisation, string? Contact, DateOnly? InvolvedFrom, DateOnly? InvolvedTo,
    [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

public sealed record InvolvementItem(Guid Id, string InvolvementType, DateOnly StartedOn, DateOnly? EndedOn, string? ReferralSource, string? CategoryOfAbuse,
    string? LegalStatus, DateOnly? AdoptionOrderOn, bool PreBirth, string? Details, string Source, uint Version) : ICorrectableFact<InvolvementInput>
{
    public string TypeLabel => PreBirth ? "Child protection plan (pre-birth)" : ReferenceData.InvolvementTypes.LabelFor(InvolvementType) ?? InvolvementType;

    public bool Current(DateOnly today) => EndedOn is null || EndedOn >= today;

    /// <summary>The type-specific detail in one line: the referral source, category of abuse, legal status or adoption order.</summary>
    public string? Summary => InvolvementType switch
    {
        "referral" => ReferenceData.ReferralSources.LabelFor(ReferralSource),
        "child_protection" => ReferenceData.CategoriesOfAbuse.LabelFor(CategoryOfAbuse),
        "looked_after" => LegalStatus is null ? null : $"{LegalStatus}: {ReferenceData.LegalStatuses.LabelFor(LegalStatus)}",
        "adoption" => AdoptionOrderOn is { } made ? $"Adoption order made {made:d MMMM yyyy}" : "No adoption order yet",
        _ => null,
    };

    /// <summary>The fact as the form or API would enter it, to prefill a correction.</summary>
    public InvolvementInput ToInput() => new(InvolvementType, StartedOn, EndedOn, ReferralSource, CategoryOfAbuse, LegalStatus, AdoptionOrderOn, Details, Source);
}

public sealed record CourtOrderItem(Guid Id, string OrderType, string Court, DateOnly MadeOn, DateOnly? EndsOn, string Source, uint Version) : ICorrectableFact<CourtOrderInput>
{
    public string TypeLabel => CaseRecordCodes.CourtOrderTypes.LabelFor(OrderType) ?? OrderType;

    /// <summary>The fact as the form or API would enter it, to prefill a correction.</summary>
    public CourtOrderInput ToInput() => new(OrderType, Court, MadeOn, EndsOn, Source);
}

public sealed record ProfessionalItem(Guid Id, string Role, string Name, string? Organisation, string? Contact, DateOnly? InvolvedFrom, DateOnly? InvolvedTo, string Source,
    uint Version) : ICorrectableFact<ProfessionalInput>
{
    public string RoleLabel => CaseRecordCodes.ProfessionalRoles.LabelFor(Role) ?? Role;

    /// <summary>The fact as the form or API would enter it, to prefill a correction.</summary>
    public ProfessionalInput ToInput() => new(Role, Name, Organisation, Contact, InvolvedFrom, InvolvedTo, Source);
}

public sealed record InvolvementsView(IReadOnlyList<InvolvementItem> Involvements, IReadOnlyList<CourtOrderItem> CourtOrders, IReadOnlyList<ProfessionalItem> Professionals);

/// <summary>
/// Involvements with a child over time (referrals, early help, plans, looked after, adoption, disability, youth justice),
/// court orders and the professionals involved. Free-text details are special category (health, offending) and are
/// sealed with the organisation's data key. Callers open the record first; every change is audited here.
/// </summary>
public sealed class InvolvementService(HavenDbContext db, AuditWriter audit, FieldCipher cipher, CollectionGuard guard, TimeProvider clock)
{
    public static string DetailsPurpose(string involvementType) => $"involvements.{involvementType}";

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public Task<IReadOnlyDictionary<string, string>> ValidateInvolvementAsync(Guid personId, InvolvementInput input, CancellationToken cancellationToken = default)
        => ValidateInvolvementAsync(personId, input, null, cancellationToken);

    /// <summary>Checks an involvement; when correcting one (<paramref name="correctingId"/>), its own dates do not overlap it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValidateInvolvementAsync(Guid personId, InvolvementInput input, Guid? correctingId, CancellationToken cancellationToken = default)
        => (await CheckInvolvementAsync(personId, input, correctingId, cancellationToken)).Errors;

    private async Task<(Dictionary<string, string> Errors, InvolvementInput Clean, Person Person)> CheckInvolvementAsync(Guid personId, InvolvementInput input, Guid? correctingId,
        CancellationToken cancellationToken)
    {
        var checks = new FactChecks(Today);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == personId, cancellationToken);
        var type = checks.Code("InvolvementType", ReferenceData.InvolvementTypes, input.InvolvementType, "Type of involvement");
        checks.Period("StartedOn", input.StartedOn, "EndedOn", input.EndedOn);

        // Only the detail that belongs to the type is kept; the others are optional form fields for other types.
        var referralSource = type == "referral" ? checks.Code("ReferralSource", ReferenceData.ReferralSources, input.ReferralSource, "Referral source") : null;
        var category = type == "child_protection" ? checks.Code("CategoryOfAbuse", ReferenceData.CategoriesOfAbuse, input.CategoryOfAbuse, "Category of abuse") : null;
        var legalStatus = type == "looked_after" ? checks.Code("LegalStatus", ReferenceData.LegalStatuses, input.LegalStatus, "Legal status") : null;
        var adoptionOrder = type == "adoption" ? input.AdoptionOrderOn : null;
        if (adoptionOrder is not null)
        {
            checks.NotFuture("AdoptionOrderOn", adoptionOrder, "Adoption order date");
            checks.EndNotBeforeStart("AdoptionOrderOn", input.StartedOn, adoptionOrder, "Adoption order date must be the same as or after the start date");
        }

        var details = checks.Text("Details", input.Details, "Details", 2000, multiline: true);
        checks.Source(input.Source);

        if (type is not null && person.PersonType == "unborn" && !CaseRecordCodes.UnbornInvolvements.Contains(type))
        {
            checks.Add("InvolvementType", "An unborn child can have a referral, early help, a child in need plan or a pre-birth child protection plan only");
        }

        if (type is not null && input.StartedOn is { } start && CaseRecordCodes.NonOverlappingInvolvements.Contains(type) && checks.Errors.Count == 0)
        {
            var end = input.EndedOn ?? DateOnly.MaxValue;
            var overlapping = await db.Set<Involvement>().AsNoTracking()
                .Where(i => i.PersonId == personId && i.Id != correctingId && i.InvolvementType == type && i.StartedOn <= end && (i.EndedOn == null || i.EndedOn >= start))
                .FirstOrDefaultAsync(cancellationToken);
            if (overlapping is not null)
            {
                checks.Add("StartedOn", $"{ReferenceData.InvolvementTypes.LabelFor(type)} already recorded from {overlapping.StartedOn:d MMMM yyyy}"
                    + (overlapping.EndedOn is { } e ? $" to {e:d MMMM yyyy}" : " with no end date") + ". The dates must not overlap");
            }
        }

        var clean = input with { InvolvementType = type, ReferralSource = referralSource, CategoryOfAbuse = category, LegalStatus = legalStatus, AdoptionOrderOn = adoptionOrder, Details = details };
        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        return (checks.Errors, clean, person);
    }

    public async Task<FactResult> AddInvolvementAsync(Guid actorId, Guid personId, InvolvementInput input, CancellationToken cancellationToken = default)
    {
        var (errors, clean, person) = await CheckInvolvementAsync(personId, input, null, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var type = clean.InvolvementType!;
        var row = new Involvement
        {
            Id = Guid.NewGuid(),
            OrganisationId = person.OrganisationId,
            PersonId = personId,
            InvolvementType = type,
            StartedOn = clean.StartedOn!.Value,
            EndedOn = clean.EndedOn,
            ReferralSource = clean.ReferralSource,
            CategoryOfAbuse = clean.CategoryOfAbuse,
            LegalStatus = clean.LegalStatus,
            AdoptionOrderOn = clean.AdoptionOrderOn,
            PreBirth = type == "child_protection" && person.PersonType == "unborn",
            DetailsSealed = await cipher.SealAsync(person.OrganisationId, DetailsPurpose(type), clean.Details, cancellationToken),
            Source = clean.Source!,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<Involvement>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.InvolvementRecorded, [personId], "case work",
            $"{type}{(row.PreBirth ? " (pre-birth)" : string.Empty)}; from {row.StartedOn:yyyy-MM-dd}; source {row.Source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, row.Id);
    }

    /// <summary>
    /// Corrects an involvement on this person's record, checked like a new one (its own dates do not count as an
    /// overlap). Saves only onto the version the user started from: if someone else saved in between, nothing is
    /// stored and the current involvement comes back. The audit names the fields that changed, never their values.
    /// </summary>
    public async Task<CorrectionResult<InvolvementItem>> UpdateInvolvementAsync(Guid actorId, Guid personId, Guid involvementId, InvolvementInput input, uint startedFromVersion,
        CancellationToken cancellationToken = default)
    {
        var row = await db.Set<Involvement>().SingleOrDefaultAsync(i => i.Id == involvementId && i.PersonId == personId, cancellationToken);
        if (row is null)
        {
            return CorrectionResult.Missing<InvolvementItem>();
        }

        var (errors, clean, person) = await CheckInvolvementAsync(personId, input, involvementId, cancellationToken);
        if (errors.Count > 0)
        {
            return CorrectionResult.Invalid<InvolvementItem>(errors);
        }

        if (row.Version != startedFromVersion)
        {
            return CorrectionResult.Conflicted((await GetInvolvementAsync(personId, involvementId, cancellationToken))!);
        }

        var type = clean.InvolvementType!;
        var details = await cipher.OpenAsync(row.OrganisationId, DetailsPurpose(row.InvolvementType), row.DetailsSealed, cancellationToken);
        var changed = new ChangedFields();
        changed.Compare("InvolvementType", row.InvolvementType, type);
        changed.Compare("StartedOn", row.StartedOn, clean.StartedOn!.Value);
        changed.Compare("EndedOn", row.EndedOn, clean.EndedOn);
        changed.Compare("ReferralSource", row.ReferralSource, clean.ReferralSource);
        changed.Compare("CategoryOfAbuse", row.CategoryOfAbuse, clean.CategoryOfAbuse);
        changed.Compare("LegalStatus", row.LegalStatus, clean.LegalStatus);
        changed.Compare("AdoptionOrderOn", row.AdoptionOrderOn, clean.AdoptionOrderOn);
        changed.Compare("Details", details, clean.Details);
        changed.Compare("Source", row.Source, clean.Source!);
        if (changed.Count > 0)
        {
            db.Entry(row).Property(i => i.Version).OriginalValue = startedFromVersion;
            if (type != row.InvolvementType)
            {
                // A pre-birth plan stays one after the birth; only a change of type decides it afresh.
                row.PreBirth = type == "child_protection" && person.PersonType == "unborn";
            }

            // Details are sealed under the type's purpose, so a new type seals them again.
            if (type != row.InvolvementType || details != clean.Details)
            {
                row.DetailsSealed = await cipher.SealAsync(row.OrganisationId, DetailsPurpose(type), clean.Details, cancellationToken);
            }

            row.InvolvementType = type;
            row.StartedOn = clean.StartedOn.Value;
            row.EndedOn = clean.EndedOn;
            row.ReferralSource = clean.ReferralSource;
            row.CategoryOfAbuse = clean.CategoryOfAbuse;
            row.LegalStatus = clean.LegalStatus;
            row.AdoptionOrderOn = clean.AdoptionOrderOn;
            row.Source = clean.Source!;
            var saved = await Corrections.SaveAsync(db, async () =>
            {
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.InvolvementCorrected, [personId], "case work", $"involvement {row.Id}; {changed.Describe()}"), cancellationToken);
            }, cancellationToken);
            if (!saved)
            {
                return CorrectionResult.Conflicted((await GetInvolvementAsync(personId, involvementId, cancellationToken))!);
            }
        }

        return CorrectionResult.Done((await GetInvolvementAsync(personId, involvementId, cancellationToken))!, changed.Fields);
    }

    /// <summary>Ends an involvement that is still open (a plan closes, a child stops being looked after). Errors are keyed "EndedOn".</summary>
    public async Task<FactResult> EndInvolvementAsync(Guid actorId, Guid personId, Guid involvementId, DateOnly? endedOn, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var row = await db.Set<Involvement>().SingleOrDefaultAsync(i => i.Id == involvementId && i.PersonId == personId, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (row is null)
        {
            errors["EndedOn"] = "This involvement was not found on this record";
        }
        else if (row.EndedOn is not null)
        {
            errors["EndedOn"] = "This involvement has already ended";
        }
        else if (endedOn is null)
        {
            errors["EndedOn"] = "Enter the date it ended";
        }
        else if (endedOn < row.StartedOn)
        {
            errors["EndedOn"] = "End date must be the same as or after the start date";
        }
        else if (endedOn > today)
        {
            errors["EndedOn"] = "End date must be today or in the past";
        }

        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        row!.EndedOn = endedOn;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.InvolvementEnded, [personId], "case work",
            $"{row.InvolvementType} ended {endedOn:yyyy-MM-dd}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, row.Id);
    }

    public async Task<IReadOnlyDictionary<string, string>> ValidateCourtOrderAsync(Guid personId, CourtOrderInput input, CancellationToken cancellationToken = default)
    {
        var checks = new FactChecks(Today);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == personId, cancellationToken);
        checks.Code("OrderType", CaseRecordCodes.CourtOrderTypes, input.OrderType, "Type of order");
        checks.Text("Court", input.Court, "Court", 200, required: true);
        checks.Required("MadeOn", input.MadeOn, "Date the order was made");
        checks.NotFuture("MadeOn", input.MadeOn, "Date the order was made");
        checks.NotTooOld("MadeOn", input.MadeOn, "Date the order was made");
        // An order's end date is usually known in advance, so it may be in the future.
        checks.EndNotBeforeStart("EndsOn", input.MadeOn, input.EndsOn, "End date must be the same as or after the date the order was made");
        checks.Source(input.Source);
        if (person.PersonType == "unborn")
        {
            checks.Add("OrderType", "A court order cannot be made for an unborn child");
        }

        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        return checks.Errors;
    }

    public async Task<FactResult> AddCourtOrderAsync(Guid actorId, Guid personId, CourtOrderInput input, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateCourtOrderAsync(personId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var row = new CourtOrder
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            PersonId = personId,
            OrderType = input.OrderType!,
            Court = Validation.TextInput.Clean(input.Court!),
            MadeOn = input.MadeOn!.Value,
            EndsOn = input.EndsOn,
            Source = input.Source!,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<CourtOrder>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.CourtOrderRecorded, [personId], "case work",
            $"{row.OrderType}; made {row.MadeOn:yyyy-MM-dd}; source {row.Source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, row.Id);
    }

    /// <summary>Corrects a court order on this person's record, checked like a new one, onto the version the user started from.</summary>
    public async Task<CorrectionResult<CourtOrderItem>> UpdateCourtOrderAsync(Guid actorId, Guid personId, Guid courtOrderId, CourtOrderInput input, uint startedFromVersion,
        CancellationToken cancellationToken = default)
    {
        var row = await db.Set<CourtOrder>().SingleOrDefaultAsync(o => o.Id == courtOrderId && o.PersonId == personId, cancellationToken);
        if (row is null)
        {
            return CorrectionResult.Missing<CourtOrderItem>();
        }

        var errors = await ValidateCourtOrderAsync(personId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return CorrectionResult.Invalid<CourtOrderItem>(errors);
        }

        if (row.Version != startedFromVersion)
        {
            return CorrectionResult.Conflicted((await GetCourtOrderAsync(personId, courtOrderId, cancellationToken))!);
        }

        var court = Validation.TextInput.Clean(input.Court!);
        var changed = new ChangedFields();
        changed.Compare("OrderType", row.OrderType, input.OrderType!);
        changed.Compare("Court", row.Court, court);
        changed.Compare("MadeOn", row.MadeOn, input.MadeOn!.Value);
        changed.Compare("EndsOn", row.EndsOn, input.EndsOn);
        changed.Compare("Source", row.Source, input.Source!);
        if (changed.Count > 0)
        {
            db.Entry(row).Property(o => o.Version).OriginalValue = startedFromVersion;
            row.OrderType = input.OrderType!;
            row.Court = court;
            row.MadeOn = input.MadeOn.Value;
            row.EndsOn = input.EndsOn;
            row.Source = input.Source!;
            var saved = await Corrections.SaveAsync(db, async () =>
            {
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.CourtOrderCorrected, [personId], "case work", $"court order {row.Id}; {changed.Describe()}"), cancellationToken);
            }, cancellationToken);
            if (!saved)
            {
                return CorrectionResult.Conflicted((await GetCourtOrderAsync(personId, courtOrderId, cancellationToken))!);
            }
        }

        return CorrectionResult.Done((await GetCourtOrderAsync(personId, courtOrderId, cancellationToken))!, changed.Fields);
    }

    public async Task<IReadOnlyDictionary<string, string>> ValidateProfessionalAsync(Guid personId, ProfessionalInput input, CancellationToken cancellationToken = default)
    {
        var checks = new FactChecks(Today);
        checks.Code("Role", CaseRecordCodes.ProfessionalRoles, input.Role, "Role");
        checks.Text("Name", input.Name, "Name", 200, required: true);
        checks.Text("Organisation", input.Organisation, "Organisation", 200);
        checks.Text("Contact", input.Contact, "Contact details", 300);
        checks.Period("InvolvedFrom", input.InvolvedFrom, "InvolvedTo", input.InvolvedTo, startRequired: false);
        checks.Source(input.Source);
        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        return checks.Errors;
    }

    public async Task<FactResult> AddProfessionalAsync(Guid actorId, Guid personId, ProfessionalInput input, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateProfessionalAsync(personId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var row = new ProfessionalInvolved
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            PersonId = personId,
            Role = input.Role!,
            Name = CleanOptional(input.Name)!,
            ProfessionalOrganisation = CleanOptional(input.Organisation),
            Contact = CleanOptional(input.Contact),
            InvolvedFrom = input.InvolvedFrom,
            InvolvedTo = input.InvolvedTo,
            Source = input.Source!,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<ProfessionalInvolved>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.ProfessionalRecorded, [personId], "case work", $"{row.Role}; source {row.Source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, row.Id);
    }

    /// <summary>Corrects a professional on this person's record, checked like a new one, onto the version the user started from.</summary>
    public async Task<CorrectionResult<ProfessionalItem>> UpdateProfessionalAsync(Guid actorId, Guid personId, Guid professionalId, ProfessionalInput input, uint startedFromVersion,
        CancellationToken cancellationToken = default)
    {
        var row = await db.Set<ProfessionalInvolved>().SingleOrDefaultAsync(p => p.Id == professionalId && p.PersonId == personId, cancellationToken);
        if (row is null)
        {
            return CorrectionResult.Missing<ProfessionalItem>();
        }

        var errors = await ValidateProfessionalAsync(personId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return CorrectionResult.Invalid<ProfessionalItem>(errors);
        }

        if (row.Version != startedFromVersion)
        {
            return CorrectionResult.Conflicted((await GetProfessionalAsync(personId, professionalId, cancellationToken))!);
        }

        var name = CleanOptional(input.Name)!;
        var organisation = CleanOptional(input.Organisation);
        var contact = CleanOptional(input.Contact);
        var changed = new ChangedFields();
        changed.Compare("Role", row.Role, input.Role!);
        changed.Compare("Name", row.Name, name);
        changed.Compare("Organisation", row.ProfessionalOrganisation, organisation);
        changed.Compare("Contact", row.Contact, contact);
        changed.Compare("InvolvedFrom", row.InvolvedFrom, input.InvolvedFrom);
        changed.Compare("InvolvedTo", row.InvolvedTo, input.InvolvedTo);
        changed.Compare("Source", row.Source, input.Source!);
        if (changed.Count > 0)
        {
            db.Entry(row).Property(p => p.Version).OriginalValue = startedFromVersion;
            row.Role = input.Role!;
            row.Name = name;
            row.ProfessionalOrganisation = organisation;
            row.Contact = contact;
            row.InvolvedFrom = input.InvolvedFrom;
            row.InvolvedTo = input.InvolvedTo;
            row.Source = input.Source!;
            var saved = await Corrections.SaveAsync(db, async () =>
            {
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.ProfessionalCorrected, [personId], "case work", $"professional {row.Id}; {changed.Describe()}"), cancellationToken);
            }, cancellationToken);
            if (!saved)
            {
                return CorrectionResult.Conflicted((await GetProfessionalAsync(personId, professionalId, cancellationToken))!);
            }
        }

        return CorrectionResult.Done((await GetProfessionalAsync(personId, professionalId, cancellationToken))!, changed.Fields);
    }

    /// <summary>One involvement on this person's record, with its details opened, or null.</summary>
    public async Task<InvolvementItem?> GetInvolvementAsync(Guid personId, Guid involvementId, CancellationToken cancellationToken = default)
    {
        var row = await db.Set<Involvement>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == involvementId && i.PersonId == personId, cancellationToken);
        return row is null ? null : await ToItemAsync(row, cancellationToken);
    }

    /// <summary>One court order on this person's record, or null.</summary>
    public Task<CourtOrderItem?> GetCourtOrderAsync(Guid personId, Guid courtOrderId, CancellationToken cancellationToken = default) =>
        db.Set<CourtOrder>().AsNoTracking().Where(o => o.Id == courtOrderId && o.PersonId == personId)
            .Select(o => new CourtOrderItem(o.Id, o.OrderType, o.Court, o.MadeOn, o.EndsOn, o.Source, o.Version)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>One professional on this person's record, or null.</summary>
    public Task<ProfessionalItem?> GetProfessionalAsync(Guid personId, Guid professionalId, CancellationToken cancellationToken = default) =>
        db.Set<ProfessionalInvolved>().AsNoTracking().Where(p => p.Id == professionalId && p.PersonId == personId)
            .Select(p => new ProfessionalItem(p.Id, p.Role, p.Name, p.ProfessionalOrganisation, p.Contact, p.InvolvedFrom, p.InvolvedTo, p.Source, p.Version))
            .SingleOrDefaultAsync(cancellationToken);

    private static string? CleanOptional(string? value) => string.IsNullOrWhiteSpace(value) ? null : Validation.TextInput.Clean(value);

    private async Task<InvolvementItem> ToItemAsync(Involvement i, CancellationToken cancellationToken)
    {
        var details = await cipher.OpenAsync(i.OrganisationId, DetailsPurpose(i.InvolvementType), i.DetailsSealed, cancellationToken);
        return new InvolvementItem(i.Id, i.InvolvementType, i.StartedOn, i.EndedOn, i.ReferralSource, i.CategoryOfAbuse, i.LegalStatus,
            i.AdoptionOrderOn, i.PreBirth, details, i.Source, i.Version);
    }

    /// <summary>Everything recorded for the person, current first, with sealed details opened. The caller has opened the record.</summary>
    public async Task<InvolvementsView> ListAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Set<Involvement>().AsNoTracking().Where(i => i.PersonId == personId)
            .OrderBy(i => i.EndedOn != null).ThenByDescending(i => i.StartedOn).ToListAsync(cancellationToken);
        var involvements = new List<InvolvementItem>();
        foreach (var i in rows)
        {
            involvements.Add(await ToItemAsync(i, cancellationToken));
        }

        var orders = await db.Set<CourtOrder>().AsNoTracking().Where(o => o.PersonId == personId).OrderByDescending(o => o.MadeOn)
            .Select(o => new CourtOrderItem(o.Id, o.OrderType, o.Court, o.MadeOn, o.EndsOn, o.Source, o.Version)).ToListAsync(cancellationToken);
        var professionals = await db.Set<ProfessionalInvolved>().AsNoTracking().Where(p => p.PersonId == personId)
            .OrderBy(p => p.InvolvedTo != null).ThenBy(p => p.Role)
            .Select(p => new ProfessionalItem(p.Id, p.Role, p.Name, p.ProfessionalOrganisation, p.Contact, p.InvolvedFrom, p.InvolvedTo, p.Source, p.Version))
            .ToListAsync(cancellationToken);
        return new InvolvementsView(involvements, orders, professionals);
    }
}
