namespace Haven.Core.Security;

/// <summary>The people who sign in to Haven (DESIGN.md §1).</summary>
public static class Roles
{
    public const string Practitioner = "practitioner";
    public const string TeamManager = "team_manager";
    public const string ReviewBusinessOfficer = "review_business_officer";
    public const string LeadReviewer = "lead_reviewer";
    public const string ReviewTeamMember = "review_team_member";
    public const string PartnerContributor = "partner_contributor";
    public const string TrainingAdministrator = "training_administrator";
    public const string DataProtectionOfficer = "dpo";
    public const string InformationGovernance = "information_governance";
    public const string SystemAdministrator = "system_administrator";
    public const string NhsClinician = "nhs_clinician";

    public static readonly IReadOnlyList<string> All =
    [
        Practitioner, TeamManager, ReviewBusinessOfficer, LeadReviewer, ReviewTeamMember, PartnerContributor,
        TrainingAdministrator, DataProtectionOfficer, InformationGovernance, SystemAdministrator, NhsClinician,
    ];

    /// <summary>Roles that must use two-factor sign-in.</summary>
    public static readonly IReadOnlySet<string> RequireTwoFactor = new HashSet<string> { SystemAdministrator, DataProtectionOfficer };

    public static string DisplayName(string role) => role switch
    {
        Practitioner => "Social worker or early-help practitioner",
        TeamManager => "Team manager",
        ReviewBusinessOfficer => "Review business officer",
        LeadReviewer => "Lead reviewer",
        ReviewTeamMember => "Review team member",
        PartnerContributor => "Partner-agency contributor",
        TrainingAdministrator => "Training administrator",
        DataProtectionOfficer => "Data Protection Officer",
        InformationGovernance => "Information governance officer",
        SystemAdministrator => "System administrator",
        NhsClinician => "NHS unscheduled-care clinician",
        _ => role,
    };
}
