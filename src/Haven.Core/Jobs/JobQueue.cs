using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Jobs;

/// <summary>
/// Background work shared by every Haven instance: jobs are rows, and an instance claims one with
/// FOR UPDATE SKIP LOCKED and a lease, so two instances never run the same job at once and a job whose instance
/// died is picked up again when its lease runs out.
/// </summary>
public sealed class JobQueue(HavenDbContext db, TimeProvider clock)
{
    /// <summary>Makes sure one unfinished job of this kind is waiting, due at <paramref name="runAfter"/>.</summary>
    public async Task EnsureScheduledAsync(string kind, DateTimeOffset runAfter, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Serialise scheduling of one kind across instances, for this transaction only.
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"jobs:" + kind}))", cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO jobs (id, kind, run_after, created_at)
            SELECT {Guid.NewGuid()}, {kind}, {runAfter}, {clock.GetUtcNow()}
            WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = {kind} AND finished_at IS NULL)
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Claims a due job of this kind for <paramref name="lease"/>, or returns null when there is none free.</summary>
    public async Task<Guid?> ClaimAsync(string kind, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var claimed = await db.Database.SqlQuery<Guid>($"""
            UPDATE jobs SET locked_by = {worker}, locked_until = {now + lease}, attempts = attempts + 1
            WHERE id = (SELECT id FROM jobs
                        WHERE kind = {kind} AND finished_at IS NULL AND run_after <= {now} AND (locked_until IS NULL OR locked_until < {now})
                        ORDER BY run_after FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return claimed.Count == 0 ? null : claimed[0];
    }

    public async Task CompleteAsync(Guid jobId, string? error, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (error is null)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE jobs SET finished_at = {now}, last_error = NULL WHERE id = {jobId}", cancellationToken);
        }
        else
        {
            // Failed: free it to be tried again in 15 minutes.
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE jobs SET locked_until = NULL, run_after = {now.AddMinutes(15)}, last_error = {error} WHERE id = {jobId}", cancellationToken);
        }
    }
}
