using Haven.Core.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Haven.Core.Cpis;

public sealed record CpisEntry(Guid PersonId, string PlanType, DateOnly Start, DateOnly? End, string AuthorityName, string? OfficeHoursPhone, string? EmergencyDutyPhone);

public sealed record CpisRecentAccess(DateTimeOffset At, string SettingName, string SettingType, string OdsCode, string? ClinicianRole);

public sealed record CpisLookupResult(IReadOnlyList<CpisEntry> Entries, IReadOnlyList<CpisRecentAccess> Accesses)
{
    public bool Listed => Entries.Count > 0;
}

/// <summary>One lookup to be recorded: its audit event and its access rows (one per listed person, or one with none).</summary>
public sealed record PendingAccess(Guid LookupId, Guid ClientId, string? ClinicianRole, IReadOnlyList<Guid> PersonIds, AuditEntry Audit, AuditActor Actor);

/// <summary>
/// The CP-IS list, read straight from involvements so it is never out of date: children (not merged, not anonymised)
/// with a child protection plan or looked after, and unborn children on a pre-birth child protection plan under their
/// mother's NHS number, from the start of the plan until 12 months after it ends.
/// </summary>
public static class CpisList
{
    private const string Listed =
        """
        WITH listed AS (
            SELECT p.id AS person_id, p.organisation_id,
                   CASE WHEN i.involvement_type = 'looked_after' THEN 'LAC' ELSE 'CPP' END AS plan_type, i.started_on, i.ended_on
            FROM people p JOIN involvements i ON i.person_id = p.id
            WHERE p.nhs_number = @nhs AND p.person_type = 'child' AND p.merged_into_id IS NULL AND p.anonymised_at IS NULL
              AND i.involvement_type IN ('child_protection', 'looked_after') AND i.started_on <= @today
              AND (i.ended_on IS NULL OR i.ended_on >= @since)
            UNION ALL
            SELECT u.id, u.organisation_id, 'UCPP', i.started_on, i.ended_on
            FROM people m JOIN people u ON u.mother_id = m.id JOIN involvements i ON i.person_id = u.id
            WHERE m.nhs_number = @nhs AND m.merged_into_id IS NULL
              AND u.person_type = 'unborn' AND u.merged_into_id IS NULL AND u.anonymised_at IS NULL
              AND i.involvement_type = 'child_protection' AND i.started_on <= @today
              AND (i.ended_on IS NULL OR i.ended_on >= @since)
        )
        """;

    public const string EntriesSql = Listed +
        """
        SELECT l.person_id, l.plan_type, l.started_on, l.ended_on, coalesce(a.display_name, o.name), a.office_hours_phone, a.emergency_duty_phone
        FROM listed l JOIN organisations o ON o.id = l.organisation_id LEFT JOIN cpis_authorities a ON a.organisation_id = l.organisation_id
        ORDER BY l.started_on DESC, l.person_id
        """;

    public const string AccessesSql = Listed +
        """
        SELECT x.occurred_at, c.name, c.setting_type, c.ods_code, x.clinician_role
        FROM cpis_accesses x JOIN cpis_clients c ON c.id = x.client_id
        WHERE x.person_id IN (SELECT person_id FROM listed)
        ORDER BY x.occurred_at DESC
        LIMIT 25
        """;

    private static void AddParameters(NpgsqlParameterCollection parameters, string nhsNumber, DateOnly today)
    {
        parameters.Add(new NpgsqlParameter("nhs", NpgsqlDbType.Text) { Value = nhsNumber });
        parameters.Add(new NpgsqlParameter("today", NpgsqlDbType.Date) { Value = today });
        parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Date) { Value = today.AddMonths(-CpisCodes.MonthsListedAfterEnd) });
    }

    /// <summary>
    /// Reads the entries and the earlier accesses in one round trip. A number that is not on the list runs exactly the
    /// same two statements (the second finds nothing), so the time taken does not say whether Haven holds the child.
    /// </summary>
    public static async Task<CpisLookupResult> LookupAsync(NpgsqlDataSource dataSource, string nhsNumber, DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var entries = new NpgsqlBatchCommand(EntriesSql);
        AddParameters(entries.Parameters, nhsNumber, today);
        var accesses = new NpgsqlBatchCommand(AccessesSql);
        AddParameters(accesses.Parameters, nhsNumber, today);
        batch.BatchCommands.Add(entries);
        batch.BatchCommands.Add(accesses);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var found = new List<CpisEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new CpisEntry(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        await reader.NextResultAsync(cancellationToken);
        var recent = new List<CpisRecentAccess>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recent.Add(new CpisRecentAccess(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return new CpisLookupResult(found, recent);
    }

    /// <summary>The bare single-statement lookup, without credentials, audit or notification: the benchmark's baseline.</summary>
    public static async Task<int> CountEntriesAsync(NpgsqlDataSource dataSource, string nhsNumber, DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EntriesSql);
        AddParameters(command.Parameters, nhsNumber, today);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Records a group of lookups in one transaction: each lookup's audit event (one lock and one chain-head read for
    /// the group) and its access rows, sent together, committed once.
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<PendingAccess> lookups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        var lookupIds = new List<Guid>();
        var clients = new List<Guid>();
        var people = new List<Guid?>();
        var roles = new List<string?>();
        foreach (var lookup in lookups)
        {
            foreach (var person in lookup.PersonIds.Count == 0 ? [null] : lookup.PersonIds.Select(p => (Guid?)p))
            {
                ids.Add(Guid.CreateVersion7(now));
                lookupIds.Add(lookup.LookupId);
                clients.Add(lookup.ClientId);
                people.Add(person);
                roles.Add(lookup.ClinicianRole);
            }
        }

        var at = AuditChain.TruncateToMicroseconds(now);
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO cpis_accesses (id, lookup_id, occurred_at, client_id, person_id, clinician_role)
            SELECT id, lookup_id, @at, client_id, person_id, clinician_role
            FROM unnest(@ids, @lookups, @clients, @people, @roles) AS x(id, lookup_id, client_id, person_id, clinician_role)
            """);
        insert.Parameters.AddWithValue("at", at);
        insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("lookups", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = lookupIds.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("clients", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = clients.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("people", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = people.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("roles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = roles.ToArray() });

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AuditWriter.AppendManyAsync(connection, transaction, lookups.Select(l => (l.Audit, l.Actor)).ToList(), at, [insert], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>How long the access row of a lookup that found nobody is kept; its audit event stays in the chain.</summary>
    public const int KeepUnlistedLookupsMonths = 12;

    /// <summary>
    /// Deletes the access rows of lookups that found nobody on the list, once older than
    /// <see cref="KeepUnlistedLookupsMonths"/> months: they name no person and are kept only to look into misuse.
    /// </summary>
    public static async Task<int> PurgeUnlistedAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM cpis_accesses WHERE person_id IS NULL AND occurred_at < @before");
        command.Parameters.AddWithValue("before", now.AddMonths(-KeepUnlistedLookupsMonths));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
