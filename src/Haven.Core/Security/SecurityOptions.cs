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

    /// <summary>
    /// Cookies are Secure, carry the __Host- prefix and HTTP is redirected to HTTPS. Only a Haven listening on the
    /// loopback interface (a developer's or evaluator's machine) may turn this off; see HavenStartup.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Trust X-Forwarded-For and X-Forwarded-Proto from a TLS-terminating proxy in front of Haven.</summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Cookie names: the __Host- prefix makes browsers insist on Secure, path / and no domain.</summary>
    public string CookieName(string name) => RequireHttps ? "__Host-" + name : name;

    /// <summary>How long emergency (break-glass) access to one record lasts.</summary>
    public int BreakGlassHours { get; set; } = 8;
}
