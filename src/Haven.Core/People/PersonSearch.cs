using System.Data.Common;
using System.Text;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Haven.Core.People;

public sealed record SearchQuery(string Name, DateOnly? DateOfBirth, string? NhsNumber, string? Postcode);

/// <summary>A search result shows only what proves a record exists: name and date of birth.</summary>
public sealed record SearchResult(Guid Id, string Name, DateOnly? DateOfBirth, string Reason, double Score);

public sealed record SearchCandidate(Guid Id, string Name, DateOnly? DateOfBirth, string? NhsNumber, bool PostcodeMatched, bool Restricted, double Score, string Reason,
    bool ProcessingRestricted = false, Guid OrganisationId = default);

/// <summary>
/// Finds people by name with typos (trigram similarity), nicknames and spelling variants, sound-alike names (double
/// metaphone), forenames and surnames swapped, and by date of birth, NHS number and postcode. The database narrows the
/// field with indexed look-ups; NameMatching ranks what comes back.
/// </summary>
public sealed class PersonSearch(HavenDbContext db, AuditWriter audit)
{
    public const int MaxResults = 25;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(Guid actorId, SearchQuery query, CancellationToken cancellationToken = default)
    {
        var actor = await db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => new { u.Roles, u.OrganisationId }).SingleAsync(cancellationToken);
        var roles = actor.Roles;
        var seeRestricted = Permissions.Grants(roles, Permissions.ViewRestrictedRecords);
        // A record whose processing is restricted (Art. 18) is found only by its organisation's Data Protection Officer.
        var dpoOf = Access.RecordAccessService.ProcessingRestrictedReadableIn(roles, actor.OrganisationId);
        var candidates = await CandidatesAsync(db, query, MaxResults * 4, cancellationToken);
        var results = candidates
            .Where(c => seeRestricted || !c.Restricted)
            .Where(c => !c.ProcessingRestricted || c.OrganisationId == dpoOf)
            .Where(c => c.Score >= 0.35)
            .Take(MaxResults)
            .Select(c => new SearchResult(c.Id, c.Name, c.DateOfBirth, c.Reason, Math.Round(c.Score, 3)))
            .ToList();
        var searchedBy = new[]
        {
            query.Name.Length > 0 ? "name" : null,
            query.DateOfBirth is null ? null : "date of birth",
            query.NhsNumber is null ? null : "NHS number",
            query.Postcode is null ? null : "postcode",
        }.Where(s => s is not null);
        await audit.RecordAsync(new AuditEntry(AuditActions.PersonSearched, results.Select(r => r.Id).ToList(), "search",
            $"by {string.Join(", ", searchedBy)}; {results.Count} results"), cancellationToken);
        return results;
    }

    /// <summary>
    /// Candidates ranked best first. Used by search and by the duplicate check on create. With a name and a date of
    /// birth, people born that day are looked at first; only if none of them is a strong match is the wider name
    /// search run. <paramref name="phases"/>, when given, receives the SQL each phase ran (the benchmark replays it).
    /// </summary>
    public static async Task<IReadOnlyList<SearchCandidate>> CandidatesAsync(HavenDbContext db, SearchQuery query, int limit, CancellationToken cancellationToken,
        List<SearchQuery>? phases = null)
    {
        if (query.DateOfBirth is not null && query.Name.Length > 0)
        {
            var narrow = await RunAsync(db, query, narrowToDateOfBirth: true, limit, cancellationToken);
            phases?.Add(query with { Name = "narrow:" + query.Name });
            if (narrow.Count > 0 && narrow[0].Score >= StrongMatch)
            {
                return narrow;
            }
        }

        phases?.Add(query);
        return await RunAsync(db, query, narrowToDateOfBirth: false, limit, cancellationToken);
    }

    /// <summary>A score at which the date-of-birth phase is trusted without the wider search.</summary>
    public const double StrongMatch = 0.75;

    private static async Task<IReadOnlyList<SearchCandidate>> RunAsync(HavenDbContext db, SearchQuery query, bool narrowToDateOfBirth, int limit, CancellationToken cancellationToken)
    {
        var (sql, parameters, tokens) = BuildQuery(query, narrowToDateOfBirth);
        if (sql is null)
        {
            return [];
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var rows = new List<SearchCandidate>();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            command.Parameters.AddRange(parameters.ToArray());
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var given = reader.GetString(1);
                var family = reader.GetString(2);
                DateOnly? dob = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3);
                var nhs = reader.IsDBNull(4) ? null : reader.GetString(4);
                var (score, reason) = Rank(tokens, query, given, family, dob, nhs, reader.GetBoolean(6));
                rows.Add(new SearchCandidate(reader.GetGuid(0), $"{given} {family}".Trim(), dob, nhs, reader.GetBoolean(6), reader.GetBoolean(5), score, reason,
                    reader.GetBoolean(7), reader.GetGuid(8)));
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        return rows.OrderByDescending(r => r.Score).ThenBy(r => r.Name, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>The SQL that narrows the field (public so the benchmark can time it bare). Null when there is nothing to search by.</summary>
    public static (string? Sql, List<NpgsqlParameter> Parameters, string[] Tokens) BuildQuery(SearchQuery query, bool narrowToDateOfBirth = false)
    {
        var tokens = NameMatching.Normalise(query.Name).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4).ToArray();
        var postcode = query.Postcode?.Replace(" ", string.Empty, StringComparison.Ordinal);

        // Each branch can use indexes: trigram GIN indexes and metaphone keys on both names, date of birth, NHS number,
        // postcode. With two or more words, both names must match (either way round), which keeps the field small even
        // for common surnames; a date of birth lets one name be further out.
        var branches = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        const string FamilyLike = "(lower(family_name) % @{0} OR dmetaphone(family_name) = dmetaphone(@{0}))";
        const string GivenLike = "(lower(given_name) % @{0} OR dmetaphone(given_name) = dmetaphone(@{0}) OR lower(given_name) = ANY(@{0}v))";
        string Family(string p) => string.Format(System.Globalization.CultureInfo.InvariantCulture, FamilyLike, p);
        string Given(string p) => string.Format(System.Globalization.CultureInfo.InvariantCulture, GivenLike, p);
        void Token(string name, string value)
        {
            parameters.Add(new NpgsqlParameter(name, value));
            parameters.Add(new NpgsqlParameter(name + "v", NameMatching.Variants(value).ToArray()));
        }

        if (tokens.Length >= 2 && narrowToDateOfBirth)
        {
            Token("g", string.Join(' ', tokens[..^1]));
            Token("f", tokens[^1]);
            Token("g1", tokens[0]);
            branches.Add($"SELECT id FROM people WHERE date_of_birth = @dob AND ({Family("f")} OR {Given("g1")} OR {Family("g1")} OR {Given("f")})");
        }
        else if (tokens.Length >= 2)
        {
            Token("g", string.Join(' ', tokens[..^1]));
            Token("f", tokens[^1]);
            Token("g1", tokens[0]);
            branches.Add($"SELECT id FROM people WHERE {Family("f")} AND ({Given("g")} OR {Given("g1")})");
            branches.Add($"SELECT id FROM people WHERE {Family("g1")} AND {Given("f")}");
            branches.Add("SELECT person_id AS id FROM person_names WHERE lower(family_name) % @f");
            if (query.DateOfBirth is not null)
            {
                branches.Add($"SELECT id FROM people WHERE date_of_birth = @dob AND ({Family("f")} OR {Given("g1")} OR {Family("g1")} OR {Given("f")})");
            }
        }
        else if (tokens.Length == 1)
        {
            Token("t", tokens[0]);
            branches.Add($"SELECT id FROM people WHERE {Family("t")}");
            branches.Add($"SELECT id FROM people WHERE {Given("t")}");
        }

        if (query.NhsNumber is not null)
        {
            branches.Add("SELECT id FROM people WHERE nhs_number = @nhs");
            parameters.Add(new NpgsqlParameter("nhs", query.NhsNumber));
        }

        if (postcode is not null)
        {
            branches.Add("SELECT person_id AS id FROM addresses WHERE replace(postcode, ' ', '') = @postcode");
        }

        if (query.DateOfBirth is not null && tokens.Length == 0)
        {
            branches.Add("SELECT id FROM people WHERE date_of_birth = @dob");
        }

        if (branches.Count == 0)
        {
            return (null, parameters, tokens);
        }

        parameters.Add(new NpgsqlParameter("postcode", (object?)postcode ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter("dob", (object?)query.DateOfBirth ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        var sql = new StringBuilder()
            .Append("WITH hits AS (").AppendJoin(" UNION ", branches).Append(") ")
            .Append("SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.restricted, ")
            .Append("(@postcode::text IS NOT NULL AND EXISTS (SELECT 1 FROM addresses a WHERE a.person_id = p.id AND replace(a.postcode, ' ', '') = @postcode::text)) ")
            .Append(", p.processing_restricted, p.organisation_id ")
            .Append("FROM people p JOIN (SELECT DISTINCT id FROM hits) h ON h.id = p.id WHERE p.merged_into_id IS NULL LIMIT 5000")
            .ToString();
        return (sql, parameters, tokens);
    }

    private static (double Score, string Reason) Rank(string[] tokens, SearchQuery query, string given, string family, DateOnly? dob, string? nhs, bool postcodeMatched)
    {
        var reasons = new List<string>();
        double score = 0;
        if (query.NhsNumber is not null && nhs == query.NhsNumber)
        {
            reasons.Add("same NHS number");
            score = 1;
        }

        if (tokens.Length > 0)
        {
            var queryGiven = tokens.Length > 1 ? string.Join(' ', tokens[..^1]) : tokens[0];
            var queryFamily = tokens.Length > 1 ? tokens[^1] : tokens[0];
            var nameScore = tokens.Length > 1
                ? NameMatching.Score(queryGiven, queryFamily, given, family)
                : Math.Max(NameMatching.Similarity(tokens[0], NameMatching.Normalise(family)), NameMatching.Similarity(tokens[0], NameMatching.Normalise(given)));
            score = Math.Max(score, nameScore);
            reasons.Add(ExplainName(queryGiven, queryFamily, given, family));
        }

        if (query.DateOfBirth is not null)
        {
            if (dob == query.DateOfBirth)
            {
                score = tokens.Length == 0 ? Math.Max(score, 0.6) : Math.Min(1, score + 0.3);
                reasons.Add("same date of birth");
            }
            else if (dob is not null)
            {
                score -= 0.25;
            }
        }

        if (postcodeMatched)
        {
            score = tokens.Length == 0 && query.DateOfBirth is null ? Math.Max(score, 0.5) : Math.Min(1, score + 0.15);
            reasons.Add("same postcode");
        }

        return (score, string.Join("; ", reasons.Where(r => r.Length > 0)));
    }

    /// <summary>Says in plain words why two names matched, for the results table.</summary>
    private static string ExplainName(string queryGiven, string queryFamily, string given, string family)
    {
        var (g, f) = (NameMatching.Normalise(given), NameMatching.Normalise(family));
        if (g == queryGiven && f == queryFamily)
        {
            return "same name";
        }

        if (g == queryFamily && f == queryGiven)
        {
            return "names the other way round";
        }

        if (f == queryFamily && NameMatching.Variants(queryGiven).Contains(g))
        {
            return "nickname or other form of the first name";
        }

        if (NameMatching.SoundKey(f) == NameMatching.SoundKey(queryFamily) && f != queryFamily)
        {
            return "last name sounds alike";
        }

        return "similar spelling";
    }
}
