using System.Text.Json;
using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Demo;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Haven.Web.Infrastructure;

public static class HavenStartup
{
    /// <summary>
    /// With no <c>ConnectionStrings:Haven</c>, starts the embedded cluster and points the configuration at it.
    /// Returns the embedded cluster (to stop on exit), or null when an external server is configured.
    /// </summary>
    public static async Task<EmbeddedPostgres?> PrepareDatabaseAsync(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Haven")))
        {
            return null;
        }

        var dataDirectory = builder.Configuration["Haven:Database:DataDirectory"];
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            dataDirectory = DatabaseOptions.DefaultDataDirectory();
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole());
        var embedded = new EmbeddedPostgres(dataDirectory, loggerFactory.CreateLogger("Haven.EmbeddedPostgres"), builder.Configuration["Haven:Database:PostgresBinDirectory"]);
        await embedded.StartAsync();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [MasterKey.ConfigurationKey] = builder.Configuration[MasterKey.ConfigurationKey] ?? embedded.MasterKey(),
            ["ConnectionStrings:Haven"] = embedded.AppConnectionString(),
            ["ConnectionStrings:HavenMigrations"] = embedded.OwnerConnectionString(),
            ["Haven:Database:AppRole"] = EmbeddedPostgres.AppRole,
        });
        return embedded;
    }

    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options => options.IncludeScopes = false);
        builder.Host.ConfigureHostOptions(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var urls = configuration["urls"];
        if (string.IsNullOrEmpty(urls))
        {
            urls = Environment.GetEnvironmentVariable("HAVEN_URLS") ?? "http://127.0.0.1:5080";
            builder.WebHost.UseUrls(urls);
        }

        // A Haven that listens only on plain HTTP on the loopback interface (./run.sh's default) cannot set Secure
        // cookies, so unless told otherwise it relaxes that one rule there and nowhere else.
        if (configuration["Haven:Security:RequireHttps"] is null)
        {
            configuration["Haven:Security:RequireHttps"] = OnlyLoopback(urls) && !urls.Contains("https://", StringComparison.OrdinalIgnoreCase) ? "false" : "true";
        }

        if (!configuration.GetValue("Haven:Security:RequireHttps", true) && !OnlyLoopback(urls))
        {
            throw new InvalidOperationException(
                "Haven:Security:RequireHttps may be false only when Haven listens on the loopback interface (127.0.0.1 or localhost). Serve Haven over HTTPS, or behind a TLS-terminating proxy with Haven:Security:TrustForwardedHeaders.");
        }

        // Every collection point must name a category the taxonomy knows, or Haven does not start.
        var collectionPoints = Haven.Core.Privacy.CollectionPoints.Discover(typeof(Haven.Core.Privacy.CollectionGuard).Assembly, typeof(HavenStartup).Assembly);
        var collectionProblems = Haven.Core.Privacy.CollectionPoints.Problems(Haven.Core.Privacy.Taxonomy.BuiltIn, collectionPoints);
        if (collectionProblems.Count > 0)
        {
            throw new InvalidOperationException("Haven cannot start: some collection points are not in the data category taxonomy. " + string.Join("; ", collectionProblems));
        }

        services.AddOptions<DatabaseOptions>().Configure(options =>
        {
            configuration.GetSection("Haven:Database").Bind(options);
            options.ConnectionString = configuration.GetConnectionString("Haven");
            options.MigrationConnectionString = configuration.GetConnectionString("HavenMigrations") ?? options.ConnectionString;
        });
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection("Haven:Security"));
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var connectionString = configuration.GetConnectionString("Haven")
                ?? throw new InvalidOperationException("ConnectionStrings:Haven is not set.");
            return new NpgsqlDataSourceBuilder(connectionString).Build();
        });
        services.AddDbContext<HavenDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));

        services.AddHttpContextAccessor();
        services.AddScoped<IAuditActorAccessor, HttpAuditActorAccessor>();
        services.AddScoped<AuditWriter>();
        services.AddScoped<AccountService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<RecordAccessService>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Haven.Core.Analytics.SiteAnalytics>();
        services.AddScoped<PeopleService>();
        services.AddScoped<Haven.Core.Privacy.RegisterService>();
        services.AddScoped<Haven.Core.Privacy.CollectionGuard>();
        services.AddScoped<Haven.Core.Privacy.DisclosureChecker>();
        services.AddScoped<Haven.Core.Privacy.ConformanceService>();
        services.AddScoped<Haven.Core.Retention.LegalHoldService>();
        services.AddScoped<Haven.Core.Retention.RetentionEngine>();
        services.AddScoped<Haven.Core.Retention.RetentionReviewService>();
        services.AddScoped<Haven.Core.Jobs.JobQueue>();
        services.AddHostedService<RetentionSweep>();
        services.AddHavenRights(configuration);
        services.AddHavenPublicFormLimits(configuration);
        services.AddHavenCpis();
        services.AddSingleton(collectionPoints);
        services.AddScoped<PersonSearch>();
        services.AddHavenCaseWork(configuration);
        services.AddCaseRecordServices();
        services.AddScoped<MergeService>();
        services.AddScoped<Haven.Core.Timeline.TimelineService>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Timeline.PersonRecordTimelineSource>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Timeline.CaseWorkTimelineSource>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Timeline.InvolvementTimelineSource>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Timeline.FamilyTimelineSource>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Timeline.EducationTimelineSource>();
        services.AddSingleton<Haven.Core.Timeline.ITimelineSource, Haven.Core.Sharing.DisclosureTimelineSource>();
        services.AddScoped<Haven.Core.Sharing.PartnerService>();
        services.AddScoped<Haven.Core.Sharing.DisclosureService>();
        services.AddScoped<Haven.Core.Timeline.IHouseholdMembers, Haven.Core.Timeline.HouseholdMembers>();
        services.AddSingleton<FieldCipher>();
        services.AddScoped<CspNonce>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<MigrationRunner>();

        services.AddSingleton(_ => new MasterKey(configuration[MasterKey.ConfigurationKey], configuration[MasterKey.PreviousKeysConfigurationKey]));
        services.AddDataProtection().SetApplicationName("Haven");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory, MasterKey>((options, scopes, masterKey) =>
        {
            options.XmlRepository = new DatabaseKeyRepository(scopes);
            options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey);
        });

        services.AddHavenAuthentication();
        services.AddAuthorization(options =>
        {
            // Deny by default: every endpoint needs a signed-in user unless it is marked as public.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            foreach (var permission in Permissions.All)
            {
                options.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                    Permissions.Grants(context.User.Roles(), permission)));
            }
        });

        var security = configuration.GetSection("Haven:Security").Get<SecurityOptions>() ?? new SecurityOptions();
        var cookieSecurity = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = security.CookieName("Haven-AF");
            options.Cookie.SecurePolicy = cookieSecurity;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = "RequestVerificationToken";
        });

        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Admin/Users", Permissions.ManageUsers);
            options.Conventions.AuthorizePage("/Admin/Permissions", Permissions.ManageUsers);
            options.Conventions.AuthorizeFolder("/Admin/Audit", Permissions.ViewAudit);
            options.Conventions.AuthorizeFolder("/People", Permissions.ViewPeople);
            options.Conventions.AuthorizePage("/People/New", Permissions.RecordPeople);
            options.Conventions.AuthorizePage("/People/Edit", Permissions.RecordPeople);
            options.Conventions.AuthorizePage("/People/Merge", Permissions.RecordPeople);
            options.Conventions.AuthorizeFolder("/Manager", Permissions.ReviewBreakGlass);
            options.Conventions.AuthorizeFolder("/Register", Permissions.ViewRegister);
            options.Conventions.AuthorizeFolder("/Retention", Permissions.ManageRetention);
            options.Conventions.AuthorizeFolder("/Rights", Permissions.ManageRights);
            options.Conventions.AuthorizeFolder("/Sharing", Permissions.ManageSharing);
            options.Conventions.AuthorizePage("/Register/Edit", Permissions.ManageRegister);
            options.Conventions.AuthorizePage("/Register/Import", Permissions.ManageRegister);
            options.Conventions.AddCpisPageConventions();
        }).AddMvcOptions(options => options.Filters.Add<SiteAnalyticsFilter>());
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = security.CookieName("Haven-Temp");
            options.Cookie.SecurePolicy = cookieSecurity;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.IsEssential = true;
        });
        // Names such as Wiśniewski or Nguyễn are written as they are, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Haven API";
            document.Info.Description = "Records system for children's safeguarding services. Every call that reads personal data is audited.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
    }

    public static void ConfigurePipeline(WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (security.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto });
        }

        app.UseExceptionHandler("/error/500");
        if (security.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseHavenSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<MustChangePasswordGate>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapRazorPages();
        app.MapHavenApi();
        app.MapCpisApi();
        if (app.Configuration.GetValue("Haven:Bench:MinimalCpisEndpoint", false))
        {
            app.MapMinimalCpisEndpoint();
        }
    }

    private static bool OnlyLoopback(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries).All(url =>
        Uri.TryCreate(url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.IsLoopback || uri.Host == "localhost"));

    public static async Task MigrateAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await services.GetRequiredService<MigrationRunner>().MigrateAsync(options.MigrationConnectionString!, options.AppRole);
    }
}

public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}

/// <summary>One structured line per request: method, path (identifiers only, never a query string), status and time.</summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await next(context);
        if (!context.Request.Path.StartsWithSegments("/assets"))
        {
            logger.LogInformation("{Method} {Path} {Status} {ElapsedMs:F1}ms {RequestId}", context.Request.Method, context.Request.Path.Value,
                context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.TraceIdentifier);
        }
    }
}

/// <summary>A user with a temporary password can do nothing else until they choose their own.</summary>
public sealed class MustChangePasswordGate(RequestDelegate next)
{
    private static readonly string[] Allowed = ["/account/change-password", "/sign-out", "/signed-out", "/session", "/error", "/assets", "/health", "/cookies"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(HavenAuthentication.MustChangePasswordClaim, "true")
            && !Allowed.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            context.Response.Redirect("/account/change-password");
            return Task.CompletedTask;
        }

        return next(context);
    }
}
