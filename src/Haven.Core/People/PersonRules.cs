namespace Haven.Core.People;

/// <summary>The rules and choices the person form and API share: identifiers, person types, genders and ethnicities.</summary>
public static class PersonRules
{
    /// <summary>Person types as stored (the database constrains them to these).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> PersonTypeOptions =
    [
        ("child", "Child"),
        ("unborn", "Unborn child"),
        ("adult", "Adult family member"),
        ("significant_other", "Significant other"),
    ];

    public static readonly IReadOnlySet<string> PersonTypes = PersonTypeOptions.Select(o => o.Code).ToHashSet();

    public static IEnumerable<(string Code, string Label)> GenderOptions => ReferenceData.Gender.Select(g => (g.Code, g.Label));

    public static IEnumerable<(string Code, string Label)> EthnicityOptions => ReferenceData.Ethnicity.Select(e => (e.Code, $"{e.Label} ({e.Code})"));

    public static bool IsGender(string code) => ReferenceData.Gender.IsValid(code);

    public static bool IsEthnicity(string code) => ReferenceData.Ethnicity.IsValid(code);

    public static string PersonTypeLabel(string code) => PersonTypeOptions.FirstOrDefault(o => o.Code == code).Label ?? code;

    public static string GenderLabel(string? code) => ReferenceData.Gender.LabelFor(code) ?? string.Empty;

    public static string EthnicityLabel(string? code) => ReferenceData.Ethnicity.LabelFor(code) is { } label ? $"{label} ({code})" : string.Empty;

    public static (string? Value, string? Error) NhsNumber(string? input)
    {
        var result = People.NhsNumber.Check(input);
        return (result.Value, result.Error);
    }

    public static string? FormatNhsNumber(string? value) => string.IsNullOrEmpty(value) ? null : People.NhsNumber.Format(value);

    public static (string? Value, string? Error) Upn(string? input)
    {
        var result = UniquePupilNumber.Check(input);
        return (result.Value, result.Error);
    }

    public static (string? Value, string? Error) Postcode(string? input, bool required)
    {
        var result = People.Postcode.Check(input, required);
        return (result.Value, result.Error);
    }
}
