using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Haven.Core.Cpis;
using Haven.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Haven.Web.Infrastructure;

/// <summary>
/// CP-IS (DESIGN.md, issue 7): machine credentials for unscheduled-care settings, their per-client rate limit, the
/// group-commit writer that records every lookup before its answer is sent, and the pages' permissions.
/// </summary>
public static class CpisStartup
{
    public const string Scheme = "CpisClient";
    public const string LookupPolicy = "cpis-client-lookup";
    public const string ConcernPolicy = "cpis-client-concern";
    public const string RateLimitPolicy = "cpis-client";

    public static IServiceCollection AddHavenCpis(this IServiceCollection services)
    {
        services.AddScoped<CpisService>();
        services.AddSingleton<CpisClientCache>();
        services.AddSingleton<CpisAccessLog>();
        services.AddHostedService(sp => sp.GetRequiredService<CpisAccessLog>());
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, CpisAuthenticationHandler>(Scheme, null);
        services.AddAuthorization(options =>
        {
            options.AddPolicy(LookupPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(CpisClaims.Scope, CpisCodes.ScopeLookup));
            options.AddPolicy(ConcernPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(CpisClaims.Scope, CpisCodes.ScopeConcern));
        });
        services.AddRateLimiter(options => options.AddPolicy(RateLimitPolicy, new CpisRateLimitPolicy()));
        return services;
    }

    public static void AddCpisPageConventions(this PageConventionCollection conventions)
    {
        conventions.AuthorizeFolder("/Cpis/Clients", Permissions.ManageCpis);
        conventions.AuthorizePage("/Cpis/Authority", Permissions.ManageCpis);
        conventions.AuthorizePage("/Cpis/Notifications", Permissions.ReceiveCpisNotifications);
    }
}

public static class CpisClaims
{
    public const string ClientId = "cpis:client_id";
    public const string Scope = "cpis:scope";
    public const string RateLimit = "cpis:rate_limit";
}

/// <summary>The error body of every CP-IS refusal. No trace identifiers: two refusals of the same kind are identical.</summary>
public sealed record CpisProblem(string Title, int Status, string Detail)
{
    public static readonly CpisProblem Unauthorised = new("Not authorised", 401,
        "Send a valid CP-IS client credential as 'Authorization: Bearer <client id>.<secret>'.");
    public static readonly CpisProblem Forbidden = new("Not allowed", 403, "This credential is not allowed to do this.");
    public static readonly CpisProblem TooMany = new("Too many requests", 429, "This setting has made more requests than its limit allows. Try again in a minute.");
    public static readonly CpisProblem NotListed = new("Not on the list", 404, "not on the list");

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        return response.WriteAsJsonAsync(this, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}

public sealed record CpisClientInfo(Guid Id, string Name, string SettingType, string OdsCode, string[] Scopes, int RateLimitPerMinute, byte[] SecretHash, bool Revoked);

/// <summary>
/// Registered clients held in memory for a few seconds, so a lookup does not read the clients table each time.
/// Revoking on this instance removes the entry at once; other instances notice within <see cref="Lifetime"/>.
/// </summary>
public sealed class CpisClientCache(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Guid, (CpisClientInfo Client, DateTimeOffset Until)> _clients = new();

    public async ValueTask<CpisClientInfo?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_clients.TryGetValue(id, out var cached) && cached.Until > now)
        {
            return cached.Client;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT name, setting_type, ods_code, scopes, rate_limit_per_minute, secret_hash, revoked_at IS NOT NULL FROM cpis_clients WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Unknown ids are not remembered, so made-up ids cannot fill the memory.
            _clients.TryRemove(id, out _);
            return null;
        }

        var client = new CpisClientInfo(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
            reader.GetInt32(4), reader.GetFieldValue<byte[]>(5), reader.GetBoolean(6));
        _clients[id] = (client, now + Lifetime);
        return client;
    }

    public void Forget(Guid id) => _clients.TryRemove(id, out _);
}

/// <summary>
/// Authenticates a CP-IS client from 'Authorization: Bearer &lt;client id&gt;.&lt;secret&gt;'. A missing, malformed,
/// unknown, wrong or revoked credential all get the same 401 body.
/// </summary>
public sealed class CpisAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    CpisClientCache clients) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string ClientItem = "cpis.client";
    private static readonly byte[] NoHash = new byte[32];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!CpisCredentials.TryParse(Request.Headers.Authorization.ToString(), out var id, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var client = await clients.GetAsync(id, Context.RequestAborted);
        // The hash is compared even for an unknown client, so the time taken says nothing about which ids exist.
        var matches = CpisCredentials.Matches(secret, client?.SecretHash ?? NoHash);
        if (client is null || client.Revoked || !matches)
        {
            return AuthenticateResult.Fail("The CP-IS credential is not valid.");
        }

        var claims = new List<Claim>
        {
            new(CpisClaims.ClientId, client.Id.ToString()),
            new(CpisClaims.RateLimit, client.RateLimitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(client.Scopes.Select(s => new Claim(CpisClaims.Scope, s)));
        Context.Items[ClientItem] = client;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, CpisStartup.Scheme)), CpisStartup.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return CpisProblem.Unauthorised.WriteAsync(Response);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => CpisProblem.Forbidden.WriteAsync(Response);
}

/// <summary>Each client's own limit of requests a minute (a fixed window), set when it is registered.</summary>
public sealed class CpisRateLimitPolicy : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        context.HttpContext.Response.Headers.RetryAfter = "60";
        await CpisProblem.TooMany.WriteAsync(context.HttpContext.Response);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var client = httpContext.User.FindFirst(CpisClaims.ClientId)?.Value;
        if (client is null || !int.TryParse(httpContext.User.FindFirst(CpisClaims.RateLimit)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var limit))
        {
            return RateLimitPartition.GetNoLimiter("unauthenticated");
        }

        // The limit is part of the key, so a changed limit takes effect with the next request.
        return RateLimitPartition.GetFixedWindowLimiter(client + ":" + limit, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}

/// <summary>
/// Records lookups by group commit: requests queue their audit event and access rows here, and one writer puts every
/// lookup waiting at that moment into one transaction (one audit-chain lock, one commit), then releases each request
/// to send its answer. Every answer still follows its own durable audit event and notification; under load the commits
/// are shared instead of queueing one by one on the audit lock.
/// Haven:Cpis:MaxGroup (default 512) caps a group; 1 gives one transaction per lookup, for comparison in the benchmark.
/// </summary>
public sealed class CpisAccessLog(NpgsqlDataSource dataSource, TimeProvider clock, IConfiguration configuration, ILogger<CpisAccessLog> logger) : BackgroundService
{
    private readonly int _maxGroup = Math.Clamp(configuration.GetValue("Haven:Cpis:MaxGroup", 512), 1, 4096);
    private readonly Channel<(PendingAccess Access, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(PendingAccess, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once the lookup's audit event and access rows are committed; throws if they could not be.</summary>
    public Task RecordAsync(PendingAccess access)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((access, done)))
        {
            done.SetException(new InvalidOperationException("Haven is shutting down."));
        }

        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<(PendingAccess Access, TaskCompletionSource Done)>(_maxGroup);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                while (group.Count < _maxGroup && reader.TryRead(out var item))
                {
                    group.Add(item);
                }

                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                    await CpisList.WriteAsync(connection, group.Select(g => g.Access).ToList(), clock.GetUtcNow(), stoppingToken);
                    foreach (var (_, done) in group)
                    {
                        done.TrySetResult();
                    }
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Could not record {Count} CP-IS lookups; their answers are withheld", group.Count);
                    foreach (var (_, done) in group)
                    {
                        done.TrySetException(e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var left))
            {
                left.Done.TrySetException(new OperationCanceledException("Haven is shutting down."));
            }
        }
    }
}
