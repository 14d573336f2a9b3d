using Microsoft.Extensions.DependencyInjection;

namespace Haven.Core.People;

public static class CaseRecordServices
{
    /// <summary>Registers the family, involvement and education services (one line in the host's startup).</summary>
    public static IServiceCollection AddCaseRecordServices(this IServiceCollection services)
    {
        services.AddScoped<FamilyService>();
        services.AddScoped<InvolvementService>();
        services.AddScoped<EducationService>();
        return services;
    }
}
