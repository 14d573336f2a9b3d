using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Haven.Core.Audit;

/// <summary>
/// Appends events to the audit chain inside the caller's transaction, so an event and the change it records
/// commit together or not at all. Appends are serialised by a transaction-scoped advisory lock.
/// </summary>
public sealed class AuditWriter(HavenDbContext db, IAuditActorAccessor actorAccessor, TimeProvider clock)
{
    private const long AuditLockKey = 0x4861_7665_6E41;

    /// <summary>
    /// Records an event. If the context has no open transaction, one is opened and committed here, so a read is
    /// durably recorded before this method returns (and so before the response is sent).
    /// </summary>
    public Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        RecordAsync(entry, actorAccessor.Current, cancellationToken);

    /// <summary>Records an event for an explicit actor, such as a CP-IS client that is not a signed-in user.</summary>
    public async Task<AuditEvent> RecordAsync(AuditEntry entry, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is { } existing)
        {
            return await AppendAsync(entry, actor, existing, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var appended = await AppendAsync(entry, actor, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return appended;
    }

    private async Task<AuditEvent> AppendAsync(AuditEntry entry, AuditActor actor, IDbContextTransaction efTransaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)efTransaction.GetDbTransaction();
        var appended = await AppendManyAsync(connection, transaction, [(entry, actor)], clock.GetUtcNow(), cancellationToken: cancellationToken);
        return appended[0];
    }

    /// <summary>
    /// Appends several events, each with its own actor, inside the caller's transaction on a plain connection: one
    /// lock, one read of the chain head and one round trip for all the inserts. Used where many requests are recorded
    /// together in one transaction (group commit), so each still commits before its own answer is sent.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEvent>> AppendManyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(AuditEntry Entry, AuditActor Actor)> entries, DateTimeOffset now, IEnumerable<NpgsqlBatchCommand>? alongside = null,
        CancellationToken cancellationToken = default)
    {
        long lastSeq;
        string lastHash;
        await using (var head = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@k)");
            lockCommand.Parameters.AddWithValue("k", AuditLockKey);
            head.BatchCommands.Add(lockCommand);
            head.BatchCommands.Add(new NpgsqlBatchCommand("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
            await using var reader = await head.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            lastSeq = reader.GetInt64(0);
            lastHash = reader.GetString(1);
        }

        var at = AuditChain.TruncateToMicroseconds(now);
        var events = new List<AuditEvent>(entries.Count);
        await using var insert = new NpgsqlBatch(connection, transaction);
        foreach (var (entry, actor) in entries)
        {
            var e = new AuditEvent
            {
                Seq = ++lastSeq,
                OccurredAt = at,
                ActorUserId = actor.UserId,
                ActorRole = actor.Role,
                Action = entry.Action,
                PersonIds = entry.PersonIds?.Distinct().Order().ToArray() ?? [],
                Purpose = entry.Purpose is null ? null : AuditChain.CanonicalText(entry.Purpose),
                ClientAddress = actor.ClientAddress,
                RequestId = actor.RequestId,
                Details = entry.Details is null ? null : AuditChain.CanonicalText(entry.Details),
                PrevHash = lastHash,
            };
            e.Hash = AuditChain.ComputeHash(e);
            lastHash = e.Hash;
            events.Add(e);

            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO audit_events (seq, occurred_at, actor_user_id, actor_role, action, person_ids, purpose, client_address, request_id, details, prev_hash, hash)
                VALUES (@seq, @at, @actor, @role, @action, @people, @purpose, @client, @request, @details, @prev, @hash)
                """);
            command.Parameters.AddWithValue("seq", e.Seq);
            command.Parameters.AddWithValue("at", e.OccurredAt);
            command.Parameters.AddWithValue("actor", (object?)e.ActorUserId ?? DBNull.Value);
            command.Parameters.AddWithValue("role", (object?)e.ActorRole ?? DBNull.Value);
            command.Parameters.AddWithValue("action", e.Action);
            command.Parameters.AddWithValue("people", e.PersonIds);
            command.Parameters.AddWithValue("purpose", (object?)e.Purpose ?? DBNull.Value);
            command.Parameters.AddWithValue("client", (object?)e.ClientAddress ?? DBNull.Value);
            command.Parameters.AddWithValue("request", (object?)e.RequestId ?? DBNull.Value);
            command.Parameters.AddWithValue("details", (object?)e.Details ?? DBNull.Value);
            command.Parameters.AddWithValue("prev", e.PrevHash);
            command.Parameters.AddWithValue("hash", e.Hash);
            insert.BatchCommands.Add(command);
        }

        foreach (var command in alongside ?? [])
        {
            insert.BatchCommands.Add(command);
        }

        await insert.ExecuteNonQueryAsync(cancellationToken);
        return events;
    }
}
