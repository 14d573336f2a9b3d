using Haven.Core.Data.Entities;
using Npgsql;

namespace Haven.Core.Audit;

public sealed record AuditVerification(bool Intact, long EventsChecked, long? FirstBrokenSeq, string Message);

/// <summary>Walks the whole chain in order and reports the first link that does not hold.</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        long headSeq;
        string headHash;
        await using (var head = new NpgsqlCommand("SELECT last_seq, last_hash FROM audit_head WHERE id = 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new AuditVerification(false, 0, 1, "The audit chain's head record is missing.");
            }

            headSeq = reader.GetInt64(0);
            headHash = reader.GetString(1);
        }

        var expectedSeq = 1L;
        var previousHash = AuditChain.GenesisHash;
        await using (var command = new NpgsqlCommand(
            "SELECT seq, occurred_at, actor_user_id, actor_role, action, person_ids, purpose, client_address, request_id, details, prev_hash, hash FROM audit_events ORDER BY seq",
            connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var e = new AuditEvent
                {
                    Seq = reader.GetInt64(0),
                    OccurredAt = reader.GetFieldValue<DateTimeOffset>(1),
                    ActorUserId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    ActorRole = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Action = reader.GetString(4),
                    PersonIds = reader.GetFieldValue<Guid[]>(5),
                    Purpose = reader.IsDBNull(6) ? null : reader.GetString(6),
                    ClientAddress = reader.IsDBNull(7) ? null : reader.GetString(7),
                    RequestId = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Details = reader.IsDBNull(9) ? null : reader.GetString(9),
                    PrevHash = reader.GetString(10),
                    Hash = reader.GetString(11),
                };

                if (e.Seq != expectedSeq)
                {
                    return Broken(expectedSeq - 1, expectedSeq, $"Event {expectedSeq} is missing or out of order (found {e.Seq} next).");
                }

                if (e.PrevHash != previousHash)
                {
                    return Broken(expectedSeq - 1, e.Seq, $"Event {e.Seq} does not link to the event before it.");
                }

                if (AuditChain.ComputeHash(e) != e.Hash)
                {
                    return Broken(expectedSeq - 1, e.Seq, $"Event {e.Seq} has been altered: its content no longer matches its hash.");
                }

                previousHash = e.Hash;
                expectedSeq++;
            }
        }

        var checkedCount = expectedSeq - 1;
        if (checkedCount != headSeq || previousHash != headHash)
        {
            return Broken(checkedCount, checkedCount + 1,
                $"The chain ends at event {checkedCount} but the head records event {headSeq}: events at the end were removed or replaced.");
        }

        return new AuditVerification(true, checkedCount, null, $"All {checkedCount} audit events are intact.");
    }

    private static AuditVerification Broken(long checkedCount, long seq, string message) => new(false, checkedCount, seq, message);
}
