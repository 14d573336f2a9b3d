using Haven.Core.Rights;

namespace Haven.Web.Infrastructure;

/// <summary>Services of the information rights module (DESIGN.md §5).</summary>
public static class RightsStartup
{
    public static IServiceCollection AddHavenRights(this IServiceCollection services)
    {
        services.AddScoped<RightsRequestService>();
        services.AddScoped<RestrictionService>();
        services.AddScoped<ErasureService>();
        services.AddScoped<RectificationService>();
        services.AddScoped<ObjectionService>();
        services.AddScoped<ConsentService>();
        services.AddScoped<PortabilityExport>();
        return services;
    }
}
