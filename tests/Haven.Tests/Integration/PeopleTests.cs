using System.Net;
using System.Net.Http.Json;
using Haven.Core.Audit;
using Haven.Core.Keys;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Haven.Tests.Integration;

/// <summary>Person records: identifiers, validation, duplicates, concurrency, encryption at rest and search.</summary>
public sealed class PeopleTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<HttpClient> SamAsync()
    {
        var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, "sam.worker@demo.haven.test");
        return client;
    }

    private static Dictionary<string, string> ChildForm(string given, string family, string day = "14", string month = "2", string year = "2016") => new()
    {
        ["PersonType"] = "child",
        ["GivenName"] = given,
        ["FamilyName"] = family,
        ["DateOfBirthDay"] = day,
        ["DateOfBirthMonth"] = month,
        ["DateOfBirthYear"] = year,
    };

    private Task<int> PeopleCountAsync() => _factory.WithDbAsync(db => db.People.CountAsync());

    [Fact]
    public async Task A_child_is_recorded_with_identifiers_address_and_special_category_details()
    {
        using var sam = await SamAsync();
        var form = ChildForm("Tomasz", "Wiśniewski");
        form["NhsNumber"] = "943 476 5919";
        form["Upn"] = Haven.Core.People.UniquePupilNumber.Example;
        form["Ethnicity"] = "WOTH";
        form["Religion"] = "Roman Catholic";
        form["Disability"] = "Type 1 diabetes";
        form["AddressLine1"] = "5 Elm Road";
        form["Postcode"] = "kt12ab";
        var response = await TestSignIn.PostFormAsync(sam, "/people/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var html = await sam.GetStringAsync(location, Ct);
        Assert.Contains("Tomasz Wiśniewski", html, StringComparison.Ordinal);
        Assert.Contains("943 476 5919", html, StringComparison.Ordinal);
        Assert.Contains("Roman Catholic", html, StringComparison.Ordinal);
        Assert.Contains("Type 1 diabetes", html, StringComparison.Ordinal);
        Assert.Contains("KT1 2AB", html, StringComparison.Ordinal);
        Assert.Contains(AuditActions.PersonCreated, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Bad_input_gets_an_error_for_each_field_and_nothing_is_stored()
    {
        using var sam = await SamAsync();
        var before = await PeopleCountAsync();
        var form = ChildForm("Ada", "Lovelace", "1", "1", (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        form["NhsNumber"] = "943 476 5910";
        form["Upn"] = "A12345";
        form["Postcode"] = "NOT A POSTCODE";
        form["AddressLine1"] = "1 Road";
        form["DateOfDeathDay"] = "1";
        form["DateOfDeathMonth"] = "13";
        form["DateOfDeathYear"] = "2020";
        form["Email"] = "not-an-email";
        var response = await TestSignIn.PostFormAsync(sam, "/people/new", form);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("NHS number is not valid", html, StringComparison.Ordinal);
        Assert.Contains("UPN", html, StringComparison.Ordinal);
        Assert.Contains("Enter a real postcode", html, StringComparison.Ordinal);
        Assert.Contains("Date of death must be a real date", html, StringComparison.Ordinal);
        Assert.Contains("Enter an email address in the correct format", html, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());

        var future = await TestSignIn.PostFormAsync(sam, "/people/new", ChildForm("Ada", "Lovelace", "1", "1", (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("Date of birth must be today or in the past", await future.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var deathBeforeBirth = ChildForm("Ada", "Lovelace");
        deathBeforeBirth["DateOfDeathDay"] = "1";
        deathBeforeBirth["DateOfDeathMonth"] = "1";
        deathBeforeBirth["DateOfDeathYear"] = "2010";
        var died = await TestSignIn.PostFormAsync(sam, "/people/new", deathBeforeBirth);
        Assert.Contains("Date of death must be the same as or after the date of birth", await died.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());
    }

    [Fact]
    public async Task Html_and_script_are_stored_as_text_and_shown_inert()
    {
        using var sam = await SamAsync();
        var form = ChildForm("<script>alert(1)</script>", "O'Brien <b>bold</b>");
        form["Religion"] = "<img src=x onerror=alert(1)>";
        var response = await TestSignIn.PostFormAsync(sam, "/people/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await sam.GetStringAsync(response.Headers.Location!.OriginalString, Ct);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Possible_duplicates_are_shown_before_saving()
    {
        using var sam = await SamAsync();
        var amara = await _factory.WithDbAsync(db => db.People.SingleAsync(p => p.GivenName == "Amara"));
        var dob = amara.DateOfBirth!.Value;
        var before = await PeopleCountAsync();
        var form = ChildForm("Amara", "Clark", dob.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            dob.Month.ToString(System.Globalization.CultureInfo.InvariantCulture), dob.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var check = await TestSignIn.PostFormAsync(sam, "/people/new", form);
        var html = await check.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Check for an existing record", html, StringComparison.Ordinal);
        Assert.Contains("Amara Clarke", html, StringComparison.Ordinal);
        Assert.Equal(before, await PeopleCountAsync());

        form["DuplicatesChecked"] = "true";
        var created = await TestSignIn.PostFormAsync(sam, "/people/new", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(before + 1, await PeopleCountAsync());
    }

    [Fact]
    public async Task Two_workers_saving_the_same_record_see_a_conflict_not_a_silent_overwrite()
    {
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        using var first = await SamAsync();
        using var second = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, second, "pat.lapsed@demo.haven.test");
        await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "pat.lapsed@demo.haven.test")
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastDataProtectionTrainingOn, DateOnly.FromDateTime(DateTime.UtcNow))));

        var pageA = await first.GetStringAsync($"/people/{amara}/edit", Ct);
        var pageB = await second.GetStringAsync($"/people/{amara}/edit", Ct);
        var version = System.Text.RegularExpressions.Regex.Match(pageA, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.Equal(version, System.Text.RegularExpressions.Regex.Match(pageB, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value);

        Dictionary<string, string> Edit(string page, string knownAs)
        {
            var form = ChildForm("Amara", "Clarke");
            var amaraDob = System.Text.RegularExpressions.Regex.Matches(page, "name=\"DateOfBirth(Day|Month|Year)\" type=\"text\" inputmode=\"numeric\" value=\"(\\d+)\"");
            form["DateOfBirthDay"] = amaraDob[0].Groups[2].Value;
            form["DateOfBirthMonth"] = amaraDob[1].Groups[2].Value;
            form["DateOfBirthYear"] = amaraDob[2].Groups[2].Value;
            form["KnownAs"] = knownAs;
            form["Version"] = version;
            form["__RequestVerificationToken"] = TestSignIn.Token(page);
            return form;
        }

        var saved = await first.PostAsync($"/people/{amara}/edit", new FormUrlEncodedContent(Edit(pageA, "Mari")), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var conflict = await second.PostAsync($"/people/{amara}/edit", new FormUrlEncodedContent(Edit(pageB, "Amy")), Ct);
        var html = await conflict.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Someone else changed this record", html, StringComparison.Ordinal);
        Assert.Contains("Mari", html, StringComparison.Ordinal);
        Assert.Contains("Amy", html, StringComparison.Ordinal);
        Assert.Equal("Mari", await _factory.WithDbAsync(db => db.People.Where(p => p.Id == amara).Select(p => p.KnownAs).SingleAsync()));
    }

    [Fact]
    public async Task A_worker_without_a_relationship_sees_only_that_the_record_exists()
    {
        var ellis = await _factory.WithDbAsync(db => db.People.SingleAsync(p => p.GivenName == "Ellis"));
        using var sam = await SamAsync();
        var response = await sam.GetAsync($"/people/{ellis.Id}", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("A record exists for <strong>Ellis Marsh</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("27 Harbour Close", html, StringComparison.Ordinal);
        Assert.DoesNotContain(ellis.NhsNumber!, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_dump_without_the_master_key_reveals_no_special_category_values()
    {
        using var sam = await SamAsync();
        var form = ChildForm("Marker", "Person");
        form["Religion"] = "ReligionMarker-7f3a";
        form["Disability"] = "DisabilityMarker-91bc";
        form["SexualOrientation"] = "OrientationMarker-55de";
        form["Ethnicity"] = "WROM";
        form["DuplicatesChecked"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, "/people/new", form)).StatusCode);

        var dump = await _factory.DumpAsync(Ct);
        Assert.Contains("Marker", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("ReligionMarker-7f3a", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("DisabilityMarker-91bc", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("OrientationMarker-55de", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("WROM", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(HavenFactory.TestMasterKey, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrapping_under_a_new_master_key_keeps_every_value_readable()
    {
        var amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
        var newKey = MasterKey.Generate();
        await using (var rotated = new HavenFactory(cluster, _factory.Database, new Dictionary<string, string?>
        {
            [MasterKey.ConfigurationKey] = newKey,
            [MasterKey.PreviousKeysConfigurationKey] = HavenFactory.TestMasterKey,
        }))
        {
            var count = await FieldCipher.RewrapAllAsync(
                (NpgsqlDataSource)rotated.Services.GetService(typeof(NpgsqlDataSource))!,
                (MasterKey)rotated.Services.GetService(typeof(MasterKey))!, Ct);
            Assert.True(count > 0);
        }

        await using var onlyNew = new HavenFactory(cluster, _factory.Database, new Dictionary<string, string?> { [MasterKey.ConfigurationKey] = newKey });
        using var client = onlyNew.NewClient();
        await TestSignIn.SignInAsync(onlyNew, client, "sam.worker@demo.haven.test");
        var person = await client.GetFromJsonAsync<Haven.Web.Api.PersonResponse>($"/api/v1/people/{amara}", Ct);
        Assert.Equal("MWBC", person!.Ethnicity);
    }

    [Theory]
    [InlineData("Amara Clarke", "Amara Clarke")]
    [InlineData("Amra Clrke", "Amara Clarke")]
    [InlineData("Clarke Amara", "Amara Clarke")]
    [InlineData("Lilly Brenan", "Lily Brennan")]
    [InlineData("Elis Marsh", "Ellis Marsh")]
    [InlineData("Jaden Klark", "Jayden Clarke")]
    public async Task Search_finds_people_despite_typos_swaps_and_sound_alikes(string query, string expected)
    {
        using var sam = await SamAsync();
        // The API takes the same search; a cookie-authenticated call must carry the antiforgery header from a page.
        var home = await sam.GetStringAsync("/", Ct);
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"haven-antiforgery\" content=\"([^\"]+)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/people/search") { Content = JsonContent.Create(new { name = query }) };
        request.Headers.Add("RequestVerificationToken", token);
        var response = await sam.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await response.Content.ReadFromJsonAsync<List<Haven.Core.People.SearchResult>>(Ct);
        Assert.Contains(results!, r => r.Name == expected);

        var page = await TestSignIn.PostFormAsync(sam, "/people/search", new Dictionary<string, string> { ["Name"] = query });
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.Contains(AuditActions.PersonSearched, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Search_by_nhs_number_and_by_postcode()
    {
        var lily = await _factory.WithDbAsync(db => db.People.SingleAsync(p => p.GivenName == "Lily"));
        using var sam = await SamAsync();
        var byNhs = await TestSignIn.PostFormAsync(sam, "/people/search", new Dictionary<string, string> { ["NhsNumber"] = lily.NhsNumber! });
        Assert.Contains("Lily Brennan", await byNhs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var byPostcode = await TestSignIn.PostFormAsync(sam, "/people/search", new Dictionary<string, string> { ["Postcode"] = "kt64qd" });
        Assert.Contains("Lily Brennan", await byPostcode.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var bad = await TestSignIn.PostFormAsync(sam, "/people/search", new Dictionary<string, string> { ["NhsNumber"] = "123" });
        Assert.Contains("NHS number", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
