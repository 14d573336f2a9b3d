using System.Collections;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Haven.Core.People;

/// <summary>One entry in a code list: the code that is stored, and the label people see.</summary>
public sealed record CodeLabel(string Code, string Label);

/// <summary>
/// An immutable, ordered list of codes and labels, for radios, selects and validation. Codes are unique and matched
/// exactly (case-sensitive, no trimming): they come from the list itself, not from typing.
/// </summary>
public sealed class CodeList : IReadOnlyList<CodeLabel>
{
    private readonly ImmutableArray<CodeLabel> _items;
    private readonly FrozenDictionary<string, CodeLabel> _byCode;

    public CodeList(string name, IEnumerable<CodeLabel> items)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(items);
        Name = name;
        _items = [.. items];
        var byCode = new Dictionary<string, CodeLabel>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            if (string.IsNullOrWhiteSpace(item.Code) || string.IsNullOrWhiteSpace(item.Label))
            {
                throw new ArgumentException($"Every entry in the {name} list needs a code and a label.", nameof(items));
            }

            if (!byCode.TryAdd(item.Code, item))
            {
                throw new ArgumentException($"The code {item.Code} appears twice in the {name} list.", nameof(items));
            }
        }

        _byCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>What the list is of, in sentence case, like "Ethnicity".</summary>
    public string Name { get; }

    public ImmutableArray<CodeLabel> Items => _items;

    public IEnumerable<string> Codes => _items.Select(i => i.Code);

    public int Count => _items.Length;

    public CodeLabel this[int index] => _items[index];

    public bool TryGet(string? code, [NotNullWhen(true)] out CodeLabel? item)
    {
        if (code is null)
        {
            item = null;
            return false;
        }

        return _byCode.TryGetValue(code, out item);
    }

    public bool IsValid([NotNullWhen(true)] string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>The label for a code, or null when the code is not in the list.</summary>
    public string? LabelFor(string? code) => TryGet(code, out var item) ? item.Label : null;

    /// <summary>
    /// Returns an error message naming the field, or null when the code is acceptable. Radios and selects say "Select …",
    /// as in the GOV.UK Design System.
    /// </summary>
    public string? Check(string? code, string fieldLabel, bool required = true)
    {
        if (string.IsNullOrEmpty(code))
        {
            return required ? $"Select {fieldLabel.ToLowerInvariant()}" : null;
        }

        return IsValid(code) ? null : $"Select {fieldLabel.ToLowerInvariant()} from the list";
    }

    public IEnumerator<CodeLabel> GetEnumerator() => ((IEnumerable<CodeLabel>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The code lists used on people and case records. Lists that come from Department for Education statutory returns use
/// the DfE codes, so they can be reported without mapping; Haven's own lists use lower-case snake_case codes, like
/// <see cref="Security.Roles"/>.
/// </summary>
public static class ReferenceData
{
    /// <summary>Main ethnicity codes of the DfE school census, children in need census and SSDA903 return.</summary>
    public static readonly CodeList Ethnicity = new("Ethnicity",
    [
        new("WBRI", "White - British"),
        new("WIRI", "White - Irish"),
        new("WIRT", "Traveller of Irish heritage"),
        new("WOTH", "Any other White background"),
        new("WROM", "Gypsy/Roma"),
        new("MWBC", "White and Black Caribbean"),
        new("MWBA", "White and Black African"),
        new("MWAS", "White and Asian"),
        new("MOTH", "Any other mixed background"),
        new("AIND", "Indian"),
        new("APKN", "Pakistani"),
        new("ABAN", "Bangladeshi"),
        new("AOTH", "Any other Asian background"),
        new("BCRB", "Black Caribbean"),
        new("BAFR", "Black - African"),
        new("BOTH", "Any other Black background"),
        new("CHNE", "Chinese"),
        new("OOTH", "Any other ethnic group"),
        new("REFU", "Refused"),
        new("NOBT", "Information not yet obtained"),
    ]);

    public static readonly CodeList Gender = new("Gender",
    [
        new("male", "Male"),
        new("female", "Female"),
        new("another", "Another gender identity"),
        new("not_known", "Not known"),
        new("prefer_not_to_say", "Prefer not to say"),
    ]);

    public static readonly CodeList PersonTypes = new("Person type",
    [
        new("child", "Child"),
        new("unborn_child", "Unborn child"),
        new("adult_family_member", "Adult family member"),
        new("significant_other", "Significant other"),
    ]);

    /// <summary>How a person is related to the child, read as "[person] is the child's …".</summary>
    public static readonly CodeList FamilyRelationships = new("Relationship",
    [
        new("mother", "Mother"),
        new("father", "Father"),
        new("step_parent", "Step-parent"),
        new("sibling", "Brother or sister"),
        new("half_sibling", "Half-brother or half-sister"),
        new("grandparent", "Grandparent"),
        new("aunt_or_uncle", "Aunt or uncle"),
        new("carer", "Carer"),
        new("foster_carer", "Foster carer"),
        new("other", "Other"),
    ]);

    public static readonly CodeList ContactTypes = new("Contact type",
    [
        new("visit", "Visit"),
        new("phone_call", "Phone call"),
        new("letter", "Letter"),
        new("email", "Email"),
        new("meeting", "Meeting"),
    ]);

    /// <summary>Where a piece of recorded information came from.</summary>
    public static readonly CodeList InformationSources = new("Source of information",
    [
        new("family", "Family"),
        new("carer", "Carer"),
        new("gp", "GP"),
        new("police", "Police"),
        new("school", "School"),
        new("health_visitor", "Health visitor"),
        new("other_agency", "Another agency"),
        new("child", "The child"),
    ]);

    public static readonly CodeList InvolvementTypes = new("Involvement type",
    [
        new("referral", "Referral"),
        new("early_help", "Early help episode"),
        new("child_in_need", "Child in need plan"),
        new("child_protection", "Child protection plan"),
        new("looked_after", "Looked after"),
        new("police_protection", "Police protection"),
        new("care_leaver", "Care leaver"),
        new("adoption", "Adoption"),
        new("disability", "Disability"),
        new("youth_justice", "Youth justice"),
    ]);

    /// <summary>Category of abuse on a child protection plan: the children in need census codes.</summary>
    public static readonly CodeList CategoriesOfAbuse = new("Category of abuse",
    [
        new("NEG", "Neglect"),
        new("PHY", "Physical abuse"),
        new("SAB", "Sexual abuse"),
        new("EMO", "Emotional abuse"),
        new("MUL", "Multiple"),
    ]);

    /// <summary>Legal status of a looked-after child: the DfE SSDA903 (children looked after) return codes.</summary>
    public static readonly CodeList LegalStatuses = new("Legal status",
    [
        new("C1", "Interim care order"),
        new("C2", "Full care order"),
        new("D1", "Freeing order granted"),
        new("E1", "Placement order granted"),
        new("J1", "Remanded to local authority accommodation or to youth detention accommodation"),
        new("J2", "Placed in local authority accommodation under the Police and Criminal Evidence Act 1984, including secure accommodation"),
        new("J3", "Sentenced to a youth rehabilitation order with a residence or intensive fostering requirement"),
        new("L1", "Under police protection and in local authority accommodation"),
        new("L2", "Emergency protection order (EPO)"),
        new("L3", "Under a child assessment order and in local authority accommodation"),
        new("V2", "Single period of accommodation under section 20 (Children Act 1989)"),
        new("V3", "Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded"),
        new("V4", "Accommodated under an agreed series of short-term breaks, when agreements are recorded (not individual episodes of care)"),
    ]);

    /// <summary>Source of a referral: the children in need census codes.</summary>
    public static readonly CodeList ReferralSources = new("Referral source",
    [
        new("1A", "Individual - family member, relative or carer"),
        new("1B", "Individual - acquaintance, including neighbours and childminders"),
        new("1C", "Individual - self"),
        new("1D", "Individual - other, including strangers and MPs"),
        new("2A", "Schools"),
        new("2B", "Education services"),
        new("3A", "Health services - GP"),
        new("3B", "Health services - health visitor"),
        new("3C", "Health services - school nurse"),
        new("3D", "Health services - other primary health services"),
        new("3E", "Health services - A&E (emergency department)"),
        new("3F", "Health services - other"),
        new("4", "Housing (local authority housing or housing association)"),
        new("5A", "Local authority services - social care, for example adult social care"),
        new("5B", "Local authority services - other internal department"),
        new("5C", "Local authority services - external, for example from another local authority"),
        new("5D", "Local authority services - early help"),
        new("6", "Police"),
        new("7", "Other legal agency, for example courts, probation, immigration, Cafcass or prison"),
        new("8", "Other, for example children's centres, voluntary organisations or independent providers"),
        new("9", "Anonymous"),
        new("10", "Unknown"),
    ]);

    /// <summary>Special educational needs provision: the DfE census SEN provision codes.</summary>
    public static readonly CodeList SendProvision = new("SEND provision",
    [
        new("E", "Education, health and care (EHC) plan"),
        new("K", "SEN support"),
        new("N", "No special educational need"),
    ]);

    public static readonly CodeList PlanTypes = new("Plan type",
    [
        new("PEP", "Personal education plan (PEP)"),
        new("PSP", "Pastoral support plan (PSP)"),
    ]);

    /// <summary>Every list above, for admin pages and tests. Declared last so the lists exist when it is built.</summary>
    public static readonly IReadOnlyList<CodeList> All =
    [
        Ethnicity, Gender, PersonTypes, FamilyRelationships, ContactTypes, InformationSources, InvolvementTypes,
        CategoriesOfAbuse, LegalStatuses, ReferralSources, SendProvision, PlanTypes,
    ];
}
