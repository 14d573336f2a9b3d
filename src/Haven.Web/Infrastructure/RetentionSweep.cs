using Haven.Core.Jobs;
using Haven.Core.Retention;

namespace Haven.Web.Infrastructure;

/// <summary>
/// Runs the retention sweep once a day (at Haven:Retention:SweepHourUtc, 02:00 UTC by default) on whichever Haven
/// instance claims the job first. Off with Haven:Retention:BackgroundSweep=false (the tests turn it off).
/// </summary>
public sealed class RetentionSweep(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<RetentionSweep> logger) : BackgroundService
{
    public const string JobKind = "retention.sweep";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Haven:Retention:BackgroundSweep", true))
        {
            return;
        }

        var hour = Math.Clamp(configuration.GetValue("Haven:Retention:SweepHourUtc", 2), 0, 23);
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var jobs = scope.ServiceProvider.GetRequiredService<JobQueue>();
                var now = clock.GetUtcNow();
                var next = new DateTimeOffset(now.Year, now.Month, now.Day, hour, 0, 0, TimeSpan.Zero);
                await jobs.EnsureScheduledAsync(JobKind, next <= now ? next : next.AddDays(-1), stoppingToken);
                if (await jobs.ClaimAsync(JobKind, worker, TimeSpan.FromHours(2), stoppingToken) is { } jobId)
                {
                    string? error = null;
                    try
                    {
                        var summary = await scope.ServiceProvider.GetRequiredService<RetentionEngine>()
                            .RunAsync(DateOnly.FromDateTime(now.UtcDateTime), dryRun: false, $"background sweep on {worker}", stoppingToken);
                        logger.LogInformation("Retention sweep {RunId}: {Evaluated} evaluated, {Reviews} reviews queued, {Destroyed} destroyed, {Anonymised} anonymised, {Held} held",
                            summary.RunId, summary.Evaluated, summary.ReviewsQueued, summary.Destroyed, summary.Anonymised, summary.Held);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        error = e.GetType().Name + ": " + e.Message;
                        logger.LogError(e, "Retention sweep failed; it will be tried again");
                    }

                    await jobs.CompleteAsync(jobId, error, stoppingToken);
                    if (error is null)
                    {
                        await jobs.EnsureScheduledAsync(JobKind, new DateTimeOffset(now.Year, now.Month, now.Day, hour, 0, 0, TimeSpan.Zero).AddDays(1), stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The retention scheduler could not reach the database; trying again shortly");
            }

            await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
