using System.Net;
using Haven.Core.Privacy;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// The seed registers at work in the demo: Essex County Council's Family Group Conference notice does not declare
/// date of birth or sexual orientation, so its coordinator cannot record them, while Achieving for Children's can.
/// </summary>
public sealed class DemoEnforcementTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_fgc_coordinator_cannot_record_what_the_fgc_notice_does_not_declare()
    {
        using var fay = await SignedInAsync(_factory, "fay.fgc@demo.haven.test");
        var before = await _factory.WithDbAsync(db => db.People.CountAsync());

        var refused = await PostJsonAsync(fay, "/api/v1/people", new
        {
            personType = "child",
            givenName = "Robin",
            familyName = "Oakes",
            dateOfBirth = "2015-03-02",
            sexualOrientation = "Not known",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = await ValidationErrorsAsync(refused);
        Assert.Contains("Family Group Conference does not say it collects date of birth", errors["DateOfBirth"][0], StringComparison.Ordinal);
        Assert.Contains("sex life or sexual orientation", errors["SexualOrientation"][0], StringComparison.Ordinal);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.People.CountAsync()));

        var audit = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == RegisterAuditActions.CollectionRefused).Select(e => e.Details!).ToListAsync());
        var detail = Assert.Single(audit);
        Assert.StartsWith("ecc-fgc/family-group-conference:", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Not known", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("2015", detail, StringComparison.Ordinal);

        var accepted = await PostJsonAsync(fay, "/api/v1/people", new { personType = "child", givenName = "Robin", familyName = "Oakes", duplicatesChecked = true });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task The_new_person_form_asks_only_for_what_the_service_declares()
    {
        using var fay = await SignedInAsync(_factory, "fay.fgc@demo.haven.test");
        var html = await TextAsync(await fay.GetAsync("/people/new", Ct));
        Assert.DoesNotContain("name=\"SexualOrientation\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"DateOfBirthDay\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Religion\"", html, StringComparison.Ordinal);
        Assert.Contains("The privacy notice for Family Group Conference does not say it collects date of birth", html, StringComparison.Ordinal);

        using var sam = await SignedInAsync(_factory);
        html = await TextAsync(await sam.GetAsync("/people/new", Ct));
        Assert.Contains("name=\"SexualOrientation\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("does not say it collects", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_afc_social_worker_records_special_category_data_the_afc_notice_declares()
    {
        using var sam = await SignedInAsync(_factory);
        var response = await PostJsonAsync(sam, "/api/v1/people", new
        {
            personType = "child",
            givenName = "Robin",
            familyName = "Oakes",
            dateOfBirth = "2015-03-02",
            sexualOrientation = "Not known",
            duplicatesChecked = true,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

/// <summary>Retention decisions need the retention permission: a social worker cannot approve disposal or release a hold.</summary>
public sealed class RetentionPermissionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_social_worker_cannot_approve_a_disposal_run_retention_or_release_a_hold()
    {
        var review = await _factory.WithDbAsync(async db =>
        {
            var jordan = await db.People.Where(p => p.GivenName == "Jordan" && p.FamilyName == "Pike").SingleAsync();
            var row = new Haven.Core.Retention.RetentionReview
            {
                Id = Guid.NewGuid(),
                PersonId = jordan.Id,
                OrganisationId = jordan.OrganisationId,
                RuleCode = "child-in-need",
                RecordType = "child-in-need",
                DueOn = Today.AddYears(-2),
                Status = "pending",
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var hold = await _factory.WithDbAsync(db => db.Set<Haven.Core.Retention.LegalHold>().Select(h => h.Id).SingleAsync());

        using var sam = await SignedInAsync(_factory);
        var approve = await TestSignIn.PostFormAsync(sam, "/retention/reviews",
            new Dictionary<string, string> { ["ReviewId"] = review.ToString(), ["Decision"] = "approve" }, tokenFromPath: "/");
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        var release = await TestSignIn.PostFormAsync(sam, "/retention/holds/release",
            new Dictionary<string, string> { ["HoldId"] = hold.ToString(), ["ReleaseReason"] = "No longer needed" }, tokenFromPath: "/");
        Assert.Equal(HttpStatusCode.Forbidden, release.StatusCode);
        var run = await TestSignIn.PostFormAsync(sam, "/retention/run", new Dictionary<string, string> { ["dryRun"] = "false" }, tokenFromPath: "/");
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);

        Assert.Equal("pending", await _factory.WithDbAsync(db => db.Set<Haven.Core.Retention.RetentionReview>().Where(r => r.Id == review).Select(r => r.Status).SingleAsync()));
        Assert.Null(await _factory.WithDbAsync(db => db.Set<Haven.Core.Retention.LegalHold>().Where(h => h.Id == hold).Select(h => h.ReleasedAt).SingleAsync()));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<Haven.Core.Retention.RetentionRun>().CountAsync()));
        Assert.True(await _factory.WithDbAsync(db => db.People.AnyAsync(p => p.GivenName == "Callum" && p.FamilyName == "Reyes")));
    }
}
