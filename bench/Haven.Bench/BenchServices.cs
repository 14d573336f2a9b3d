using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Demo;
using Haven.Core.Keys;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// The services every benchmark needs to seed the demo and run Haven's own code against a database of the
/// benchmark's cluster, outside the web host; each benchmark adds the services it measures.
/// </summary>
internal static class BenchServices
{
    public static ServiceProvider Build(EmbeddedPostgres cluster, string database, Action<IServiceCollection> measured)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(cluster.AppConnectionString(database)).Build());
        services.AddDbContext<HavenDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<IAuditActorAccessor, SystemAuditActorAccessor>();
        services.AddScoped<AuditWriter>();
        services.AddScoped<AccountService>();
        services.AddScoped<RegisterService>();
        services.AddScoped<DemoSeeder>();
        services.AddSingleton(_ => new MasterKey(cluster.MasterKey()));
        services.AddSingleton<FieldCipher>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddOptions<SecurityOptions>();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        measured(services);
        return services.BuildServiceProvider();
    }
}
