using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>The person form shared by the create and edit pages: every field posts as plain text and is checked in Core.</summary>
[BindProperties]
public abstract class PersonFormPageModel : HavenPageModel
{
    public string? PersonType { get; set; } = "child";
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? KnownAs { get; set; }
    public string? DateOfBirthDay { get; set; }
    public string? DateOfBirthMonth { get; set; }
    public string? DateOfBirthYear { get; set; }
    public bool DateOfBirthEstimated { get; set; }
    public string? ExpectedDateOfBirthDay { get; set; }
    public string? ExpectedDateOfBirthMonth { get; set; }
    public string? ExpectedDateOfBirthYear { get; set; }
    public string? MotherId { get; set; }
    public string? DateOfDeathDay { get; set; }
    public string? DateOfDeathMonth { get; set; }
    public string? DateOfDeathYear { get; set; }
    public string? Gender { get; set; }
    public string? Ethnicity { get; set; }
    public string? Religion { get; set; }
    public string? Disability { get; set; }
    public string? SexualOrientation { get; set; }
    public string? FirstLanguage { get; set; }
    public string? NhsNumber { get; set; }
    public string? Upn { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? Town { get; set; }
    public string? Postcode { get; set; }

    private static readonly Dictionary<string, string?> Categories = CollectionPoints.Of(typeof(PersonInput)).ToDictionary(p => p.Field, p => p.Category);

    /// <summary>The register service this form's data falls under; fields it does not declare are not asked for.</summary>
    [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
    public CollectionScope? Scope { get; protected set; }

    /// <summary>
    /// Whether the form asks for a field: yes when the register declares its category for this service, or when
    /// the record already holds a value (so it can be seen and cleared).
    /// </summary>
    public bool Asks(string field)
    {
        if (Scope?.Service is null || !Categories.TryGetValue(field, out var category) || category is null || Scope.Declares(category))
        {
            return true;
        }

        var type = GetType();
        var value = (type.GetProperty(field) ?? type.GetProperty(field + "Day"))?.GetValue(this);
        return value is string text ? !string.IsNullOrWhiteSpace(text) : value is true;
    }

    /// <summary>Labels of the fields not asked for, for the explanation above the form.</summary>
    public IReadOnlyList<string> NotAsked(IReadOnlyDictionary<string, string> labels) =>
        labels.Where(l => !Asks(l.Key)).Select(l => l.Value).ToList();

    /// <summary>Turns the posted form into a PersonInput, adding an error for each date that is not a real date.</summary>
    protected PersonInput ToInput()
    {
        var (dob, dobError) = DateInput.Parse(DateOfBirthDay, DateOfBirthMonth, DateOfBirthYear, "Date of birth");
        AddError("DateOfBirth", dobError);
        var (edd, eddError) = DateInput.Parse(ExpectedDateOfBirthDay, ExpectedDateOfBirthMonth, ExpectedDateOfBirthYear, "Expected date of birth");
        AddError("ExpectedDateOfBirth", eddError);
        var (dod, dodError) = DateInput.Parse(DateOfDeathDay, DateOfDeathMonth, DateOfDeathYear, "Date of death");
        AddError("DateOfDeath", dodError);
        Guid? mother = null;
        if (!string.IsNullOrWhiteSpace(MotherId))
        {
            if (Guid.TryParse(MotherId.Trim(), out var id))
            {
                mother = id;
            }
            else
            {
                AddError("MotherId", "Enter the mother's Haven record number as it appears on her record, like 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
            }
        }

        return new PersonInput
        {
            PersonType = PersonType,
            GivenName = GivenName,
            FamilyName = FamilyName,
            KnownAs = KnownAs,
            DateOfBirth = dob,
            DateOfBirthEstimated = DateOfBirthEstimated,
            ExpectedDateOfBirth = edd,
            MotherId = mother,
            DateOfDeath = dod,
            Gender = Gender,
            Ethnicity = Ethnicity,
            Religion = Religion,
            Disability = Disability,
            SexualOrientation = SexualOrientation,
            FirstLanguage = FirstLanguage,
            NhsNumber = NhsNumber,
            Upn = Upn,
            Phone = Phone,
            Email = Email,
            AddressLine1 = AddressLine1,
            AddressLine2 = AddressLine2,
            Town = Town,
            Postcode = Postcode,
        };
    }

    /// <summary>Fills the form from a stored record, for editing.</summary>
    protected void Fill(PersonView view)
    {
        var p = view.Person;
        PersonType = p.PersonType;
        GivenName = p.GivenName;
        FamilyName = p.FamilyName;
        KnownAs = p.KnownAs;
        (DateOfBirthDay, DateOfBirthMonth, DateOfBirthYear) = (DateInput.Part(p.DateOfBirth, 'd'), DateInput.Part(p.DateOfBirth, 'm'), DateInput.Part(p.DateOfBirth, 'y'));
        DateOfBirthEstimated = p.DateOfBirthEstimated;
        (ExpectedDateOfBirthDay, ExpectedDateOfBirthMonth, ExpectedDateOfBirthYear) = (DateInput.Part(p.ExpectedDateOfBirth, 'd'), DateInput.Part(p.ExpectedDateOfBirth, 'm'), DateInput.Part(p.ExpectedDateOfBirth, 'y'));
        (DateOfDeathDay, DateOfDeathMonth, DateOfDeathYear) = (DateInput.Part(p.DateOfDeath, 'd'), DateInput.Part(p.DateOfDeath, 'm'), DateInput.Part(p.DateOfDeath, 'y'));
        MotherId = p.MotherId?.ToString();
        Gender = p.Gender;
        Ethnicity = view.Ethnicity;
        Religion = view.Religion;
        Disability = view.Disability;
        SexualOrientation = view.SexualOrientation;
        FirstLanguage = p.FirstLanguage;
        NhsNumber = p.NhsNumber;
        Upn = p.Upn;
        Phone = p.Phone;
        Email = p.Email;
        var address = view.CurrentAddress;
        AddressLine1 = address?.Line1;
        AddressLine2 = address?.Line2;
        Town = address?.Town;
        Postcode = address?.Postcode;
    }
}
