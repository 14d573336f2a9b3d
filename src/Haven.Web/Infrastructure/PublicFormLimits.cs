using System.Threading.RateLimiting;

namespace Haven.Web.Infrastructure;

/// <summary>
/// Rate limits for the public forms that anyone can post without signing in (rights requests and the status check):
/// a fixed number of posts per client address per minute, so nobody can flood the request queue or guess status codes.
/// Reading the pages is never limited. Set Haven:RateLimits:PublicFormPostsPerMinute to change the limit.
/// </summary>
public static class PublicFormLimits
{
    public const string Policy = "public-forms";

    public static IServiceCollection AddHavenPublicFormLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Haven:RateLimits:PublicFormPostsPerMinute", 10);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }
}
