using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>One line of a fact as people read it, like ("Start date", "3 March 2024"), for comparing two versions.</summary>
public sealed record FactLine(string Label, string Value);

/// <summary>Where two versions of a fact differ: what is saved now (by someone else) and what this user entered.</summary>
public sealed record FactDifference(string Label, string Theirs, string Yours);

/// <summary>Compares two versions of a fact, line by line, for the conflict shown when someone else saved first.</summary>
public static class FactConflicts
{
    public static IReadOnlyList<FactDifference> Compare(IReadOnlyList<FactLine> theirs, IReadOnlyList<FactLine> yours) =>
        theirs.Zip(yours, (t, y) => new FactDifference(t.Label, t.Value, y.Value))
            .Where(d => !string.Equals(d.Theirs.Trim(), d.Yours.Trim(), StringComparison.Ordinal)).ToList();

    public static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy") ?? string.Empty;

    public static string Label(CodeList list, string? code) => list.LabelFor(code) ?? code ?? string.Empty;

    /// <summary>A stored date as the day, month and year of a GOV.UK date input.</summary>
    public static (string? Day, string? Month, string? Year) Parts(DateOnly? date) =>
        (DateInput.Part(date, 'd'), DateInput.Part(date, 'm'), DateInput.Part(date, 'y'));
}

/// <summary>
/// The form for a fact on a person's record, shared by its "add" and "change" pages: the fields post as plain text,
/// are read into the Core input (dates checked here, everything else in Core) and can be filled from a stored fact.
/// </summary>
[BindProperties]
public abstract class FactFormModel<TInput>(RecordAccessService access) : PersonFactPageModel(access)
{
    /// <summary>Set when a correction met a newer version saved by someone else.</summary>
    [BindNever]
    public IReadOnlyList<FactDifference>? Differences { get; private set; }

    /// <summary>The fact as people read it, one line per field, in the order of the form.</summary>
    public abstract IReadOnlyList<FactLine> Lines(TInput input);

    /// <summary>Reads the posted form, adding an error for each date or record number that cannot be read.</summary>
    protected abstract TInput ReadInput();

    /// <summary>Fills the form from a stored fact, to correct it.</summary>
    protected abstract void Fill(TInput input);

    /// <summary>The version of the fact a correction started from (PostgreSQL's xmin); posted back by the Change pages.</summary>
    public uint Version { get; set; }

    /// <summary>
    /// Records a new fact: the record opened through the need-to-know check, then the fact added. When a date or
    /// record number cannot be read, every problem is shown and nothing is stored.
    /// </summary>
    protected async Task<IActionResult> SaveNewAsync(Guid personId, Func<TInput, Task<IReadOnlyDictionary<string, string>>> validate,
        Func<TInput, Task<FactResult>> add, string notice, string section, Func<Task>? prepare = null)
    {
        if (await OpenAsync(personId) is { } refused)
        {
            return refused;
        }

        if (prepare is not null)
        {
            await prepare();
        }

        var input = ReadInput();
        if (Errors.Count > 0)
        {
            return Invalid(await validate(input));
        }

        var result = await add(input);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = notice;
        return Redirect($"/people/{personId}#{section}");
    }

    /// <summary>The Change page: the record opened through the need-to-know check, then the stored fact in the form.</summary>
    protected async Task<IActionResult> ShowCorrectionAsync<TItem>(Guid personId, Func<Task<TItem?>> find, Func<Task>? prepare = null)
        where TItem : class, ICorrectableFact<TInput>
    {
        if (await OpenAsync(personId) is { } refused)
        {
            return refused;
        }

        if (prepare is not null)
        {
            await prepare();
        }

        if (await find() is not { } current)
        {
            return NotFound();
        }

        Fill(current.ToInput());
        Version = current.Version;
        return Page();
    }

    /// <summary>
    /// Saves a correction onto the version the worker started from. When a date or record number cannot be read,
    /// every problem is shown and nothing is stored (unless the fact is not on this record at all: 404).
    /// </summary>
    protected async Task<IActionResult> SaveCorrectionAsync<TItem>(Guid personId, Func<Task<TItem?>> find,
        Func<TInput, Task<IReadOnlyDictionary<string, string>>> validate, Func<TInput, Task<CorrectionResult<TItem>>> update, string notice, string section,
        Func<Task>? prepare = null)
        where TItem : class, ICorrectableFact<TInput>
    {
        if (await OpenAsync(personId) is { } refused)
        {
            return refused;
        }

        if (prepare is not null)
        {
            await prepare();
        }

        var input = ReadInput();
        if (Errors.Count > 0)
        {
            return await find() is null ? NotFound() : Invalid(await validate(input));
        }

        return Corrected(await update(input), input, f => f.ToInput(), f => f.Version, v => Version = v, notice, section);
    }

    /// <summary>
    /// Handles the outcome of a correction: back to the record when saved, the errors when invalid, and when someone
    /// else saved first, their version beside this user's (kept in the form), with a 409 status.
    /// </summary>
    protected IActionResult Corrected<TItem>(CorrectionResult<TItem> result, TInput mine, Func<TItem, TInput> toInput, Func<TItem, uint> version, Action<uint> setVersion,
        string notice, string section)
        where TItem : class
    {
        switch (result.Outcome)
        {
            case CorrectionOutcome.Saved:
                TempData["PersonNotice"] = result.ChangedFields.Count == 0 ? "Nothing was changed" : notice;
                return Redirect($"/people/{Id}#{section}");
            case CorrectionOutcome.Conflict:
                Differences = FactConflicts.Compare(Lines(toInput(result.Current!)), Lines(mine));
                setVersion(version(result.Current!));
                HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case CorrectionOutcome.Invalid:
                return Invalid(result.Errors);
            default:
                return NotFound();
        }
    }
}

public abstract class RelationshipFormModel(RecordAccessService access) : FactFormModel<RelationshipInput>(access)
{
    public string? RelatedPersonId { get; set; }
    public string? RelationshipType { get; set; }
    public string? ParentalResponsibility { get; set; }
    public string? StartedOnDay { get; set; }
    public string? StartedOnMonth { get; set; }
    public string? StartedOnYear { get; set; }
    public string? EndedOnDay { get; set; }
    public string? EndedOnMonth { get; set; }
    public string? EndedOnYear { get; set; }
    public string? Source { get; set; }

    public override IReadOnlyList<FactLine> Lines(RelationshipInput input) =>
    [
        new("Haven record number of the related person", input.RelatedPersonId?.ToString() ?? string.Empty),
        new("Relationship", FactConflicts.Label(ReferenceData.FamilyRelationships, input.RelationshipType)),
        new("Parental responsibility", input.ParentalResponsibility switch { true => "Yes", false => "No", null => string.Empty }),
        new("Start date", FactConflicts.Date(input.StartedOn)),
        new("End date", FactConflicts.Date(input.EndedOn)),
        new("Where the information came from", FactConflicts.Label(ReferenceData.InformationSources, input.Source)),
    ];

    protected override RelationshipInput ReadInput() => new(
        ParseRecordNumber("RelatedPersonId", RelatedPersonId),
        RelationshipType,
        ParentalResponsibility switch { "yes" => true, "no" => false, _ => null },
        ParseDate("StartedOn", StartedOnDay, StartedOnMonth, StartedOnYear, "Start date"),
        ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, "End date"),
        Source);

    protected override void Fill(RelationshipInput input)
    {
        RelatedPersonId = input.RelatedPersonId?.ToString();
        RelationshipType = input.RelationshipType;
        ParentalResponsibility = input.ParentalResponsibility switch { true => "yes", false => "no", null => null };
        (StartedOnDay, StartedOnMonth, StartedOnYear) = FactConflicts.Parts(input.StartedOn);
        (EndedOnDay, EndedOnMonth, EndedOnYear) = FactConflicts.Parts(input.EndedOn);
        Source = input.Source;
    }
}

public abstract class HouseholdMemberFormModel(RecordAccessService access) : FactFormModel<HouseholdMembershipInput>(access)
{
    public string? HouseholdId { get; set; }
    public string? NewHouseholdLabel { get; set; }
    public string? LivedFromDay { get; set; }
    public string? LivedFromMonth { get; set; }
    public string? LivedFromYear { get; set; }
    public string? LivedToDay { get; set; }
    public string? LivedToMonth { get; set; }
    public string? LivedToYear { get; set; }
    public string? Source { get; set; }

    /// <summary>Households this person, or their relatives, have lived in (value: household id).</summary>
    [BindNever]
    public IReadOnlyList<(string Code, string Label)> Households { get; private set; } = [];

    public override IReadOnlyList<FactLine> Lines(HouseholdMembershipInput input) =>
    [
        new("Household", input.HouseholdId is { } id
            ? Households.Where(h => h.Code == id.ToString()).Select(h => h.Label).FirstOrDefault() ?? string.Empty
            : input.NewHouseholdLabel ?? string.Empty),
        new("Date moved in", FactConflicts.Date(input.LivedFrom)),
        new("Date moved out", FactConflicts.Date(input.LivedTo)),
        new("Where the information came from", FactConflicts.Label(ReferenceData.InformationSources, input.Source)),
    ];

    protected async Task LoadChoicesAsync(FamilyService family, Guid id) =>
        Households = (await family.HouseholdChoicesAsync(id, HttpContext.RequestAborted)).Select(h => (h.Id.ToString(), h.Label)).ToList();

    protected override HouseholdMembershipInput ReadInput()
    {
        Guid? householdId = null;
        if (!string.IsNullOrEmpty(HouseholdId))
        {
            if (Guid.TryParse(HouseholdId, out var parsed))
            {
                householdId = parsed;
            }
            else
            {
                AddError("HouseholdId", "Select a household from the list");
            }
        }

        return new HouseholdMembershipInput(householdId, NewHouseholdLabel,
            ParseDate("LivedFrom", LivedFromDay, LivedFromMonth, LivedFromYear, "Date moved in"),
            ParseDate("LivedTo", LivedToDay, LivedToMonth, LivedToYear, "Date moved out"),
            Source);
    }

    protected override void Fill(HouseholdMembershipInput input)
    {
        HouseholdId = input.HouseholdId?.ToString();
        NewHouseholdLabel = input.NewHouseholdLabel;
        (LivedFromDay, LivedFromMonth, LivedFromYear) = FactConflicts.Parts(input.LivedFrom);
        (LivedToDay, LivedToMonth, LivedToYear) = FactConflicts.Parts(input.LivedTo);
        Source = input.Source;
    }
}

public abstract class InvolvementFormModel(RecordAccessService access) : FactFormModel<InvolvementInput>(access)
{
    public string? InvolvementType { get; set; }
    public string? StartedOnDay { get; set; }
    public string? StartedOnMonth { get; set; }
    public string? StartedOnYear { get; set; }
    public string? EndedOnDay { get; set; }
    public string? EndedOnMonth { get; set; }
    public string? EndedOnYear { get; set; }
    public string? ReferralSource { get; set; }
    public string? CategoryOfAbuse { get; set; }
    public string? LegalStatus { get; set; }
    public string? AdoptionOrderOnDay { get; set; }
    public string? AdoptionOrderOnMonth { get; set; }
    public string? AdoptionOrderOnYear { get; set; }
    public string? Details { get; set; }
    public string? Source { get; set; }

    public override IReadOnlyList<FactLine> Lines(InvolvementInput input) =>
    [
        new("Type of involvement", FactConflicts.Label(ReferenceData.InvolvementTypes, input.InvolvementType)),
        new("Start date", FactConflicts.Date(input.StartedOn)),
        new("End date", FactConflicts.Date(input.EndedOn)),
        new("Referral source", input.InvolvementType == "referral" ? FactConflicts.Label(ReferenceData.ReferralSources, input.ReferralSource) : string.Empty),
        new("Category of abuse", input.InvolvementType == "child_protection" ? FactConflicts.Label(ReferenceData.CategoriesOfAbuse, input.CategoryOfAbuse) : string.Empty),
        new("Legal status", input.InvolvementType == "looked_after" ? FactConflicts.Label(ReferenceData.LegalStatuses, input.LegalStatus) : string.Empty),
        new("Adoption order date", input.InvolvementType == "adoption" ? FactConflicts.Date(input.AdoptionOrderOn) : string.Empty),
        new("Details", input.Details ?? string.Empty),
        new("Where the information came from", FactConflicts.Label(ReferenceData.InformationSources, input.Source)),
    ];

    protected override InvolvementInput ReadInput() => new(InvolvementType,
        ParseDate("StartedOn", StartedOnDay, StartedOnMonth, StartedOnYear, "Start date"),
        ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, "End date"),
        ReferralSource, CategoryOfAbuse, LegalStatus,
        InvolvementType == "adoption" ? ParseDate("AdoptionOrderOn", AdoptionOrderOnDay, AdoptionOrderOnMonth, AdoptionOrderOnYear, "Adoption order date") : null,
        Details, Source);

    protected override void Fill(InvolvementInput input)
    {
        InvolvementType = input.InvolvementType;
        (StartedOnDay, StartedOnMonth, StartedOnYear) = FactConflicts.Parts(input.StartedOn);
        (EndedOnDay, EndedOnMonth, EndedOnYear) = FactConflicts.Parts(input.EndedOn);
        ReferralSource = input.ReferralSource;
        CategoryOfAbuse = input.CategoryOfAbuse;
        LegalStatus = input.LegalStatus;
        (AdoptionOrderOnDay, AdoptionOrderOnMonth, AdoptionOrderOnYear) = FactConflicts.Parts(input.AdoptionOrderOn);
        Details = input.Details;
        Source = input.Source;
    }
}

public abstract class CourtOrderFormModel(RecordAccessService access) : FactFormModel<CourtOrderInput>(access)
{
    public string? OrderType { get; set; }
    public string? Court { get; set; }
    public string? MadeOnDay { get; set; }
    public string? MadeOnMonth { get; set; }
    public string? MadeOnYear { get; set; }
    public string? EndsOnDay { get; set; }
    public string? EndsOnMonth { get; set; }
    public string? EndsOnYear { get; set; }
    public string? Source { get; set; }

    public override IReadOnlyList<FactLine> Lines(CourtOrderInput input) =>
    [
        new("Type of order", FactConflicts.Label(CaseRecordCodes.CourtOrderTypes, input.OrderType)),
        new("Court", input.Court ?? string.Empty),
        new("Date the order was made", FactConflicts.Date(input.MadeOn)),
        new("End date", FactConflicts.Date(input.EndsOn)),
        new("Where the information came from", FactConflicts.Label(ReferenceData.InformationSources, input.Source)),
    ];

    protected override CourtOrderInput ReadInput() => new(OrderType, Court,
        ParseDate("MadeOn", MadeOnDay, MadeOnMonth, MadeOnYear, "Date the order was made"),
        ParseDate("EndsOn", EndsOnDay, EndsOnMonth, EndsOnYear, "End date"),
        Source);

    protected override void Fill(CourtOrderInput input)
    {
        OrderType = input.OrderType;
        Court = input.Court;
        (MadeOnDay, MadeOnMonth, MadeOnYear) = FactConflicts.Parts(input.MadeOn);
        (EndsOnDay, EndsOnMonth, EndsOnYear) = FactConflicts.Parts(input.EndsOn);
        Source = input.Source;
    }
}

public abstract class ProfessionalFormModel(RecordAccessService access) : FactFormModel<ProfessionalInput>(access)
{
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Organisation { get; set; }
    public string? Contact { get; set; }
    public string? InvolvedFromDay { get; set; }
    public string? InvolvedFromMonth { get; set; }
    public string? InvolvedFromYear { get; set; }
    public string? InvolvedToDay { get; set; }
    public string? InvolvedToMonth { get; set; }
    public string? InvolvedToYear { get; set; }
    public string? Source { get; set; }

    public override IReadOnlyList<FactLine> Lines(ProfessionalInput input) =>
    [
        new("Role", FactConflicts.Label(CaseRecordCodes.ProfessionalRoles, input.Role)),
        new("Name", input.Name ?? string.Empty),
        new("Organisation", input.Organisation ?? string.Empty),
        new("Contact details", input.Contact ?? string.Empty),
        new("Involved from", FactConflicts.Date(input.InvolvedFrom)),
        new("Involved to", FactConflicts.Date(input.InvolvedTo)),
        new("Where the information came from", FactConflicts.Label(ReferenceData.InformationSources, input.Source)),
    ];

    protected override ProfessionalInput ReadInput() => new(Role, Name, Organisation, Contact,
        ParseDate("InvolvedFrom", InvolvedFromDay, InvolvedFromMonth, InvolvedFromYear, "Start date"),
        ParseDate("InvolvedTo", InvolvedToDay, InvolvedToMonth, InvolvedToYear, "End date"),
        Source);

    protected override void Fill(ProfessionalInput input)
    {
        Role = input.Role;
        Name = input.Name;
        Organisation = input.Organisation;
        Contact = input.Contact;
        (InvolvedFromDay, InvolvedFromMonth, InvolvedFromYear) = FactConflicts.Parts(input.InvolvedFrom);
        (InvolvedToDay, InvolvedToMonth, InvolvedToYear) = FactConflicts.Parts(input.InvolvedTo);
        Source = input.Source;
    }
}
