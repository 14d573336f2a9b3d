namespace Haven.Core.Security;

/// <summary>
/// The one role→permission table. Each permission is also the name of an authorization policy.
/// Opening a particular person's record additionally needs a working relationship (see RecordAccessService).
/// </summary>
public static class Permissions
{
    public const string ViewPeople = "people.view";
    public const string ViewRestrictedRecords = "people.view_restricted";
    public const string RecordPeople = "people.record";
    public const string BreakGlass = "people.break_glass";
    public const string ReviewBreakGlass = "people.review_break_glass";
    public const string ManageUsers = "users.manage";
    public const string ViewAudit = "audit.view";
    public const string ManageTraining = "training.manage";
    public const string ManagePracticeReviews = "reviews.manage";
    public const string ManageRegister = "register.manage";
    public const string ViewRegister = "register.view";
    public const string ManageRetention = "retention.manage";
    public const string ManageRights = "rights.manage";
    public const string LookupCpis = "cpis.lookup";
    public const string ManageSharing = "sharing.manage";
    public const string ManageCpis = "cpis.manage";
    public const string ReceiveCpisNotifications = "cpis.notifications";

    private static readonly Dictionary<string, string[]> Table = new()
    {
        [Roles.Practitioner] = [ViewPeople, RecordPeople, BreakGlass, ReceiveCpisNotifications],
        [Roles.TeamManager] = [ViewPeople, RecordPeople, ViewRestrictedRecords, BreakGlass, ReviewBreakGlass, ReceiveCpisNotifications],
        [Roles.ReviewBusinessOfficer] = [ViewPeople, ManagePracticeReviews],
        [Roles.LeadReviewer] = [ViewPeople],
        [Roles.ReviewTeamMember] = [ViewPeople],
        [Roles.PartnerContributor] = [ViewPeople],
        [Roles.TrainingAdministrator] = [ManageTraining],
        [Roles.DataProtectionOfficer] = [ViewPeople, ViewRestrictedRecords, BreakGlass, ViewAudit, ViewRegister, ManageRegister, ManageRetention, ManageRights, ManageSharing, ManageCpis, ReceiveCpisNotifications],
        [Roles.InformationGovernance] = [ViewPeople, BreakGlass, ViewAudit, ViewRegister, ManageRetention, ManageRights, ManageSharing],
        [Roles.SystemAdministrator] = [ManageUsers, ViewAudit, ManageCpis],
        [Roles.NhsClinician] = [LookupCpis],
    };

    public static readonly IReadOnlyList<string> All =
    [
        ViewPeople, RecordPeople, ViewRestrictedRecords, BreakGlass, ReviewBreakGlass, ManageUsers, ViewAudit,
        ManageTraining, ManagePracticeReviews, ViewRegister, ManageRegister, ManageRetention, ManageRights, LookupCpis, ManageSharing, ManageCpis, ReceiveCpisNotifications,
    ];

    public static IReadOnlyList<string> ForRole(string role) => Table.TryGetValue(role, out var permissions) ? permissions : [];

    public static bool Grants(IEnumerable<string> roles, string permission) => roles.Any(r => ForRole(r).Contains(permission));

    public static string Describe(string permission) => permission switch
    {
        ViewPeople => "Open people's records where they have a working relationship",
        RecordPeople => "Create people's records and change those they work with",
        ViewRestrictedRecords => "Open restricted records (adoption, sealed cases)",
        BreakGlass => "Open a record in an emergency with a recorded reason",
        ReviewBreakGlass => "Review emergency (break-glass) access by their team",
        ManageUsers => "Create, disable and reset user accounts",
        ViewAudit => "View and verify the audit log",
        ManageTraining => "Run courses and bookings",
        ManagePracticeReviews => "Run practice reviews",
        ManageRegister => "Import and change their own organisation's privacy register",
        ViewRegister => "Read privacy registers, the Article 30 record and the conformance evidence",
        ManageRetention => "Run retention, decide retention reviews and place or release legal holds",
        ManageRights => "Handle information rights requests: identity checks, searches, redaction, sign-off and decisions",
        LookupCpis => "Look up a child on the CP-IS list",
        ManageSharing => "Keep partner organisations and information-sharing agreements, and read the disclosure log",
        ManageCpis => "Register and revoke CP-IS settings and set the organisation's CP-IS contact numbers",
        ReceiveCpisNotifications => "See CP-IS access notifications and concerns for the children their team is responsible for",
        _ => permission,
    };
}
