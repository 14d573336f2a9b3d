using System.Security.Cryptography;

namespace Haven.Web.Infrastructure;

/// <summary>A fresh nonce for each response; only script and style elements carrying it may run.</summary>
public sealed class CspNonce
{
    public string Value { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
}

public static class SecurityHeaders
{
    public static IApplicationBuilder UseHavenSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = context.RequestServices.GetRequiredService<CspNonce>().Value;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; " +
                "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/assets"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        await next();
    });
}
