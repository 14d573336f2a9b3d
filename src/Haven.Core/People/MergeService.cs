using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Haven.Core.People;

public sealed class PersonMerge
{
    public Guid Id { get; set; }
    public Guid SurvivorId { get; set; }
    public Guid DuplicateId { get; set; }
    public Guid MergedByUserId { get; set; }
    public DateTimeOffset MergedAt { get; set; }
    public string Reason { get; set; } = string.Empty;
    public Guid? UndoneByUserId { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
}

internal sealed class PersonMergeConfiguration : IEntityTypeConfiguration<PersonMerge>
{
    public void Configure(EntityTypeBuilder<PersonMerge> builder) => builder.ToTable("person_merges");
}

/// <summary>
/// Every table with a column that points at a person. Merging moves these rows from the duplicate to the survivor.
/// A module that adds such a table adds it here, and a test checks the list against the database's foreign keys.
/// </summary>
public static class PersonLinks
{
    public static readonly IReadOnlyList<(string Table, string Column)> Columns =
    [
        ("addresses", "person_id"),
        ("person_names", "person_id"),
        ("record_access_grants", "person_id"),
        ("break_glass_events", "person_id"),
        ("people", "mother_id"),
        ("case_notes", "person_id"),
        ("case_worries", "person_id"),
        ("case_plans", "person_id"),
        ("case_services", "person_id"),
        ("case_offences", "person_id"),
        ("case_documents", "person_id"),
        ("relationships", "person_id"),
        ("relationships", "related_person_id"),
        ("household_members", "person_id"),
        ("professionals_involved", "person_id"),
        ("involvements", "person_id"),
        ("court_orders", "person_id"),
        ("education_providers", "person_id"),
        ("send_provisions", "person_id"),
        ("education_plans", "person_id"),
        ("attendance_records", "person_id"),
        ("school_exclusions", "person_id"),
        ("achievements", "person_id"),
        ("rights_request_subjects", "person_id"),
        ("processing_restrictions", "person_id"),
        ("person_consents", "person_id"),
        ("record_statements", "person_id"),
        ("disclosures", "person_id"),
        ("rectification_items", "person_id"),
        ("cpis_accesses", "person_id"),
        ("cpis_concerns", "person_id"),
    ];
}

public sealed record MergeSummary(Guid Id, Guid SurvivorId, Guid DuplicateId, string DuplicateName, DateTimeOffset MergedAt, string Reason, bool Undone);

/// <summary>Merges two records of the same person, keeping everything, and undoes a merge exactly.</summary>
public sealed class MergeService(HavenDbContext db, AuditWriter audit, Retention.LegalHoldService holds, TimeProvider clock)
{
    public async Task<string?> MergeAsync(Guid actorId, Guid survivorId, Guid duplicateId, string? reason, CancellationToken cancellationToken = default)
    {
        var reasonError = TextInput.Check(reason, "Reason for merging", 1000, multiline: true);
        if (reasonError is not null)
        {
            return reasonError;
        }

        if (survivorId == duplicateId)
        {
            return "Choose two different records to merge";
        }

        var people = await db.People.Where(p => p.Id == survivorId || p.Id == duplicateId).ToListAsync(cancellationToken);
        var survivor = people.SingleOrDefault(p => p.Id == survivorId);
        var duplicate = people.SingleOrDefault(p => p.Id == duplicateId);
        if (survivor is null || duplicate is null)
        {
            return "The record to merge was not found. Check the Haven record number";
        }

        if (survivor.MergedIntoId is not null || duplicate.MergedIntoId is not null)
        {
            return "One of these records has already been merged into another";
        }

        if (survivor.OrganisationId != duplicate.OrganisationId)
        {
            return "Records held by different organisations cannot be merged";
        }

        var now = clock.GetUtcNow();
        var merge = new PersonMerge
        {
            Id = Guid.NewGuid(),
            SurvivorId = survivorId,
            DuplicateId = duplicateId,
            MergedByUserId = actorId,
            MergedAt = now,
            Reason = TextInput.Clean(reason!),
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The legal-hold enforcement point, under the same share lock the retention sweep takes: a hold placed at this
        // moment waits for the merge to finish or is seen by it. A held record is not changed by a merge.
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE legal_holds IN SHARE MODE", cancellationToken);
        if ((await holds.HeldAsync([survivorId, duplicateId], cancellationToken: cancellationToken)).Count > 0)
        {
            return "One of these records is under a legal hold, so it cannot be merged until the hold is released";
        }

        db.Set<PersonMerge>().Add(merge);
        duplicate.MergedIntoId = survivorId;

        // The duplicate's name is kept on the survivor as another name, so a search for it still finds the person.
        if (!string.Equals(duplicate.GivenName, survivor.GivenName, StringComparison.Ordinal) || !string.Equals(duplicate.FamilyName, survivor.FamilyName, StringComparison.Ordinal))
        {
            db.PersonNames.Add(new PersonName { Id = Guid.NewGuid(), PersonId = survivorId, Kind = "alias", GivenName = duplicate.GivenName, FamilyName = duplicate.FamilyName });
        }

        await db.SaveChangesAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        var moved = 0;
        foreach (var (table, column) in PersonLinks.Columns)
        {
            // Table and column names come from the fixed list above, never from input.
            await using var command = new NpgsqlCommand(
                $"WITH moved AS (UPDATE {table} SET {column} = @survivor WHERE {column} = @duplicate RETURNING id) " +
                "INSERT INTO person_merge_moves (merge_id, table_name, column_name, row_id) SELECT @merge, @table, @column, id FROM moved",
                connection, npgsqlTransaction);
            command.Parameters.AddWithValue("survivor", survivorId);
            command.Parameters.AddWithValue("duplicate", duplicateId);
            command.Parameters.AddWithValue("merge", merge.Id);
            command.Parameters.AddWithValue("table", table);
            command.Parameters.AddWithValue("column", column);
            try
            {
                moved += await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation)
            {
                // For example the two records are recorded as related to each other, or both live in the same household at
                // the same time. Nothing is stored: the transaction is rolled back when it is disposed.
                db.ChangeTracker.Clear();
                return $"These records cannot be merged yet: their {table.Replace('_', ' ')} would clash (for example a link between the two records). Remove the clash first";
            }
        }

        await audit.RecordAsync(new AuditEntry(PeopleAuditActions.Merged, [survivorId, duplicateId], merge.Reason, $"merge {merge.Id}; {moved} linked rows moved"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<string?> UndoAsync(Guid actorId, Guid mergeId, CancellationToken cancellationToken = default)
    {
        var merge = await db.Set<PersonMerge>().SingleOrDefaultAsync(m => m.Id == mergeId, cancellationToken);
        if (merge is null)
        {
            return "This merge was not found";
        }

        if (merge.UndoneAt is not null)
        {
            return "This merge has already been undone";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        foreach (var (table, column) in PersonLinks.Columns)
        {
            await using var command = new NpgsqlCommand(
                $"UPDATE {table} SET {column} = @duplicate WHERE id IN (SELECT row_id FROM person_merge_moves WHERE merge_id = @merge AND table_name = @table AND column_name = @column)",
                connection, npgsqlTransaction);
            command.Parameters.AddWithValue("duplicate", merge.DuplicateId);
            command.Parameters.AddWithValue("merge", merge.Id);
            command.Parameters.AddWithValue("table", table);
            command.Parameters.AddWithValue("column", column);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var duplicate = await db.People.SingleAsync(p => p.Id == merge.DuplicateId, cancellationToken);
        duplicate.MergedIntoId = null;
        var alias = await db.PersonNames.FirstOrDefaultAsync(n => n.PersonId == merge.SurvivorId && n.Kind == "alias"
            && n.GivenName == duplicate.GivenName && n.FamilyName == duplicate.FamilyName, cancellationToken);
        if (alias is not null)
        {
            db.PersonNames.Remove(alias);
        }

        merge.UndoneAt = clock.GetUtcNow();
        merge.UndoneByUserId = actorId;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(PeopleAuditActions.MergeUndone, [merge.SurvivorId, merge.DuplicateId], "undo merge", $"merge {merge.Id}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<IReadOnlyList<MergeSummary>> MergesIntoAsync(Guid survivorId, CancellationToken cancellationToken = default) =>
        await (from m in db.Set<PersonMerge>()
               join p in db.People on m.DuplicateId equals p.Id
               where m.SurvivorId == survivorId
               orderby m.MergedAt descending
               select new MergeSummary(m.Id, m.SurvivorId, m.DuplicateId, p.GivenName + " " + p.FamilyName, m.MergedAt, m.Reason, m.UndoneAt != null))
            .ToListAsync(cancellationToken);
}

public static class PeopleAuditActions
{
    public const string Merged = "person.merged";
    public const string MergeUndone = "person.merge_undone";
}
