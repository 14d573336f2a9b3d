using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Haven.Core.Privacy;
using Haven.Tests.Infrastructure;
using Haven.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>
/// The public privacy notices: for each seed organisation, the overarching notice and every service notice carry every
/// statement the register makes, in the order people expect; past dates, versions and unknown organisations.
/// </summary>
public sealed partial class NoticeTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly HtmlParser Parser = new();
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    public static TheoryData<string> Organisations => new("escb", "sscp", "sees", "ecc-fgc", "afc");

    /// <summary>The headings of a service notice, in the order they must appear.</summary>
    private static readonly (string Id, string Heading)[] ServiceSections =
    [
        ("collect", "What information we collect"),
        ("why", "Why we use your information"),
        ("basis", "Our legal basis for using your information"),
        ("share", "Who we share your information with"),
        ("retention", "How long we keep your information"),
        ("rights", "Your rights"),
        ("complain", "How to complain"),
        ("ico", "The Information Commissioner's Office"),
    ];

    private static readonly string[] OverarchingOrder = ["share", "rights", "complain", "ico"];

    private static readonly string[] SeedOrganisations = ["escb", "sscp", "sees", "ecc-fgc", "afc"];

    private static string Normalise(string text) => Whitespace().Replace(text, " ").Trim();

    private async Task<LoadedRegister> RegisterAsync(string code)
    {
        using var scope = _factory.Services.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterService>();
        var organisation = await register.OrganisationByCodeAsync(code, Ct);
        return (await register.InForceAsync(organisation!.Id, cancellationToken: Ct))!;
    }

    private async Task<ImportResult> ImportAsync(string name, string text, string reason)
    {
        using var scope = _factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegisterService>().ImportAsync([new RegisterFile(name, text)], reason, null, "test", cancellationToken: Ct);
        Assert.True(result.Imported, string.Join("\n", result.Errors));
        return result;
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.True(expected == response.StatusCode, $"{path}: expected {(int)expected}, got {(int)response.StatusCode}");
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The visible text of the page's main content, entities decoded and whitespace collapsed.</summary>
    private static string Text(IDocument page) => Normalise((page.QuerySelector("main") ?? page.Body!).TextContent);

    /// <summary>The overarching notice and every service notice of an organisation, as text, keyed by path.</summary>
    private static async Task<Dictionary<string, IDocument>> AllNoticesAsync(HttpClient client, string code, RegisterDocument document)
    {
        var pages = new Dictionary<string, IDocument> { [$"/notices/{code}"] = await PageAsync(client, $"/notices/{code}") };
        foreach (var service in document.Services)
        {
            pages[$"/notices/{code}/{service.Code}"] = await PageAsync(client, $"/notices/{code}/{service.Code}");
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task Every_statement_in_the_register_is_published_in_the_organisations_notices(string code)
    {
        var document = (await RegisterAsync(code)).Document;
        using var client = _factory.NewClient();
        var pages = await AllNoticesAsync(client, code, document);
        Assert.Equal(document.Services.Count + 1, pages.Count);
        var text = string.Join(" ", pages.Values.Select(Text));

        var statements = NoticeBuilder.Statements(document).ToList();
        Assert.NotEmpty(statements);
        var missing = statements.Where(s => !text.Contains(Normalise(s.Statement), StringComparison.Ordinal)).Select(s => $"{s.Kind}: {s.Statement}").ToList();
        Assert.True(missing.Count == 0, $"{code}: {missing.Count} statement(s) missing from the notices:\n{string.Join("\n", missing)}");
    }

    [Theory]
    [InlineData("escb", new[] { "Paul Turner", "DPO@essex.gov.uk", "03457 430 430", "5 years", "Wycliffe House", "0303 123 1113" })]
    [InlineData("sscp", new[] { "4 years", "Wycliffe House", "Somerset Safeguarding Children Partnership" })]
    [InlineData("sees", new[] { "Kim Chant", "kimchant@kes.essex.sch.uk", "25 years", "Wycliffe House", "0303 123 1113" })]
    [InlineData("ecc-fgc", new[] { "dpo@essex.gov.uk", "0333 013 9824", "Servelec", "Mosaic", "35 years", "Wycliffe House", "0303 123 1113" })]
    [InlineData("afc", new[] { "ZA045069", "100 years", "75 years", "whichever is the longer", "Wycliffe House", "0303 123 1113", "NHS unscheduled care settings (CP-IS)" })]
    public async Task Key_facts_from_the_published_notices_appear(string code, string[] facts)
    {
        var document = (await RegisterAsync(code)).Document;
        using var client = _factory.NewClient();
        var text = string.Join(" ", (await AllNoticesAsync(client, code, document)).Values.Select(Text));
        Assert.All(facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task Service_notice_sections_appear_in_the_expected_order(string code)
    {
        var document = (await RegisterAsync(code)).Document;
        using var client = _factory.NewClient();
        foreach (var service in document.Services)
        {
            var page = await PageAsync(client, $"/notices/{code}/{service.Code}");
            var headings = page.QuerySelectorAll("h2[id]").Select(h => (h.Id!, Normalise(h.TextContent))).ToList();
            var ids = headings.Select(h => h.Item1).ToList();
            Assert.Equal("who", ids[0]);

            var expected = ServiceSections.Select(s => s.Id).Where(id => id switch
            {
                "share" => document.Organisation.Disclosures.Count > 0 || service.Activities.Any(a => a.Recipients.Count > 0 || a.Processors.Count > 0),
                "retention" => service.Activities.Any(a => a.Retention.Count > 0),
                _ => true,
            }).ToList();
            var present = ids.Where(id => ServiceSections.Any(s => s.Id == id)).ToList();
            Assert.True(expected.SequenceEqual(present), $"/notices/{code}/{service.Code}: sections {string.Join(", ", ids)}");
            foreach (var (id, heading) in ServiceSections.Where(s => present.Contains(s.Id)))
            {
                Assert.Equal(heading, headings.Single(h => h.Item1 == id).Item2);
            }

            // The contents list links to every section in the same order.
            var contents = page.QuerySelectorAll("nav.haven-notice-contents a").Select(a => a.GetAttribute("href")).ToList();
            Assert.Equal(ids.Select(id => "#" + id), contents);
            Assert.Contains(service.Name, Text(page), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task The_overarching_notice_says_who_we_are_lists_each_service_and_ends_with_complaints_and_the_ICO(string code)
    {
        var document = (await RegisterAsync(code)).Document;
        using var client = _factory.NewClient();
        var page = await PageAsync(client, $"/notices/{code}");
        Assert.Equal(document.Notice.Title, Normalise(page.QuerySelector("h1")!.TextContent));
        var ids = page.QuerySelectorAll("h2[id]").Select(h => h.Id!).ToList();
        Assert.Equal("who", ids[0]);
        var order = OverarchingOrder.Where(ids.Contains).Select(id => ids.IndexOf(id)).ToList();
        Assert.Equal(order.Order(), order);
        Assert.True(ids.IndexOf("complain") < ids.IndexOf("ico"));
        var links = page.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.All(document.Services, s => Assert.Contains($"/notices/{code}/{s.Code}", links));
        Assert.Contains($"/notices/{code}/versions", links);
        Assert.Contains("has been in force since 1 April 2024", Text(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_of_notices_links_to_each_organisation()
    {
        using var client = _factory.NewClient();
        var page = await PageAsync(client, "/notices");
        var links = page.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ToList();
        foreach (var code in SeedOrganisations)
        {
            Assert.Contains($"/notices/{code}", links);
        }

        Assert.Contains("Achieving for Children", Text(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_before_the_first_version_says_no_notice_was_in_force()
    {
        using var client = _factory.NewClient();
        foreach (var path in new[] { "/notices/afc?date=2024-03-31", "/notices/afc/childrens-social-care?date=2024-03-31" })
        {
            var page = await PageAsync(client, path);
            var text = Text(page);
            Assert.Contains("No notice was in force on 31 March 2024", text, StringComparison.Ordinal);
            Assert.Contains("The earliest notice in Haven took effect on 1 April 2024", text, StringComparison.Ordinal);
            Assert.Empty(page.QuerySelectorAll("h2[id]"));
            Assert.DoesNotContain("ZA045069", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_date_on_or_after_the_first_version_shows_that_version()
    {
        using var client = _factory.NewClient();
        var text = Text(await PageAsync(client, "/notices/afc?date=2024-04-01"));
        Assert.Contains("ZA045069", text, StringComparison.Ordinal);
        Assert.Contains("Privacy notice for Children's Social Care", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-date")]
    [InlineData("2024-02-30")]
    [InlineData("01/04/2024")]
    [InlineData("2024-4-1")]
    public async Task A_bad_date_gives_a_clear_error(string date)
    {
        using var client = _factory.NewClient();
        using var response = await client.GetAsync($"/notices/afc?date={Uri.EscapeDataString(date)}", Ct);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"got {(int)response.StatusCode}");
        var page = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct));
        var text = Text(page);
        Assert.Contains("There is a problem", text, StringComparison.Ordinal);
        Assert.Contains("Enter the date as year-month-day, for example 2025-04-01", text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#date-error"));
        Assert.Empty(page.QuerySelectorAll("h2[id]"));
    }

    [Fact]
    public async Task Versions_are_listed_and_each_can_be_read()
    {
        var afc = RegisterParserTests.SeedFile("004-");
        var changed = afc.Replace("  title: Privacy notice for Children's Social Care", "  title: Revised privacy notice for Children's Social Care", StringComparison.Ordinal);
        await ImportAsync("004-achieving-for-children.yaml", changed, "Revised the title after consultation");

        using var client = _factory.NewClient();
        var versions = await PageAsync(client, "/notices/afc/versions");
        var text = Text(versions);
        Assert.Contains("Version 1", text, StringComparison.Ordinal);
        Assert.Contains("Version 2", text, StringComparison.Ordinal);
        Assert.Contains("Revised the title after consultation", text, StringComparison.Ordinal);
        Assert.Contains("Demo data: configured from the organisation's published privacy notice", text, StringComparison.Ordinal);
        var links = versions.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/notices/afc?version=1", links);
        Assert.Contains("/notices/afc?version=2", links);

        var current = Text(await PageAsync(client, "/notices/afc"));
        Assert.Contains("Revised privacy notice for Children's Social Care", current, StringComparison.Ordinal);

        var first = Text(await PageAsync(client, "/notices/afc?version=1"));
        Assert.Contains("This is version 1, in force from 1 April 2024", first, StringComparison.Ordinal);
        Assert.Contains("It is not the current notice", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Revised privacy notice", first, StringComparison.Ordinal);
        Assert.Contains("ZA045069", first, StringComparison.Ordinal);

        var firstService = Text(await PageAsync(client, "/notices/afc/childrens-social-care?version=1"));
        Assert.Contains("This is version 1", firstService, StringComparison.Ordinal);
        Assert.Contains("75 years", firstService, StringComparison.Ordinal);

        var missing = Text(await PageAsync(client, "/notices/afc?version=9"));
        Assert.Contains("There is no version 9 of this notice", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_future_version_is_not_in_force_until_its_date()
    {
        var afc = RegisterParserTests.SeedFile("004-");
        var future = Today.AddDays(60);
        var changed = afc.Replace("  title: Privacy notice for Children's Social Care", "  title: Next privacy notice", StringComparison.Ordinal)
            .Replace("  effective-from: 2024-04-01", "  effective-from: " + Iso(future), StringComparison.Ordinal);
        await ImportAsync("004-achieving-for-children.yaml", changed, "Next notice");

        using var client = _factory.NewClient();
        var today = Text(await PageAsync(client, "/notices/afc"));
        Assert.Contains("Privacy notice for Children's Social Care", today, StringComparison.Ordinal);
        Assert.DoesNotContain("Next privacy notice", today, StringComparison.Ordinal);

        var then = Text(await PageAsync(client, $"/notices/afc?date={Iso(future)}"));
        Assert.Contains("Next privacy notice", then, StringComparison.Ordinal);
        Assert.Contains("This is version 2", then, StringComparison.Ordinal);

        var dayBefore = Text(await PageAsync(client, $"/notices/afc?date={Iso(future.AddDays(-1))}"));
        Assert.Contains("Privacy notice for Children's Social Care", dayBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("Next privacy notice", dayBefore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_organisation_whose_register_takes_effect_later_has_no_notice_yet()
    {
        var text = RegisterParserTests.ValidRegister.Replace("effective-from: 2024-04-01", "effective-from: " + Iso(Today.AddDays(10)), StringComparison.Ordinal);
        await ImportAsync("test.yaml", text, "New organisation");
        using var client = _factory.NewClient();
        var page = await PageAsync(client, "/notices/test-org");
        Assert.Contains("This organisation's notice has not taken effect yet.", Text(page), StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("h2[id]"));
    }

    [Theory]
    [InlineData("/notices/no-such-organisation")]
    [InlineData("/notices/no-such-organisation/versions")]
    [InlineData("/notices/no-such-organisation/childrens-social-care")]
    [InlineData("/notices/afc/no-such-service")]
    [InlineData("/notices/escb/childrens-social-care")]
    public async Task Unknown_organisations_and_services_are_not_found(string path)
    {
        using var client = _factory.NewClient();
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Notices_are_public_and_reading_them_changes_nothing()
    {
        var before = await _factory.WithDbAsync(db => db.AuditEvents.CountAsync());
        using var client = _factory.NewClient();
        using var response = await client.GetAsync("/notices/afc/childrens-social-care", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.AuditEvents.CountAsync()));
    }

    [Fact]
    public async Task Register_text_is_shown_as_text_and_never_run_as_markup()
    {
        var text = RegisterParserTests.ValidRegister
            .Replace("  effective-from: 2024-04-01", "  effective-from: 2024-04-01\n  introduction:\n    - '<script>alert(\"notice\")</script> and <b>bold</b>'", StringComparison.Ordinal)
            .Replace("            name: Police", "            name: <img src=x onerror=alert(1)>", StringComparison.Ordinal);
        await ImportAsync("test.yaml", text, "Markup check");
        using var client = _factory.NewClient();
        foreach (var path in new[] { "/notices/test-org", "/notices/test-org/social-care" })
        {
            using var response = await client.GetAsync(path, Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            var page = await Parser.ParseDocumentAsync(html);
            Assert.Contains("<script>alert(\"notice\")</script> and <b>bold</b>", Text(page), StringComparison.Ordinal);
        }

        var service = Text(await PageAsync(client, "/notices/test-org/social-care"));
        Assert.Contains("<img src=x onerror=alert(1)>", service, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
