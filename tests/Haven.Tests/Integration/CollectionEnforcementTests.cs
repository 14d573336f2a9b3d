using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Haven.Core.Audit;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Tests.Infrastructure;
using Haven.Tests.Unit;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// The collection and sharing enforcement points: every collection point names a known category, Haven refuses at
/// request time what the organisation's register does not declare (with a clear message and an audit event that
/// holds no personal values), and disclosures are checked against the register's recipients.
/// </summary>
public sealed class CollectionEnforcementTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Marker = "OrientationMarker-55de";
    private const string OrientationLine = "          - category: special.sexual-orientation\n";
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static Assembly Core => typeof(CollectionGuard).Assembly;

    private static Assembly Web => typeof(Haven.Web.HavenProgram).Assembly;

    private Task<int> PeopleCountAsync() => _factory.WithDbAsync(db => db.People.CountAsync());

    private Task<Guid> OrganisationAsync(string code) => _factory.WithDbAsync(db => db.Organisations.Where(o => o.ShortName == code).Select(o => o.Id).SingleAsync());

    private Task<List<AuditEvent>> RefusalsAsync(string action = RegisterAuditActions.CollectionRefused) =>
        _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == action).OrderBy(e => e.Seq).ToListAsync());

    /// <summary>Imports a new version of AfC's register that no longer declares sexual orientation.</summary>
    private async Task DropSexualOrientationFromAfcAsync()
    {
        var text = RegisterParserTests.SeedFile("004-");
        Assert.Contains(OrientationLine, text, StringComparison.Ordinal);
        using var scope = _factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegisterService>().ImportAsync(
            [new RegisterFile("004-achieving-for-children.yaml", text.Replace(OrientationLine, string.Empty, StringComparison.Ordinal))],
            "Sexual orientation is no longer recorded", null, "test", cancellationToken: Ct);
        Assert.True(result.Imported, string.Join("\n", result.Errors));
        Assert.Equal(2, result.Versions.Single().Version);
    }

    private static object Child(string given, string? sexualOrientation) => new
    {
        personType = "child",
        givenName = given,
        familyName = "Register-Test",
        dateOfBirth = Iso(Today.AddYears(-8)),
        sexualOrientation,
        duplicatesChecked = true,
    };

    private static Dictionary<string, string> ChildForm(string given, string sexualOrientation) => new()
    {
        ["PersonType"] = "child",
        ["GivenName"] = given,
        ["FamilyName"] = "Register-Test",
        ["DateOfBirthDay"] = "14",
        ["DateOfBirthMonth"] = "2",
        ["DateOfBirthYear"] = "2016",
        ["SexualOrientation"] = sexualOrientation,
        ["DuplicatesChecked"] = "true",
    };

    // ---- The startup check ----

    [Fact]
    public void Every_collection_point_in_Haven_names_a_category_in_the_taxonomy()
    {
        var points = CollectionPoints.Discover(Core, Web);
        Assert.NotEmpty(points);
        Assert.Empty(CollectionPoints.Problems(Taxonomy.BuiltIn, points));
        Assert.Contains(points, p => p.Type == typeof(PersonInput) && p.Field == nameof(PersonInput.SexualOrientation) && p.Category == "special.sexual-orientation");
        // An API request collects what the Core input it mirrors collects.
        Assert.Contains(points, p => p.Type == typeof(Haven.Web.Api.PersonRequest) && p.Field == "SexualOrientation" && p.Category == "special.sexual-orientation");
        Assert.Contains(points, p => p.Type == typeof(Haven.Web.Api.PersonRequest) && p.Field == "DuplicatesChecked" && p.Category is null && p.NotPersonalReason is not null);
    }

    [CollectionPoint("no.such")]
    private sealed record FakeUnknownDefault(string? Anything);

    [CollectionPoint("identity")]
    private sealed record FakeUnknownField([property: Collects("identity.shoe-size")] string? Shoes, string? Name);

    [CollectsAs(typeof(PersonInput))]
    private sealed record FakeMirrorWithExtraField(string? GivenName, string? FavouriteColour);

    [Fact]
    public void A_collection_point_naming_an_unknown_category_is_reported()
    {
        var problems = CollectionPoints.Problems(Taxonomy.BuiltIn, CollectionPoints.Of(typeof(FakeUnknownDefault)));
        Assert.Equal("FakeUnknownDefault.Anything collects 'no.such', which is not in the category taxonomy", Assert.Single(problems));

        problems = CollectionPoints.Problems(Taxonomy.BuiltIn, CollectionPoints.Of(typeof(FakeUnknownField)));
        Assert.Equal("FakeUnknownField.Shoes collects 'identity.shoe-size', which is not in the category taxonomy", Assert.Single(problems));

        problems = CollectionPoints.Problems(Taxonomy.BuiltIn, CollectionPoints.Of(typeof(FakeMirrorWithExtraField)));
        Assert.Equal("FakeMirrorWithExtraField.FavouriteColour declares no data category", Assert.Single(problems));

        // Discovery finds them by their attributes, as it finds Haven's own.
        var discovered = CollectionPoints.Problems(Taxonomy.BuiltIn, CollectionPoints.Discover(typeof(CollectionEnforcementTests).Assembly));
        Assert.Contains(discovered, p => p.StartsWith("FakeUnknownDefault.Anything", StringComparison.Ordinal));
        Assert.Contains(discovered, p => p.StartsWith("FakeUnknownField.Shoes", StringComparison.Ordinal));
    }

    private static bool IsCollectionPoint(Type type) =>
        type.GetCustomAttribute<CollectionPointAttribute>() is not null || type.GetCustomAttribute<CollectsAsAttribute>() is not null;

    [Fact]
    public void Every_Core_input_and_API_request_declares_what_it_collects()
    {
        var inputs = Core.GetExportedTypes()
            .Where(t => t.Namespace is "Haven.Core.People" or "Haven.Core.CaseWork" && t.Name.EndsWith("Input", StringComparison.Ordinal) && !t.IsAbstract)
            .ToList();
        Assert.Contains(typeof(PersonInput), inputs);
        Assert.True(inputs.Count >= 10, string.Join(", ", inputs.Select(t => t.Name)));
        var requests = Web.GetExportedTypes().Where(t => t.Namespace == "Haven.Web.Api" && t.Name.EndsWith("Request", StringComparison.Ordinal)).ToList();
        Assert.Contains(typeof(Haven.Web.Api.PersonRequest), requests);

        var undeclared = inputs.Concat(requests).Where(t => !IsCollectionPoint(t)).Select(t => t.FullName).ToList();
        Assert.True(undeclared.Count == 0, "No collection-point attribute: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_API_request_body_is_a_collection_point()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var bodies = endpoints.Select(e => (Endpoint: e.DisplayName, Type: e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType))
            .Where(e => e.Type is not null && e.Type.Assembly.GetName().Name!.StartsWith("Haven", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(bodies, b => b.Type == typeof(Haven.Web.Api.PersonRequest));
        Assert.True(bodies.Count >= 10, string.Join(", ", bodies.Select(b => b.Type!.Name)));
        var undeclared = bodies.Where(b => !IsCollectionPoint(b.Type!)).Select(b => $"{b.Endpoint}: {b.Type!.FullName}").ToList();
        Assert.True(undeclared.Count == 0, "Request bodies without a collection-point attribute: " + string.Join(", ", undeclared));
    }

    // ---- Refusal at request time ----

    [Fact]
    public async Task An_undeclared_category_is_refused_through_the_API_with_a_message_naming_the_notice_and_nothing_is_stored()
    {
        await DropSexualOrientationFromAfcAsync();
        using var sam = await SignedInAsync(_factory);
        var before = await PeopleCountAsync();

        var response = await PostJsonAsync(sam, "/api/v1/people", Child("Rowan", Marker));
        var errors = await ValidationErrorsAsync(response);
        var message = Assert.Single(errors["SexualOrientation"]);
        Assert.Contains("privacy notice for Children's Social Care", message, StringComparison.Ordinal);
        Assert.Contains("Achieving for Children", message, StringComparison.Ordinal);
        Assert.Contains("sex life or sexual orientation", message, StringComparison.Ordinal);
        Assert.Contains("Data Protection Officer", message, StringComparison.Ordinal);
        Assert.Single(errors);
        Assert.Equal(before, await PeopleCountAsync());

        var refusal = Assert.Single(await RefusalsAsync());
        Assert.Contains("afc/childrens-social-care", refusal.Details, StringComparison.Ordinal);
        Assert.Contains("special.sexual-orientation", refusal.Details, StringComparison.Ordinal);
        Assert.Contains("SexualOrientation", refusal.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, refusal.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Rowan", refusal.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Register-Test", refusal.Details, StringComparison.Ordinal);
        Assert.Empty(refusal.PersonIds);
        Assert.NotNull(refusal.ActorUserId);
        Assert.DoesNotContain(Marker, string.Join("|", await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Details ?? "").ToListAsync())), StringComparison.Ordinal);

        // Leaving the field out succeeds.
        var created = await PostJsonAsync(sam, "/api/v1/people", Child("Rowan", null));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(before + 1, await PeopleCountAsync());
        var blank = await PostJsonAsync(sam, "/api/v1/people", Child("Robin", "   "));
        Assert.Equal(HttpStatusCode.Created, blank.StatusCode);
        Assert.Single(await RefusalsAsync());
    }

    [Fact]
    public async Task The_same_refusal_applies_through_the_form()
    {
        await DropSexualOrientationFromAfcAsync();
        using var sam = await SignedInAsync(_factory);
        var before = await PeopleCountAsync();

        var response = await TestSignIn.PostFormAsync(sam, "/people/new", ChildForm("Sasha", Marker));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("privacy notice for Children's Social Care does not say it collects sex life or sexual orientation", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#SexualOrientation\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());
        var refusal = Assert.Single(await RefusalsAsync());
        Assert.DoesNotContain(Marker, refusal.Details, StringComparison.Ordinal);

        var saved = await TestSignIn.PostFormAsync(sam, "/people/new", ChildForm("Sasha", string.Empty));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(before + 1, await PeopleCountAsync());
    }

    [Fact]
    public async Task Changing_an_existing_record_is_held_to_the_register_too()
    {
        await DropSexualOrientationFromAfcAsync();
        using var sam = await SignedInAsync(_factory);
        var amara = await PersonAsync(_factory, "Amara");
        var current = await sam.GetFromJsonAsync<PersonBody>($"/api/v1/people/{amara}", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/people/{amara}")
        {
            Content = JsonContent.Create(new
            {
                personType = current!.PersonType,
                givenName = current.GivenName,
                familyName = current.FamilyName,
                dateOfBirth = current.DateOfBirth,
                sexualOrientation = Marker,
                version = current.Version,
            }),
        };
        request.Headers.Add("RequestVerificationToken", await AntiforgeryAsync(sam));
        var errors = await ValidationErrorsAsync(await sam.SendAsync(request, Ct));
        Assert.Contains("privacy notice", errors["SexualOrientation"][0], StringComparison.Ordinal);
        var refusal = Assert.Single(await RefusalsAsync());
        Assert.Equal([amara], refusal.PersonIds);
        Assert.DoesNotContain(Marker, refusal.Details, StringComparison.Ordinal);
        var after = await sam.GetFromJsonAsync<PersonBody>($"/api/v1/people/{amara}", Ct);
        Assert.Equal(current.Version, after!.Version);
        Assert.NotEqual(Marker, after.SexualOrientation);
    }

    [Fact]
    public async Task With_the_category_declared_the_same_value_is_stored()
    {
        using var sam = await SignedInAsync(_factory);
        var response = await PostJsonAsync(sam, "/api/v1/people", Child("Quinn", Marker));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var person = await response.Content.ReadFromJsonAsync<PersonBody>(Ct);
        Assert.Equal(Marker, person!.SexualOrientation);
        Assert.Empty(await RefusalsAsync());
    }

    private static async Task<string> AntiforgeryAsync(HttpClient client)
    {
        var home = await client.GetStringAsync("/", Ct);
        return System.Text.RegularExpressions.Regex.Match(home, "name=\"haven-antiforgery\" content=\"([^\"]+)\"").Groups[1].Value;
    }

    private sealed record PersonBody(Guid Id, string PersonType, string GivenName, string FamilyName, DateOnly? DateOfBirth, string? SexualOrientation, uint Version);

    /// <summary>A practitioner in a new team (and, unless given, a new organisation), created directly in the database.</summary>
    private async Task<string> PractitionerAsync(Guid? organisationId, string? serviceCode)
    {
        var email = $"worker-{Guid.NewGuid():N}@test.haven.test";
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Haven.Core.Data.HavenDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        var now = DateTimeOffset.UtcNow;
        if (organisationId is null)
        {
            var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Unregistered Children's Trust", ShortName = "unregistered-" + Guid.NewGuid().ToString("N")[..6], CreatedAt = now };
            db.Organisations.Add(organisation);
            organisationId = organisation.Id;
        }

        var team = new Team { Id = Guid.NewGuid(), OrganisationId = organisationId.Value, Name = "Test team", ServiceCode = serviceCode };
        db.Teams.Add(team);
        var user = new User
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId.Value,
            TeamId = team.Id,
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = "Test Worker",
            JobTitle = "Social worker",
            Roles = [Roles.Practitioner],
            LastDataProtectionTrainingOn = Today.AddMonths(-1),
            SecurityStamp = AccountService.NewStamp(),
            CreatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, Haven.Core.Demo.DemoSeeder.DemoPassword);
        db.Users.Add(user);
        await db.SaveChangesAsync(Ct);
        return email;
    }

    [Fact]
    public async Task A_worker_in_an_organisation_without_a_register_is_told_why_nothing_can_be_recorded()
    {
        var email = await PractitionerAsync(null, "childrens-social-care");
        using var worker = await SignedInAsync(_factory, email);
        var before = await PeopleCountAsync();
        var errors = await ValidationErrorsAsync(await PostJsonAsync(worker, "/api/v1/people", Child("Alex", null)));
        // One message for the whole form, not one per field.
        var message = Assert.Single(errors).Value[0];
        Assert.Contains("Unregistered Children's Trust has no privacy register in force", message, StringComparison.Ordinal);
        Assert.Contains("Data Protection Officer", message, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());
        var refusal = Assert.Single(await RefusalsAsync());
        Assert.Contains("(no service)", refusal.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Alex", refusal.Details, StringComparison.Ordinal);

        var html = await TextAsync(await TestSignIn.PostFormAsync(worker, "/people/new", ChildForm("Alex", string.Empty)));
        Assert.Contains("has no privacy register in force", html, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());
    }

    [Fact]
    public async Task A_worker_whose_team_service_is_not_in_the_register_is_told_so()
    {
        var email = await PractitionerAsync(await OrganisationAsync("afc"), "youth-justice");
        using var worker = await SignedInAsync(_factory, email);
        var before = await PeopleCountAsync();
        var errors = await ValidationErrorsAsync(await PostJsonAsync(worker, "/api/v1/people", Child("Jordan", null)));
        var message = Assert.Single(errors).Value[0];
        Assert.Contains("'youth-justice'", message, StringComparison.Ordinal);
        Assert.Contains("privacy register does not describe", message, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());
    }

    [Fact]
    public async Task The_scope_follows_the_workers_team_or_the_case_record_service()
    {
        var afc = await OrganisationAsync("afc");
        using var scope = _factory.Services.CreateScope();
        var guard = scope.ServiceProvider.GetRequiredService<CollectionGuard>();
        // Outside a request there is no user: the organisation's case-record service applies.
        var collection = await guard.ScopeAsync(afc, Ct);
        Assert.Null(collection.Problem);
        Assert.Equal("childrens-social-care", collection.Service!.Code);
        Assert.True(collection.Declares("identity.name"));
        Assert.True(collection.Declares("special.health.disability"));
        Assert.False(collection.Declares("training.finance"));

        var escb = await guard.ScopeAsync(await OrganisationAsync("escb"), Ct);
        Assert.Equal("practice-reviews", escb.Service!.Code);
        Assert.False(escb.Declares("special.sexual-orientation"));
    }

    // ---- Disclosure ----

    private async Task<RegisterDocument> DocumentAsync(string code)
    {
        var id = await OrganisationAsync(code);
        using var scope = _factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<RegisterService>().InForceAsync(id, cancellationToken: Ct))!.Document;
    }

    private static DisclosureRequest AfcRequest(string recipient, params string[] categories) =>
        new("childrens-social-care", "safeguarding-and-care", recipient, categories);

    [Fact]
    public async Task A_disclosure_is_allowed_only_to_a_declared_recipient_of_declared_categories()
    {
        var afc = await DocumentAsync("afc");

        var police = SharingRules.Check(afc, AfcRequest("police", "identity.name"));
        Assert.True(police.Allowed, string.Join("; ", police.Reasons));
        Assert.Equal(RegisterCodes.LawfulBases["public-task"], police.LawfulBasis);
        Assert.Equal("police", police.RecipientName);
        Assert.True(SharingRules.Check(afc, AfcRequest("police", "identity.name", "special.health", "criminal.offences")).Allowed);

        var stranger = SharingRules.Check(afc, AfcRequest("tabloid-newspaper", "identity.name"));
        Assert.False(stranger.Allowed);
        Assert.Contains("'tabloid-newspaper'", Assert.Single(stranger.Reasons), StringComparison.Ordinal);
        Assert.Null(stranger.LawfulBasis);

        var undeclared = SharingRules.Check(afc, AfcRequest("police", "identity.name", "training.finance"));
        Assert.False(undeclared.Allowed);
        Assert.Contains("Finance and payment details is not collected for", Assert.Single(undeclared.Reasons), StringComparison.Ordinal);

        var unknown = SharingRules.Check(afc, AfcRequest("police", "no.such"));
        Assert.False(unknown.Allowed);
        Assert.Contains("'no.such' is not a data category", Assert.Single(unknown.Reasons), StringComparison.Ordinal);

        Assert.False(SharingRules.Check(afc, AfcRequest("police")).Allowed);
        Assert.False(SharingRules.Check(afc, new DisclosureRequest("youth-justice", "safeguarding-and-care", "police", ["identity.name"])).Allowed);
        Assert.False(SharingRules.Check(afc, new DisclosureRequest("childrens-social-care", "marketing", "police", ["identity.name"])).Allowed);

        // A recipient declared for one purpose is not thereby declared for another.
        Assert.False(SharingRules.Check(afc, new DisclosureRequest("childrens-social-care", "supporting-families", "police", ["identity.name"])).Allowed);
        Assert.True(SharingRules.Check(afc, new DisclosureRequest("childrens-social-care", "supporting-families", "dwp", ["identity.name"])).Allowed);
    }

    [Fact]
    public async Task A_recipient_limited_to_some_categories_receives_only_those()
    {
        var afc = await DocumentAsync("afc");
        Assert.True(SharingRules.Check(afc, AfcRequest("nhs-unscheduled-care", "identity.name", "identity.nhs-number", "safeguarding.status")).Allowed);
        var health = SharingRules.Check(afc, AfcRequest("nhs-unscheduled-care", "identity.name", "special.health"));
        Assert.False(health.Allowed);
        var reason = Assert.Single(health.Reasons);
        Assert.Contains("physical or mental health", reason, StringComparison.Ordinal);
        Assert.Contains("NHS unscheduled care settings (CP-IS)", reason, StringComparison.Ordinal);
        // Declaring "safeguarding.status" does not cover the rest of "safeguarding".
        Assert.False(SharingRules.Check(afc, AfcRequest("nhs-unscheduled-care", "safeguarding")).Allowed);
    }

    [Fact]
    public async Task Overseas_disclosures_follow_the_safeguard_the_notice_promises()
    {
        var ecc = await DocumentAsync("ecc-fgc");
        var request = new DisclosureRequest("family-group-conference", "family-group-conference", "family-overseas", ["identity.name", "family"]);
        var withoutConsent = SharingRules.Check(ecc, request);
        Assert.False(withoutConsent.Allowed);
        Assert.Contains("Record the person's consent first", Assert.Single(withoutConsent.Reasons), StringComparison.Ordinal);
        var withConsent = SharingRules.Check(ecc, request with { ConsentRecorded = true });
        Assert.True(withConsent.Allowed, string.Join("; ", withConsent.Reasons));
        Assert.Equal("family members who are located overseas", withConsent.RecipientName);

        // ECC's GPs may receive only the NHS number.
        Assert.True(SharingRules.Check(ecc, new DisclosureRequest("family-group-conference", "family-group-conference", "gps", ["identity.nhs-number"])).Allowed);
        Assert.False(SharingRules.Check(ecc, new DisclosureRequest("family-group-conference", "family-group-conference", "gps", ["special.health"])).Allowed);

        // AfC's notice says nothing leaves the UK.
        var afc = await DocumentAsync("afc");
        var abroad = SharingRules.Check(afc, AfcRequest("police", "identity.name") with { Country = "France", ConsentRecorded = true });
        Assert.False(abroad.Allowed);
        Assert.Contains("not sent outside the UK", Assert.Single(abroad.Reasons), StringComparison.Ordinal);
        Assert.True(SharingRules.Check(afc, AfcRequest("police", "identity.name") with { Country = "United Kingdom" }).Allowed);
    }

    [Fact]
    public async Task The_disclosure_checker_audits_each_refusal_and_not_an_allowed_disclosure()
    {
        var afcId = await OrganisationAsync("afc");
        var amara = await PersonAsync(_factory, "Amara");
        using var scope = _factory.Services.CreateScope();
        var checker = new DisclosureChecker(scope.ServiceProvider.GetRequiredService<RegisterService>(), scope.ServiceProvider.GetRequiredService<AuditWriter>());

        var allowed = await checker.CheckAsync(afcId, AfcRequest("police", "identity.name"), [amara], Ct);
        Assert.True(allowed.Allowed);
        Assert.Empty(await RefusalsAsync(RegisterAuditActions.DisclosureRefused));

        var refused = await checker.CheckAsync(afcId, AfcRequest("nhs-unscheduled-care", "special.health"), [amara], Ct);
        Assert.False(refused.Allowed);
        var audit = Assert.Single(await RefusalsAsync(RegisterAuditActions.DisclosureRefused));
        Assert.Equal([amara], audit.PersonIds);
        Assert.Contains("afc/childrens-social-care/safeguarding-and-care to nhs-unscheduled-care", audit.Details, StringComparison.Ordinal);
        Assert.Contains(refused.Reasons[0], audit.Details, StringComparison.Ordinal);

        // An organisation without a register shares nothing, and that is audited too.
        var none = await _factory.WithDbAsync(async db =>
        {
            var organisation = new Organisation { Id = Guid.NewGuid(), Name = "No Register Trust", ShortName = "no-register", CreatedAt = DateTimeOffset.UtcNow };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync(Ct);
            return organisation.Id;
        });
        var nothing = await checker.CheckAsync(none, AfcRequest("police", "identity.name"), cancellationToken: Ct);
        Assert.False(nothing.Allowed);
        Assert.Contains("no privacy register in force", nothing.Reasons[0], StringComparison.Ordinal);
        Assert.Equal(2, (await RefusalsAsync(RegisterAuditActions.DisclosureRefused)).Count);
    }
}
