namespace Haven.Core.Audit;

/// <summary>The typed audit actions Haven records. Tests assert on these names.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "sign_in.succeeded";
    public const string SignInFailed = "sign_in.failed";
    public const string SignInLockedOut = "sign_in.locked_out";
    public const string TwoFactorFailed = "sign_in.two_factor_failed";
    public const string TwoFactorEnrolled = "account.two_factor_enrolled";
    public const string SignedOut = "sign_out";
    public const string SessionTimedOut = "session.timed_out";
    public const string PasswordChanged = "account.password_changed";

    public const string UserCreated = "user.created";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password_reset";
    public const string UserTwoFactorReset = "user.two_factor_reset";
    public const string UserTrainingRecorded = "user.training_recorded";
    public const string UsersListed = "user.listed";
    public const string UserViewed = "user.viewed";

    public const string PersonRecordViewed = "person.viewed";
    public const string PersonRecordDenied = "person.access_denied";
    public const string PersonListViewed = "person.list_viewed";
    public const string PersonCreated = "person.created";
    public const string PersonUpdated = "person.updated";
    public const string PersonSearched = "person.searched";
    public const string BreakGlassUsed = "person.break_glass";
    public const string BreakGlassReviewed = "person.break_glass_reviewed";

    public const string AuditLogViewed = "audit.viewed";
    public const string AuditVerified = "audit.verified";
}
