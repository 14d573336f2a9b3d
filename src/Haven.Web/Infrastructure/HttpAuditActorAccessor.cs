using System.Security.Claims;
using Haven.Core.Audit;

namespace Haven.Web.Infrastructure;

/// <summary>Fills in who, from where and which request for every audit event raised during a web request.</summary>
public sealed class HttpAuditActorAccessor(IHttpContextAccessor accessor) : IAuditActorAccessor
{
    public AuditActor Current
    {
        get
        {
            var context = accessor.HttpContext;
            if (context is null)
            {
                return AuditActor.System;
            }

            var user = context.User;
            Guid? userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
            var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
            return new AuditActor(userId, roles.Count == 0 ? null : string.Join(',', roles),
                context.Connection.RemoteIpAddress?.ToString() ?? "local", context.TraceIdentifier);
        }
    }
}
