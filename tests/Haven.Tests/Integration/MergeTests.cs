using System.Net;
using Haven.Core.People;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Haven.Tests.Integration;

public sealed class MergeTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Merging_keeps_everything_is_audited_and_can_be_undone()
    {
        using var sam = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, sam, "sam.worker@demo.haven.test");
        var amara = await _factory.WithDbAsync(db => db.People.SingleAsync(p => p.GivenName == "Amara"));
        var dob = amara.DateOfBirth!.Value;
        var created = await TestSignIn.PostFormAsync(sam, "/people/new", new Dictionary<string, string>
        {
            ["PersonType"] = "child",
            ["GivenName"] = "Amarah",
            ["FamilyName"] = "Clark",
            ["DateOfBirthDay"] = dob.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DateOfBirthMonth"] = dob.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DateOfBirthYear"] = dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AddressLine1"] = "Flat 2, 9 River View",
            ["Postcode"] = "KT2 5EE",
            ["DuplicatesChecked"] = "true",
        });
        var duplicateId = Guid.Parse(created.Headers.Location!.OriginalString["/people/".Length..]);

        var preview = await TestSignIn.PostFormAsync(sam, $"/people/{amara.Id}/merge",
            new Dictionary<string, string> { ["DuplicateId"] = duplicateId.ToString(), ["Reason"] = "Same child: same date of birth, mother and school" });
        Assert.Contains("Check before merging", await preview.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var merged = await TestSignIn.PostFormAsync(sam, $"/people/{amara.Id}/merge", new Dictionary<string, string>
        {
            ["DuplicateId"] = duplicateId.ToString(),
            ["Reason"] = "Same child: same date of birth, mother and school",
            ["Confirmed"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);

        var addressesAfterMerge = await _factory.WithDbAsync(db => db.Addresses.Where(a => a.PersonId == amara.Id).Select(a => a.Line1).ToListAsync());
        Assert.Contains("Flat 2, 9 River View", addressesAfterMerge);
        Assert.Equal(amara.Id, await _factory.WithDbAsync(db => db.People.Where(p => p.Id == duplicateId).Select(p => p.MergedIntoId).SingleAsync()));
        var page = await sam.GetStringAsync($"/people/{amara.Id}", Ct);
        Assert.Contains("Records merged into this one", page, StringComparison.Ordinal);

        // Searching for the duplicate's name still finds the person, through the name kept on the survivor.
        var search = await TestSignIn.PostFormAsync(sam, "/people/search", new Dictionary<string, string> { ["Name"] = "Amarah Clark" });
        Assert.Contains($"/people/{amara.Id}", await search.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var mergeId = await _factory.WithDbAsync(db => db.Set<PersonMerge>().Select(m => m.Id).SingleAsync());
        var undone = await TestSignIn.PostFormAsync(sam, $"/people/{amara.Id}?handler=UndoMerge", new Dictionary<string, string> { ["MergeId"] = mergeId.ToString() }, $"/people/{amara.Id}");
        Assert.Equal(HttpStatusCode.Redirect, undone.StatusCode);
        Assert.Null(await _factory.WithDbAsync(db => db.People.Where(p => p.Id == duplicateId).Select(p => p.MergedIntoId).SingleAsync()));
        Assert.Equal(["Flat 2, 9 River View"], await _factory.WithDbAsync(db => db.Addresses.Where(a => a.PersonId == duplicateId).Select(a => a.Line1).ToListAsync()));
        Assert.DoesNotContain("Flat 2, 9 River View", await _factory.WithDbAsync(db => db.Addresses.Where(a => a.PersonId == amara.Id).Select(a => a.Line1).ToListAsync()));

        var actions = await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync());
        Assert.Contains(PeopleAuditActions.Merged, actions);
        Assert.Contains(PeopleAuditActions.MergeUndone, actions);
    }

    [Fact]
    public async Task A_record_cannot_be_merged_into_itself_and_the_reason_is_required()
    {
        using var sam = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, sam, "sam.worker@demo.haven.test");
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{amara}/merge", new Dictionary<string, string> { ["DuplicateId"] = amara.ToString(), ["Reason"] = "" });
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Enter the record number of the other record, not this one", html, StringComparison.Ordinal);
        Assert.Contains("Enter why these are the same person", html, StringComparison.Ordinal);
    }

    /// <summary>Every column that points at a person must be listed, or a merge would leave rows behind.</summary>
    [Fact]
    public async Task Every_foreign_key_to_a_person_is_moved_by_a_merge()
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND c.confrelid = 'people'::regclass
            """, connection);
        var columns = new List<(string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        // The merge bookkeeping itself and the merged-into marker are not moved. Neither is retention bookkeeping: a
        // record under an active hold cannot be merged, and released holds and review decisions stay as history with
        // the record they were about (retention skips merged records; destroying a record removes them explicitly).
        var expected = columns.Where(c => c.Item1 is not ("person_merges" or "legal_holds" or "retention_reviews") && c != ("people", "merged_into_id")).ToList();
        var missing = expected.Except(PersonLinks.Columns).ToList();
        Assert.True(missing.Count == 0, "Add these to PersonLinks.Columns: " + string.Join(", ", missing));
    }
}
