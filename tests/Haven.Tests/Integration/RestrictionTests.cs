using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Retention;
using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Haven.Tests.Integration.RightsTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// Restriction of processing (Art. 18) end to end: the practitioner who works with the child can no longer open or
/// change the record, the DPO can read it, caseload and search hide it, nothing new is collected, the sharing check
/// refuses it, retention does not destroy it, and it is lifted only after the person has been told.
/// </summary>
public sealed class RestrictionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string[] NameOnly = ["identity.name"];
    private HavenFactory _factory = null!;
    private Guid _amara;
    private Guid _dora;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await CaseRecordTestSupport.PersonAsync(_factory, "Amara");
        _dora = await UserAsync(_factory, Dora);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<Guid> RestrictAmaraAsync()
    {
        var request = await RequestAsync(_factory, [RightsCodes.Restriction, RightsCodes.Rectification], _amara);
        Assert.Empty(await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.PlaceAsync(_dora, request, "Amara says her record is wrong; we are checking it", Ct)));
        return request;
    }

    [Fact]
    public async Task A_restricted_record_is_readable_only_by_the_DPO_and_hidden_from_caseload_and_search()
    {
        using var sam = await CaseRecordTestSupport.SignedInAsync(_factory, Sam);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/api/v1/people/{_amara}", Ct)).StatusCode);
        Assert.Contains(_amara.ToString(), await sam.GetStringAsync("/api/v1/caseload", Ct), StringComparison.Ordinal);

        var request = await RestrictAmaraAsync();

        var denied = await sam.GetAsync($"/api/v1/people/{_amara}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var problem = await denied.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Processing of this record is restricted", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Clarke", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/people/{_amara}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CaseRecordTestSupport.PutJsonAsync(sam, $"/api/v1/people/{_amara}", new { givenName = "Amara", familyName = "Changed", version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CaseRecordTestSupport.PostJsonAsync(sam, $"/api/v1/people/{_amara}/notes",
            new { contactType = "visit", contactDate = CaseRecordTestSupport.Iso(CaseRecordTestSupport.Today), text = "Visited", source = "family" })).StatusCode);
        Assert.DoesNotContain(_amara.ToString(), await sam.GetStringAsync("/api/v1/caseload", Ct), StringComparison.Ordinal);
        var samSearch = await CaseRecordTestSupport.PostJsonAsync(sam, "/api/v1/people/search", new { name = "Amara Clarke" });
        Assert.DoesNotContain(_amara.ToString(), await samSearch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // A team manager may open sealed records, but not one whose processing is restricted.
        using var maria = await CaseRecordTestSupport.SignedInAsync(_factory, "maria.manager@demo.haven.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await maria.GetAsync($"/api/v1/people/{_amara}", Ct)).StatusCode);

        using var dora = await CaseRecordTestSupport.SignedInAsync(_factory, Dora);
        var read = await dora.GetAsync($"/api/v1/people/{_amara}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("data_protection_officer", (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessBasis").GetString());
        var page = await CaseRecordTestSupport.TextAsync(await dora.GetAsync($"/people/{_amara}", Ct));
        Assert.Contains("Processing of this record is restricted at the person's request", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/people/{_amara}/edit", page, StringComparison.Ordinal);
        var doraSearch = await CaseRecordTestSupport.PostJsonAsync(dora, "/api/v1/people/search", new { name = "Amara Clarke" });
        Assert.Contains(_amara.ToString(), await doraSearch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // The DPO's read is audited with its basis.
        Assert.True(await _factory.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == "person.viewed" && a.ActorUserId == _dora && a.PersonIds.Contains(_amara)
            && a.Details == "basis data_protection_officer", Ct)));

        // The decision is recorded once, with the requester told.
        var decision = Assert.Single(await DecisionsAsync(_factory, request));
        Assert.Equal((RightsCodes.Restriction, "granted"), (decision.RightCode, decision.Outcome));
        Assert.Contains(await MessagesAsync(_factory, request), m => m.Kind == "restriction_placed");
    }

    [Fact]
    public async Task Nothing_is_collected_about_a_restricted_person_and_nothing_is_shared()
    {
        using var dora = await CaseRecordTestSupport.SignedInAsync(_factory, Dora);
        var check = new { service = "childrens-social-care", activity = "safeguarding-and-care", recipient = "police", categories = NameOnly, personId = _amara };
        var before = await (await CaseRecordTestSupport.PostJsonAsync(dora, "/api/v1/register/afc/disclosure-check", check)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(before.GetProperty("allowed").GetBoolean(), before.ToString());

        await RestrictAmaraAsync();

        var after = await (await CaseRecordTestSupport.PostJsonAsync(dora, "/api/v1/register/afc/disclosure-check", check)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(after.GetProperty("allowed").GetBoolean());
        Assert.Contains("restricted at their request", after.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        // Another organisation's record gets the same answer as one that does not exist.
        var other = await (await CaseRecordTestSupport.PostJsonAsync(dora, "/api/v1/register/afc/disclosure-check", check with { personId = Guid.NewGuid() })).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("There is no record with this number in this organisation", other.GetProperty("reasons")[0].GetString());

        using var scope = _factory.Services.CreateScope();
        var guard = scope.ServiceProvider.GetRequiredService<CollectionGuard>();
        var errors = await guard.CheckForPersonAsync(_amara, new PersonInput { GivenName = "Amara", FamilyName = "Clarke" }, Ct);
        Assert.Contains("restricted", Assert.Single(errors).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_does_not_destroy_a_restricted_record()
    {
        var sees = await OrganisationAsync(_factory, "sees");
        var restricted = await OldEarlyHelpRecordAsync(sees, "Restricta");
        var ordinary = await OldEarlyHelpRecordAsync(sees, "Ordinara");
        await ExecuteAsync("UPDATE people SET processing_restricted = true WHERE id = @id", restricted);
        await ExecuteAsync("INSERT INTO processing_restrictions (id, person_id, reason, started_at) VALUES (gen_random_uuid(), @id, 'Accuracy contested', now())", restricted);
        Assert.Contains(restricted, await WithAsync<LegalHoldService, IReadOnlySet<Guid>>(_factory, h => h.HeldAsync([restricted, ordinary], cancellationToken: Ct)));

        var summary = await WithAsync<RetentionEngine, RunSummary>(_factory, e => e.RunAsync(CaseRecordTestSupport.Today, false, "restriction tests", Ct));

        Assert.True(summary.Destroyed >= 1);
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == restricted, Ct)));
        Assert.False(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.Id == ordinary, Ct)));
    }

    [Fact]
    public async Task A_restriction_is_lifted_only_after_the_person_is_told_and_with_a_reason()
    {
        var request = await RestrictAmaraAsync();
        var restriction = await _factory.WithDbAsync(db => db.Set<ProcessingRestriction>().Where(r => r.PersonId == _amara && r.LiftedAt == null).Select(r => r.Id).SingleAsync(Ct));

        var early = await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.LiftAsync(_dora, restriction, "Checked", Ct));
        Assert.Equal("Tell the person that the restriction will be lifted before lifting it", early["LiftReason"]);
        Assert.True(await RestrictedAsync());

        // Another organisation's DPO-equivalent cannot touch it, and is told only that there is no such restriction.
        var ian = await UserAsync(_factory, Ian);
        Assert.Equal("There is no such restriction in force in your organisation",
            (await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.TellSubjectAsync(ian, restriction, "Letter", Ct)))["SubjectToldHow"]);

        Assert.Empty(await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.TellSubjectAsync(_dora, restriction, "Letter sent to Amara's home", Ct)));
        Assert.Contains(await MessagesAsync(_factory, request), m => m.Kind == "restriction_lifting");
        var noReason = await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.LiftAsync(_dora, restriction, " ", Ct));
        Assert.Equal("Enter why the restriction is lifted", noReason["LiftReason"]);

        Assert.Empty(await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.LiftAsync(_dora, restriction, "Record checked and found accurate", Ct)));
        Assert.False(await RestrictedAsync());
        using var sam = await CaseRecordTestSupport.SignedInAsync(_factory, Sam);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/api/v1/people/{_amara}", Ct)).StatusCode);
        var actions = await AuditActionsAsync(_factory, "rights.restriction");
        Assert.Equal([OtherRightsAuditActions.RestrictionPlaced, OtherRightsAuditActions.RestrictionSubjectTold, OtherRightsAuditActions.RestrictionLifted], actions);

        // The database itself refuses a lift without the person told.
        var second = await RequestAsync(_factory, [RightsCodes.Restriction], _amara);
        Assert.Empty(await WithAsync<RestrictionService, IReadOnlyDictionary<string, string>>(_factory, s => s.PlaceAsync(_dora, second, "Again", Ct)));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE processing_restrictions SET lifted_at = now() WHERE person_id = @id AND lifted_at IS NULL", _amara));
    }

    private Task<bool> RestrictedAsync() => _factory.WithDbAsync(db => db.People.Where(p => p.Id == _amara).Select(p => p.ProcessingRestricted).SingleAsync(Ct));

    private async Task<Guid> OldEarlyHelpRecordAsync(Guid organisation, string given)
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth, person_type) VALUES (@id, @org, @given, 'Oldrecord', DATE '1985-03-01', 'adult');
            INSERT INTO involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, details_sealed, source) VALUES
                (gen_random_uuid(), @org, @id, 'early_help', DATE '1990-01-01', DATE '1992-01-01', '\x00'::bytea, 'family');
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organisation);
        command.Parameters.AddWithValue("given", given);
        await command.ExecuteNonQueryAsync(Ct);
        return id;
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
