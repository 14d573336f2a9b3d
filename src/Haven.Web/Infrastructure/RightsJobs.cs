using Haven.Core.Jobs;
using Haven.Core.Rights;

namespace Haven.Web.Infrastructure;

/// <summary>
/// Background work of the rights module: every minute, deliver queued emails; once a day, send deadline reminders
/// destroy closed requests past their retention period, and remove old CP-IS lookup rows that found nobody (claimed through the jobs table, so one instance does it).
/// Off with Haven:Rights:BackgroundJobs=false (the tests run these steps themselves).
/// </summary>
public sealed class RightsJobs(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<RightsJobs> logger) : BackgroundService
{
    public const string DailyJob = "rights.daily";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Haven:Rights:BackgroundJobs", true))
        {
            return;
        }

        var worker = $"{Environment.MachineName}:{Environment.ProcessId}";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MessageDelivery>().DeliverAsync(stoppingToken);
                var jobs = scope.ServiceProvider.GetRequiredService<JobQueue>();
                var now = clock.GetUtcNow();
                var sevenToday = new DateTimeOffset(now.Year, now.Month, now.Day, 7, 0, 0, TimeSpan.Zero);
                await jobs.EnsureScheduledAsync(DailyJob, sevenToday <= now ? sevenToday : sevenToday.AddDays(-1), stoppingToken);
                if (await jobs.ClaimAsync(DailyJob, worker, TimeSpan.FromMinutes(30), stoppingToken) is { } jobId)
                {
                    string? error = null;
                    try
                    {
                        var requests = scope.ServiceProvider.GetRequiredService<RightsRequestService>();
                        var reminders = await requests.SendRemindersAsync(stoppingToken);
                        var destroyed = await requests.DestroyClosedAsync(DateOnly.FromDateTime(now.UtcDateTime), stoppingToken);
                        var purged = await Haven.Core.Cpis.CpisList.PurgeUnlistedAsync(scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>(), now, stoppingToken);
                        logger.LogInformation("Rights requests: {Reminders} reminders sent, {Destroyed} closed requests destroyed; {Purged} old CP-IS lookups that found nobody removed",
                            reminders, destroyed, purged);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        error = e.GetType().Name + ": " + e.Message;
                        logger.LogError(e, "Rights reminders failed; they will be tried again");
                    }

                    await jobs.CompleteAsync(jobId, error, stoppingToken);
                    if (error is null)
                    {
                        await jobs.EnsureScheduledAsync(DailyJob, sevenToday.AddDays(1), stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The rights scheduler could not reach the database; trying again shortly");
            }

            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
