namespace Haven.Core.Security;

public sealed class SecurityOptions
{
    /// <summary>Failed password or code attempts before an account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Minutes without activity before a session ends.</summary>
    public int IdleTimeoutMinutes { get; set; } = 20;

    /// <summary>How long before the idle timeout the warning appears.</summary>
    public int TimeoutWarningSeconds { get; set; } = 120;

    /// <summary>Data-protection training older than this many months stops a user opening records.</summary>
    public int TrainingValidMonths { get; set; } = 12;

    /// <summary>How long emergency (break-glass) access to one record lasts.</summary>
    public int BreakGlassHours { get; set; } = 8;
}
