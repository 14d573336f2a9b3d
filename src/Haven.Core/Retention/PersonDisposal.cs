using Haven.Core.Data;
using Haven.Core.People;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Haven.Core.Retention;

/// <summary>
/// Removes or anonymises people's records with everything derived from them. Called only by the retention engine,
/// inside its batch transaction and after the legal-hold check.
/// </summary>
public static class PersonDisposal
{
    /// <summary>Takes the disposed people out of other people's case-note participants.</summary>
    private const string RemoveFromParticipants =
        "UPDATE case_notes SET participant_person_ids = ARRAY(SELECT x FROM unnest(participant_person_ids) AS x WHERE x <> ALL(@ids)) WHERE participant_person_ids && @ids";

    /// <summary>
    /// Destroys the records and every copy derived from them: every row that points at the person (PersonLinks lists
    /// them all; a test fails when a new one is missed), their merge history and merged duplicates, their review
    /// decisions and released holds, their place in other people's case-note participants, and households left empty.
    /// Search entries go with the rows they index; documents go with their rows.
    /// </summary>
    public static async Task DestroyAsync(HavenDbContext db, Guid[] personIds, CancellationToken cancellationToken)
    {
        // Duplicates merged into a destroyed record are records of the same person.
        var ids = await db.Database.SqlQueryRaw<Guid>(
            "SELECT id AS \"Value\" FROM people WHERE id = ANY(@ids) OR merged_into_id = ANY(@ids)", Ids(personIds)).ToListAsync(cancellationToken);
        var all = ids.ToArray();

        async Task Run(string sql) => await db.Database.ExecuteSqlRawAsync(sql, [Ids(all)], cancellationToken);

        await Run(RemoveFromParticipants);
        await Run("DELETE FROM person_merge_moves WHERE merge_id IN (SELECT id FROM person_merges WHERE survivor_id = ANY(@ids) OR duplicate_id = ANY(@ids))");
        await Run("DELETE FROM person_merges WHERE survivor_id = ANY(@ids) OR duplicate_id = ANY(@ids)");
        await Run("DELETE FROM retention_reviews WHERE person_id = ANY(@ids)");
        // Holds that no longer apply (released, or ended without being released) go with the record; the batch has
        // checked under its share lock that none in force today or on the run date covers these people.
        await Run("DELETE FROM legal_holds WHERE person_id = ANY(@ids) AND (released_at IS NOT NULL OR ends_on < (now() AT TIME ZONE 'UTC')::date)");
        var households = await db.Database.SqlQueryRaw<Guid>(
            "SELECT DISTINCT household_id AS \"Value\" FROM household_members WHERE person_id = ANY(@ids)", Ids(all)).ToListAsync(cancellationToken);
        foreach (var (table, column) in PersonLinks.Columns)
        {
            if (table == "people")
            {
                // A child whose mother's record is destroyed keeps their own record, without the link.
                await Run($"UPDATE people SET {column} = NULL WHERE {column} = ANY(@ids) AND NOT (id = ANY(@ids))");
                continue;
            }

            await Run($"DELETE FROM {table} WHERE {column} = ANY(@ids)");
        }

        if (households.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync(
                "DELETE FROM households h WHERE h.id = ANY(@households) AND NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id)",
                [new NpgsqlParameter("households", households.ToArray())], cancellationToken);
        }

        // Only the rows that still have a link: the others would be written again for nothing just before they are
        // deleted (with new entries in every index on people, the name indexes among them, when their page is full).
        await Run("UPDATE people SET merged_into_id = NULL, mother_id = NULL WHERE id = ANY(@ids) AND (merged_into_id IS NOT NULL OR mother_id IS NOT NULL)");
        await Run("DELETE FROM people WHERE id = ANY(@ids)");
    }

    /// <summary>
    /// Anonymises the records irreversibly: names, identifiers, contact details, addresses, free text, documents and
    /// links to other people go; the person type, gender, year of birth, ethnicity (still sealed) and the types and
    /// dates of involvements, plans, services and education stay, so statistics still count them.
    /// </summary>
    public static async Task AnonymiseAsync(HavenDbContext db, Guid[] personIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Duplicates merged into an anonymised record are records of the same person: they are anonymised with it.
        var all = (await db.Database.SqlQueryRaw<Guid>(
            "SELECT id AS \"Value\" FROM people WHERE id = ANY(@ids) OR merged_into_id = ANY(@ids)", Ids(personIds)).ToListAsync(cancellationToken)).ToArray();

        async Task Run(string sql) => await db.Database.ExecuteSqlRawAsync(sql, [Ids(all), new NpgsqlParameter("now", now)], cancellationToken);

        var households = await db.Database.SqlQueryRaw<Guid>(
            "SELECT DISTINCT household_id AS \"Value\" FROM household_members WHERE person_id = ANY(@ids)", Ids(all)).ToListAsync(cancellationToken);

        foreach (var table in new[]
                 {
                     "addresses", "person_names", "record_access_grants", "break_glass_events", "case_notes", "case_worries", "case_offences",
                     "case_documents", "professionals_involved", "household_members", "achievements",
                 })
        {
            await Run($"DELETE FROM {table} WHERE person_id = ANY(@ids)");
        }

        await Run("DELETE FROM relationships WHERE person_id = ANY(@ids) OR related_person_id = ANY(@ids)");
        await Run(RemoveFromParticipants);
        await Run("UPDATE involvements SET details_sealed = NULL WHERE person_id = ANY(@ids)");
        await Run("UPDATE court_orders SET court = 'Anonymised' WHERE person_id = ANY(@ids)");
        await Run("UPDATE case_plans SET outcome = NULL WHERE person_id = ANY(@ids)");
        await Run("UPDATE case_services SET provider = NULL WHERE person_id = ANY(@ids)");
        await Run("UPDATE education_providers SET provider_name = 'Anonymised', urn = NULL WHERE person_id = ANY(@ids)");
        await Run("UPDATE school_exclusions SET reason = 'Anonymised' WHERE person_id = ANY(@ids)");
        if (households.Count > 0)
        {
            // A household's label is its address: one left with no members goes.
            await db.Database.ExecuteSqlRawAsync(
                "DELETE FROM households h WHERE h.id = ANY(@households) AND NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id)",
                [new NpgsqlParameter("households", households.ToArray())], cancellationToken);
        }

        await Run("UPDATE people SET mother_id = NULL WHERE mother_id = ANY(@ids)");
        await Run("""
            UPDATE people SET given_name = 'Anonymised', family_name = 'record', known_as = NULL,
                date_of_birth = CASE WHEN date_of_birth IS NULL THEN NULL ELSE make_date(extract(year FROM date_of_birth)::int, 1, 1) END,
                date_of_birth_estimated = date_of_birth IS NOT NULL, expected_date_of_birth = NULL, mother_id = NULL,
                date_of_death = CASE WHEN date_of_death IS NULL THEN NULL ELSE make_date(extract(year FROM date_of_death)::int, 1, 1) END,
                first_language = NULL, religion_sealed = NULL, disability_sealed = NULL, sexual_orientation_sealed = NULL,
                nhs_number = NULL, upn = NULL, phone = NULL, email = NULL, restriction_reason = NULL, owning_team_id = NULL,
                anonymised_at = @now
            WHERE id = ANY(@ids)
            """);
    }

    private static NpgsqlParameter Ids(Guid[] ids) => new("ids", ids);
}
