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
    public async Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is { } existing)
        {
            return await AppendAsync(entry, actorAccessor.Current, existing, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var appended = await AppendAsync(entry, actorAccessor.Current, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return appended;
    }

    private async Task<AuditEvent> AppendAsync(AuditEntry entry, AuditActor actor, IDbContextTransaction efTransaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)efTransaction.GetDbTransaction();

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("k", AuditLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        long lastSeq;
        string lastHash;
        await using (var head = new NpgsqlCommand("SELECT last_seq, last_hash FROM audit_head WHERE id = 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            lastSeq = reader.GetInt64(0);
            lastHash = reader.GetString(1);
        }

        var e = new AuditEvent
        {
            Seq = lastSeq + 1,
            OccurredAt = AuditChain.TruncateToMicroseconds(clock.GetUtcNow()),
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

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO audit_events (seq, occurred_at, actor_user_id, actor_role, action, person_ids, purpose, client_address, request_id, details, prev_hash, hash)
            VALUES (@seq, @at, @actor, @role, @action, @people, @purpose, @client, @request, @details, @prev, @hash)
            """, connection, transaction);
        insert.Parameters.AddWithValue("seq", e.Seq);
        insert.Parameters.AddWithValue("at", e.OccurredAt);
        insert.Parameters.AddWithValue("actor", (object?)e.ActorUserId ?? DBNull.Value);
        insert.Parameters.AddWithValue("role", (object?)e.ActorRole ?? DBNull.Value);
        insert.Parameters.AddWithValue("action", e.Action);
        insert.Parameters.AddWithValue("people", e.PersonIds);
        insert.Parameters.AddWithValue("purpose", (object?)e.Purpose ?? DBNull.Value);
        insert.Parameters.AddWithValue("client", (object?)e.ClientAddress ?? DBNull.Value);
        insert.Parameters.AddWithValue("request", (object?)e.RequestId ?? DBNull.Value);
        insert.Parameters.AddWithValue("details", (object?)e.Details ?? DBNull.Value);
        insert.Parameters.AddWithValue("prev", e.PrevHash);
        insert.Parameters.AddWithValue("hash", e.Hash);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return e;
    }
}
