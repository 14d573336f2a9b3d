namespace Haven.Core.People;

/// <summary>
/// Code lists used only by family, involvement and education records. They live here rather than in
/// <see cref="ReferenceData"/> so that module can be merged without touching the shared lists.
/// </summary>
public static class CaseRecordCodes
{
    public static readonly CodeList CourtOrderTypes = new("Type of order",
    [
        new("care_order", "Care order (section 31)"),
        new("interim_care_order", "Interim care order (section 38)"),
        new("supervision_order", "Supervision order"),
        new("emergency_protection_order", "Emergency protection order"),
        new("child_arrangements_order", "Child arrangements order"),
        new("special_guardianship_order", "Special guardianship order"),
        new("placement_order", "Placement order"),
        new("adoption_order", "Adoption order"),
        new("youth_rehabilitation_order", "Youth rehabilitation order"),
        new("other", "Another order"),
    ]);

    public static readonly CodeList ProfessionalRoles = new("Role",
    [
        new("gp", "GP"),
        new("school", "School"),
        new("health_visitor", "Health visitor"),
        new("police_officer", "Police officer"),
        new("social_worker", "Social worker"),
        new("other", "Other professional"),
    ]);

    public static readonly CodeList ExclusionTypes = new("Type of exclusion",
    [
        new("suspension", "Suspension"),
        new("permanent", "Permanent exclusion"),
    ]);

    /// <summary>The involvements an unborn child can have: a pre-birth plan, and the referral and assessment work before it.</summary>
    public static readonly IReadOnlySet<string> UnbornInvolvements = new HashSet<string>(StringComparer.Ordinal)
    {
        "referral", "early_help", "child_in_need", "child_protection",
    };

    /// <summary>Plans a child can be on only once at a time.</summary>
    public static readonly IReadOnlySet<string> NonOverlappingInvolvements = new HashSet<string>(StringComparer.Ordinal)
    {
        "early_help", "child_in_need", "child_protection", "looked_after", "care_leaver",
    };

    public static IEnumerable<(string Code, string Label)> Options(CodeList list) => list.Select(i => (i.Code, i.Label));
}

/// <summary>Audit actions for family, involvement and education records. Tests assert on these names.</summary>
public static class CaseRecordAuditActions
{
    public const string RelationshipRecorded = "relationship.recorded";
    public const string HouseholdCreated = "household.created";
    public const string HouseholdMemberAdded = "household.member_added";
    public const string HouseholdMemberEnded = "household.member_ended";
    public const string HouseholdViewed = "household.viewed";
    public const string FamilyViewed = "family.viewed";
    public const string InvolvementRecorded = "involvement.recorded";
    public const string InvolvementEnded = "involvement.ended";
    public const string CourtOrderRecorded = "court_order.recorded";
    public const string ProfessionalRecorded = "professional.recorded";
    public const string EducationRecorded = "education.recorded";

    // Corrections of a recorded fact (the right to rectification, or a typo): the details name the fields that
    // changed, never their values.
    public const string RelationshipCorrected = "relationship.corrected";
    public const string HouseholdMemberCorrected = "household.member_corrected";
    public const string InvolvementCorrected = "involvement.corrected";
    public const string CourtOrderCorrected = "court_order.corrected";
    public const string ProfessionalCorrected = "professional.corrected";
}
