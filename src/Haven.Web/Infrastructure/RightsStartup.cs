using Haven.Core.Data;
using Haven.Core.Rights;

namespace Haven.Web.Infrastructure;

/// <summary>Services of the information rights module (DESIGN.md §5).</summary>
public static class RightsStartup
{
    public static IServiceCollection AddHavenRights(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<RightsRequestService>();
        services.AddScoped<MessageDelivery>();
        // Emails go to Haven:Mail:SmtpHost when set; otherwise they are written as .eml files to the pickup directory
        // (by default "outbox" beside the embedded database), where a relay or a person can collect them.
        var dataDirectory = configuration["Haven:Database:DataDirectory"];
        var pickup = configuration["Haven:Mail:PickupDirectory"]
            ?? Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? DatabaseOptions.DefaultDataDirectory() : dataDirectory, "outbox");
        services.AddSingleton(new MailSettings(configuration["Haven:Mail:From"] ?? "no-reply@haven.invalid", configuration["Haven:Mail:SmtpHost"],
            configuration.GetValue("Haven:Mail:SmtpPort", 587), pickup));
        services.AddHostedService<RightsJobs>();
        services.AddScoped<RestrictionService>();
        services.AddScoped<ErasureService>();
        services.AddScoped<RectificationService>();
        services.AddScoped<ObjectionService>();
        services.AddScoped<ConsentService>();
        services.AddScoped<PortabilityExport>();
        return services;
    }
}
