namespace Haven.Core.Audit;

/// <summary>Who is acting, from where, and under which request: filled in by the web host for each request.</summary>
public sealed record AuditActor(Guid? UserId, string? Role, string? ClientAddress, string? RequestId)
{
    public static readonly AuditActor System = new(null, "system", null, null);
}

/// <summary>What happened, to whom, and why.</summary>
public sealed record AuditEntry(string Action, IReadOnlyCollection<Guid>? PersonIds = null, string? Purpose = null, string? Details = null);

public interface IAuditActorAccessor
{
    AuditActor Current { get; }
}

/// <summary>For commands run outside a web request (migrate, seed-demo, audit verify).</summary>
public sealed class SystemAuditActorAccessor : IAuditActorAccessor
{
    public AuditActor Current => AuditActor.System;
}
