using Haven.Core.Data;
using Haven.Core.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Infrastructure;

/// <summary>Haven in-process, against one database of the test cluster.</summary>
public sealed class HavenFactory(PostgresCluster cluster, string database, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>A fixed master key for the test run (the template database's keys are sealed with it).</summary>
    public static readonly string TestMasterKey = Haven.Core.Keys.MasterKey.Generate();

    public string Database => database;
    public string AppConnectionString => cluster.Cluster.AppConnectionString(database);
    public string OwnerConnectionString => cluster.Cluster.OwnerConnectionString(database);
    public string SuperuserConnectionString => cluster.Cluster.SuperuserConnectionString(database);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Haven", AppConnectionString);
        builder.UseSetting("ConnectionStrings:HavenMigrations", OwnerConnectionString);
        builder.UseSetting("Haven:Database:AppRole", EmbeddedPostgres.AppRole);
        // Tests run sweeps themselves, on a date they choose.
        builder.UseSetting("Haven:Retention:BackgroundSweep", "false");
        builder.UseSetting("Haven:Rights:BackgroundJobs", "false");
        builder.UseSetting("Haven:RateLimits:PublicFormPostsPerMinute", "10000");
        builder.UseSetting(Haven.Core.Keys.MasterKey.ConfigurationKey, TestMasterKey);
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    public async Task SeedDemoAsync()
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    /// <summary>A plain-text pg_dump of this database, as someone with the database but not the master key would have it.</summary>
    public async Task<string> DumpAsync(CancellationToken cancellationToken)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(SuperuserConnectionString);
        var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(EmbeddedPostgres.FindBinDirectory(), "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", builder.Host!, "-U", builder.Username!, "-d", builder.Database!, "--no-owner" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PGPASSWORD"] = builder.Password;
        using var process = System.Diagnostics.Process.Start(info)!;
        var dump = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("pg_dump failed: " + await process.StandardError.ReadToEndAsync(cancellationToken));
        }

        return dump;
    }

    public async Task<T> WithDbAsync<T>(Func<HavenDbContext, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<HavenDbContext>());
    }
}
