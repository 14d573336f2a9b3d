using Haven.Core.People;

namespace Haven.Tests.Unit.People;

public sealed class ReferenceDataTests
{
    public static TheoryData<string> ListNames => [.. ReferenceData.All.Select(l => l.Name)];

    private static CodeList List(string name) => ReferenceData.All.Single(l => l.Name == name);

    [Theory]
    [MemberData(nameof(ListNames))]
    public void Every_list_has_unique_codes_and_labels(string name)
    {
        var list = List(name);
        Assert.NotEmpty(list);
        Assert.Equal(list.Count, list.Codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(list.Count, list.Select(i => i.Label).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(list, item =>
        {
            Assert.Equal(item.Code.Trim(), item.Code);
            Assert.Equal(item.Label.Trim(), item.Label);
            Assert.True(list.IsValid(item.Code));
            Assert.True(list.TryGet(item.Code, out var found));
            Assert.Same(item, found);
            Assert.Equal(item.Label, list.LabelFor(item.Code));
        });
    }

    [Fact]
    public void List_names_are_unique() =>
        Assert.Equal(ReferenceData.All.Count, ReferenceData.All.Select(l => l.Name).Distinct().Count());

    [Fact]
    public void Lookups_are_exact()
    {
        Assert.True(ReferenceData.Ethnicity.TryGet("WBRI", out var white));
        Assert.Equal("White - British", white.Label);
        Assert.False(ReferenceData.Ethnicity.TryGet("wbri", out _));
        Assert.False(ReferenceData.Ethnicity.TryGet(" WBRI", out _));
        Assert.False(ReferenceData.Ethnicity.TryGet(null, out _));
        Assert.False(ReferenceData.Ethnicity.IsValid("XXXX"));
        Assert.Null(ReferenceData.Ethnicity.LabelFor("XXXX"));
        Assert.Equal("Single period of accommodation under section 20 (Children Act 1989)", ReferenceData.LegalStatuses.LabelFor("V2"));
        Assert.Equal("Police", ReferenceData.ReferralSources.LabelFor("6"));
        Assert.Equal("Neglect", ReferenceData.CategoriesOfAbuse.LabelFor("NEG"));
        Assert.Equal("Another gender identity", ReferenceData.Gender.LabelFor("another"));
    }

    [Fact]
    public void DfE_lists_hold_the_census_code_sets()
    {
        Assert.Equal(
            ["WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"],
            ReferenceData.Ethnicity.Codes);
        Assert.Equal(["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"], ReferenceData.LegalStatuses.Codes);
        Assert.Equal(
            ["1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"],
            ReferenceData.ReferralSources.Codes);
        Assert.Equal(["NEG", "PHY", "SAB", "EMO", "MUL"], ReferenceData.CategoriesOfAbuse.Codes);
        Assert.Equal(["E", "K", "N"], ReferenceData.SendProvision.Codes);
        Assert.Equal(["PEP", "PSP"], ReferenceData.PlanTypes.Codes);
    }

    [Fact]
    public void Haven_lists_use_snake_case_codes()
    {
        CodeList[] own =
        [
            ReferenceData.Gender, ReferenceData.PersonTypes, ReferenceData.FamilyRelationships, ReferenceData.ContactTypes,
            ReferenceData.InformationSources, ReferenceData.InvolvementTypes,
        ];
        Assert.All(own.SelectMany(l => l.Codes), code => Assert.Matches("^[a-z]+(_[a-z]+)*$", code));
    }

    [Fact]
    public void Checks_say_select()
    {
        Assert.Null(ReferenceData.ContactTypes.Check("visit", "Contact type"));
        Assert.Equal("Select contact type", ReferenceData.ContactTypes.Check("", "Contact type"));
        Assert.Null(ReferenceData.ContactTypes.Check(null, "Contact type", required: false));
        Assert.Equal("Select contact type from the list", ReferenceData.ContactTypes.Check("fax", "Contact type"));
    }

    [Fact]
    public void Duplicate_codes_are_refused_when_a_list_is_built()
    {
        Assert.Throws<ArgumentException>(() => new CodeList("Test", [new("a", "A"), new("a", "Another A")]));
        Assert.Throws<ArgumentException>(() => new CodeList("Test", [new("", "Blank")]));
    }
}
