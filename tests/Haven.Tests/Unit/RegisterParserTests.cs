using Haven.Core.Demo;
using Haven.Core.Privacy;

namespace Haven.Tests.Unit;

/// <summary>
/// The register parser: the seed organisations' files parse cleanly, and every kind of mistake in a register file is
/// reported with the file, the line it is on and what is wrong. Bad files are made by altering a small valid file
/// written here, so every line number is known.
/// </summary>
public sealed class RegisterParserTests
{
    private const string FileName = "test-register.yaml";

    /// <summary>A small register that is valid as it stands; each test alters one thing.</summary>
    internal const string ValidRegister = """
        organisation:
          code: test-org
          name: Test Organisation
          controller: Test Council
          ico-registration: ZA123456
          data-protection-officer:
            name: Dee Pio
            email: dpo@test.example
          complaints: Tell our Data Protection Officer first.
          ico:
            postal: Wycliffe House, Water Lane, Wilmslow, SK9 5AF
            phone: 0303 123 1113
        notice:
          title: Test notice
          effective-from: 2024-04-01
        services:
          - code: social-care
            name: Social care
            holds-case-records: true
            activities:
              - code: care
                purpose: Caring for children
                lawful-basis:
                  - public-task
                categories:
                  - category: identity.name
                  - category: special.health
                special-category:
                  article-9: [health-social-care]
                  schedule-1: [health-social-care]
                recipients:
                  - code: police
                    name: Police
                    basis: public-task
                retention:
                  - code: case
                    record-type: case-file
                    anchor: date-of-birth
                    period: 75 years
                    action: review
                rights: [access, complain]
        """;

    /// <summary>The repository root: the nearest folder above the test's base directory that holds Haven.sln.</summary>
    internal static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Haven.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Haven.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The seed organisations' register files in config/register, in file-name order.</summary>
    internal static IReadOnlyList<string> SeedFiles() =>
        Directory.GetFiles(Path.Combine(RepoRoot(), "config", "register"), "*.yaml").Order(StringComparer.Ordinal).ToList();

    internal static string SeedFile(string prefix) =>
        File.ReadAllText(SeedFiles().Single(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>The 1-based line of the <paramref name="occurrence"/>th line containing <paramref name="marker"/>.</summary>
    private static int LineOf(string text, string marker, int occurrence = 1)
    {
        var lines = text.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(marker, StringComparison.Ordinal) && ++seen == occurrence)
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException($"'{marker}' is not in the test register");
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static string RemoveLine(string text, string line) => Replace(text, line + "\n", string.Empty);

    private static IReadOnlyList<RegisterError> Errors(string text)
    {
        var (document, errors) = RegisterParser.Parse(FileName, text, Taxonomy.BuiltIn);
        Assert.Null(document);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(FileName, e.File));
        return errors;
    }

    /// <summary>Asserts there is an error on <paramref name="line"/> whose message contains every fragment.</summary>
    private static RegisterError ErrorOn(IReadOnlyList<RegisterError> errors, int line, params string[] fragments)
    {
        var match = errors.FirstOrDefault(e => e.Line == line && fragments.All(f => e.Message.Contains(f, StringComparison.Ordinal)));
        Assert.True(match is not null,
            $"Expected an error on line {line} containing [{string.Join(" | ", fragments)}]; got:\n{string.Join("\n", errors)}");
        return match!;
    }

    [Fact]
    public void The_small_test_register_is_valid()
    {
        var (document, errors) = RegisterParser.Parse(FileName, ValidRegister, Taxonomy.BuiltIn);
        Assert.Empty(errors);
        Assert.NotNull(document);
        Assert.Equal("test-org", document.Organisation.Code);
        var activity = document.Services.Single().Activities.Single();
        Assert.Equal(["identity.name", "special.health"], activity.Categories.Select(c => c.Category));
        Assert.Equal(new Period(75, 0, 0), activity.Retention.Single().Terms.Single().Period);
        Assert.Equal("police", activity.Recipients.Single().Code);
    }

    [Fact]
    public void Every_seed_register_file_parses_without_errors()
    {
        var files = SeedFiles();
        Assert.Equal(5, files.Count);
        var codes = new List<string>();
        foreach (var file in files)
        {
            var (document, errors) = RegisterParser.Parse(Path.GetFileName(file), File.ReadAllText(file), Taxonomy.BuiltIn);
            Assert.True(errors.Count == 0, $"{Path.GetFileName(file)}:\n{string.Join("\n", errors)}");
            Assert.NotNull(document);
            Assert.NotEmpty(document.Services);
            Assert.All(document.Services, s => Assert.NotEmpty(s.Activities));
            Assert.Contains(document.Services, s => s.HoldsCaseRecords);
            codes.Add(document.Organisation.Code);
        }

        Assert.Equal(["escb", "sscp", "sees", "ecc-fgc", "afc"], codes);
    }

    [Fact]
    public void The_register_files_built_into_Haven_are_the_files_in_config_register()
    {
        var builtIn = DemoSeeder.BuiltInRegisterFiles();
        var files = SeedFiles();
        Assert.Equal(files.Select(Path.GetFileName), builtIn.Select(f => f.Name));
        foreach (var (file, embedded) in files.Zip(builtIn))
        {
            Assert.Equal(File.ReadAllText(file), embedded.Text);
        }
    }

    [Fact]
    public void An_unknown_category_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "category: identity.name", "category: identity.shoe-size");
        var error = ErrorOn(Errors(text), LineOf(text, "identity.shoe-size"), "'identity.shoe-size' is not a data category");
        Assert.Equal($"{FileName}, line {error.Line}: {error.Message}", error.ToString());
    }

    [Fact]
    public void Special_category_data_without_an_Article_9_condition_is_reported()
    {
        var text = RemoveLine(RemoveLine(RemoveLine(ValidRegister,
            "        special-category:"),
            "          article-9: [health-social-care]"),
            "          schedule-1: [health-social-care]");
        ErrorOn(Errors(text), LineOf(text, "category: special.health"), "special-category data", "Article 9 condition");
    }

    [Fact]
    public void Substantial_public_interest_without_a_Schedule_1_condition_is_reported()
    {
        var text = RemoveLine(Replace(ValidRegister, "article-9: [health-social-care]", "article-9: [substantial-public-interest]"),
            "          schedule-1: [health-social-care]");
        var errors = Errors(text);
        // The problem is the special-category section: the error points at it (its first line, the Article 9 list).
        var error = Assert.Single(errors);
        Assert.Contains("Schedule 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "article-9: [substantial-public-interest]"), error.Line);
    }

    [Fact]
    public void Explicit_consent_needs_no_Schedule_1_condition()
    {
        var text = RemoveLine(Replace(ValidRegister, "article-9: [health-social-care]", "article-9: [explicit-consent]"),
            "          schedule-1: [health-social-care]");
        Assert.Empty(RegisterParser.Parse(FileName, text, Taxonomy.BuiltIn).Errors);
    }

    [Fact]
    public void Criminal_offence_data_without_an_Article_10_basis_is_reported()
    {
        var text = Replace(ValidRegister, "          - category: special.health\n", "          - category: special.health\n          - category: criminal.offences\n");
        ErrorOn(Errors(text), LineOf(text, "criminal.offences"), "criminal-offence data", "Article 10 basis");

        var withBasis = Replace(text, "        recipients:\n", "        criminal-offence:\n          article-10: [official-authority]\n        recipients:\n");
        Assert.Empty(RegisterParser.Parse(FileName, withBasis, Taxonomy.BuiltIn).Errors);
    }

    [Fact]
    public void A_retention_rule_without_an_anchor_is_reported()
    {
        var text = RemoveLine(ValidRegister, "            anchor: date-of-birth");
        ErrorOn(Errors(text), LineOf(text, "- code: case"), "anchor");
    }

    [Fact]
    public void An_unknown_anchor_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "anchor: date-of-birth", "anchor: birthday");
        ErrorOn(Errors(text), LineOf(text, "anchor: birthday"), "'birthday' is not an anchor event");
    }

    [Fact]
    public void A_period_Haven_cannot_read_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "period: 75 years", "period: 75 yrs");
        ErrorOn(Errors(text), LineOf(text, "period: 75 yrs"), "'75 yrs' is not a period");
    }

    [Fact]
    public void A_recipient_without_a_basis_is_reported()
    {
        var text = RemoveLine(ValidRegister, "            basis: public-task");
        ErrorOn(Errors(text), LineOf(text, "- code: police"), "Police", "lawful basis");
    }

    [Fact]
    public void An_unknown_lawful_basis_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "          - public-task\n", "          - public-interest\n");
        ErrorOn(Errors(text), LineOf(text, "- public-interest"), "'public-interest' is not a UK GDPR Article 6 lawful basis");
    }

    [Fact]
    public void A_recipient_with_an_unknown_basis_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "            basis: public-task", "            basis: because");
        ErrorOn(Errors(text), LineOf(text, "basis: because"), "'because' is not a UK GDPR Article 6 lawful basis");
    }

    [Fact]
    public void An_overseas_recipient_when_transfers_are_not_allowed_is_reported()
    {
        var text = Replace(ValidRegister, "            basis: public-task\n", "            basis: public-task\n            country: France\n");
        ErrorOn(Errors(text), LineOf(text, "country: France"), "overseas", "does not allow overseas transfers");

        var allowed = Replace(text, "        retention:\n", "        overseas-transfers:\n          allowed: true\n          safeguard: adequacy\n        retention:\n");
        Assert.Empty(RegisterParser.Parse(FileName, allowed, Taxonomy.BuiltIn).Errors);
    }

    [Fact]
    public void Transfers_allowed_without_a_safeguard_are_reported()
    {
        var text = Replace(ValidRegister, "        retention:\n", "        overseas-transfers:\n          allowed: true\n        retention:\n");
        ErrorOn(Errors(text), LineOf(text, "allowed: true"), "safeguard");
    }

    [Fact]
    public void An_unknown_safeguard_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "        retention:\n", "        overseas-transfers:\n          allowed: true\n          safeguard: a-handshake\n        retention:\n");
        ErrorOn(Errors(text), LineOf(text, "safeguard: a-handshake"), "'a-handshake' is not a transfer safeguard");
    }

    [Fact]
    public void A_misspelt_key_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "        purpose: Caring for children", "        purpse: Caring for children");
        var errors = Errors(text);
        ErrorOn(errors, LineOf(text, "purpse:"), "'purpse'", "Check the spelling");
        // The purpose it should have had is missing too.
        Assert.Contains(errors, e => e.Message.Contains("('purpose:')", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_key_at_the_top_level_is_reported_on_its_line()
    {
        var text = ValidRegister + "\nservises: []\n";
        ErrorOn(Errors(text), LineOf(text, "servises:"), "'servises'", "Check the spelling");
    }

    [Fact]
    public void Invalid_YAML_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "  controller: Test Council", "  controller: Test Council: and friends");
        var error = Assert.Single(Errors(text));
        Assert.Equal(LineOf(text, "and friends"), error.Line);
        Assert.StartsWith("This is not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_brackets_are_reported_as_invalid_YAML()
    {
        var text = Replace(ValidRegister, "rights: [access, complain]", "rights: [access, complain");
        var error = Assert.Single(Errors(text));
        Assert.StartsWith("This is not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, LineOf(text, "rights: [access"), LineOf(text, "rights: [access") + 1);
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        var error = Assert.Single(Errors(string.Empty));
        Assert.Equal(1, error.Line);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "  controller: Test Council\n", "  controller: Test Council\n  name: Another Name\n");
        var error = Assert.Single(Errors(text));
        Assert.Equal(LineOf(text, "name: Another Name"), error.Line);
    }

    [Fact]
    public void A_file_that_is_not_a_set_of_keys_is_reported()
    {
        var error = Assert.Single(Errors("- just\n- a list\n"));
        Assert.Equal(1, error.Line);
        Assert.Contains("'key: value'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_code_used_twice_is_reported_on_the_second_use()
    {
        var secondService = """

              - code: social-care
                name: Social care again
                activities:
                  - code: other
                    purpose: Something else
                    lawful-basis: [public-task]
                    categories:
                      - category: identity.name
                    rights: [access]
            """;
        var text = ValidRegister + secondService + "\n";
        ErrorOn(Errors(text), LineOf(text, "- code: social-care", occurrence: 2), "'social-care'", "used twice");
    }

    [Fact]
    public void A_Data_Protection_Officer_without_any_contact_is_reported()
    {
        var text = RemoveLine(ValidRegister, "    email: dpo@test.example");
        ErrorOn(Errors(text), LineOf(text, "name: Dee Pio"), "Data Protection Officer", "email, phone, postal or web");
    }

    [Fact]
    public void A_missing_Data_Protection_Officer_is_reported()
    {
        var text = RemoveLine(RemoveLine(RemoveLine(ValidRegister,
            "  data-protection-officer:"),
            "    name: Dee Pio"),
            "    email: dpo@test.example");
        ErrorOn(Errors(text), LineOf(text, "code: test-org"), "Data Protection Officer", "('data-protection-officer:')");
    }

    [Fact]
    public void A_bad_email_address_for_the_Data_Protection_Officer_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "email: dpo@test.example", "email: dpo.test.example");
        ErrorOn(Errors(text), LineOf(text, "email: dpo.test.example"), "must contain '@'");
    }

    [Fact]
    public void A_bad_ICO_registration_number_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "ico-registration: ZA123456", "ico-registration: 12345");
        ErrorOn(Errors(text), LineOf(text, "ico-registration: 12345"), "ICO registration number");
    }

    [Fact]
    public void A_bad_effective_date_is_reported_on_its_line()
    {
        var text = Replace(ValidRegister, "effective-from: 2024-04-01", "effective-from: 1 April 2024");
        ErrorOn(Errors(text), LineOf(text, "effective-from:"), "YYYY-MM-DD");
    }

    [Fact]
    public void A_recipient_may_only_receive_categories_the_activity_collects()
    {
        var text = Replace(ValidRegister, "            basis: public-task\n", "            basis: public-task\n            categories: [identity.address]\n");
        ErrorOn(Errors(text), LineOf(text, "categories: [identity.address]"), "'identity.address'");
    }

    [Fact]
    public void Several_problems_in_one_file_are_all_reported()
    {
        var text = Replace(Replace(ValidRegister, "period: 75 years", "period: ages"), "category: identity.name", "category: identity.nam");
        var errors = Errors(text);
        ErrorOn(errors, LineOf(text, "period: ages"), "'ages' is not a period");
        ErrorOn(errors, LineOf(text, "category: identity.nam"), "'identity.nam'");
    }

    [Theory]
    [InlineData("100 years", 100, 0, 0)]
    [InlineData("2 years 6 months", 2, 6, 0)]
    [InlineData("0 days", 0, 0, 0)]
    [InlineData("6 weeks", 0, 0, 42)]
    [InlineData("1 year", 1, 0, 0)]
    [InlineData("18 months", 0, 18, 0)]
    [InlineData("  25 Years  ", 25, 0, 0)]
    public void Periods_are_read_in_plain_words(string text, int years, int months, int days)
    {
        Assert.True(RegisterParser.TryParsePeriod(text, out var period));
        Assert.Equal(new Period(years, months, days), period);
    }

    [Theory]
    [InlineData("75 yrs")]
    [InlineData("")]
    [InlineData("years")]
    [InlineData("forever")]
    [InlineData("-5 years")]
    [InlineData("5 years and 3 months")]
    [InlineData("201 years")]
    public void Periods_Haven_cannot_read_are_refused(string text) => Assert.False(RegisterParser.TryParsePeriod(text, out _));

    [Fact]
    public void A_zero_period_reads_as_no_further_time()
    {
        Assert.True(RegisterParser.TryParsePeriod("0 days", out var period));
        Assert.True(period.IsZero);
        Assert.Equal("no further time", period.ToString());
        Assert.True(RegisterParser.TryParsePeriod("2 years 6 months", out var mixed));
        Assert.Equal("2 years and 6 months", mixed.ToString());
        Assert.Equal(new DateOnly(2026, 7, 31), mixed.AddTo(new DateOnly(2024, 1, 31)));
    }

    [Theory]
    [InlineData("identity", "identity", true)]
    [InlineData("identity", "identity.name", true)]
    [InlineData("special", "special.health.disability", true)]
    [InlineData("special.health", "special.health.disability", true)]
    [InlineData("identity.name", "identity", false)]
    [InlineData("identity", "identity-extra", false)]
    [InlineData("special.health", "special.healthy", false)]
    [InlineData("special.health", "special.sexual-orientation", false)]
    [InlineData("care", "education.send", false)]
    public void A_declared_category_covers_itself_and_everything_under_it(string declared, string category, bool covers) =>
        Assert.Equal(covers, Taxonomy.Covers(declared, category));

    [Fact]
    public void The_taxonomy_flags_special_and_criminal_categories_and_their_children()
    {
        var taxonomy = Taxonomy.BuiltIn;
        Assert.True(taxonomy.Find("special.health.disability")!.Special);
        Assert.True(taxonomy.Find("criminal.proceedings")!.Criminal);
        Assert.False(taxonomy.Find("identity.name")!.Special);
        Assert.False(taxonomy.Find("identity.name")!.Criminal);
        Assert.Equal("special.health", taxonomy.Find("special.health.disability")!.Parent);
        Assert.All(taxonomy.All.Where(c => c.Parent is not null), c => Assert.True(taxonomy.Contains(c.Parent!)));
    }

    [Fact]
    public void A_taxonomy_category_without_its_parent_is_reported_on_its_line()
    {
        var (taxonomy, errors) = Taxonomy.Parse("taxonomy.yaml", "- code: identity\n  label: Identity\n- code: health.mental\n  label: Mental health\n");
        Assert.Null(taxonomy);
        var error = Assert.Single(errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("needs its parent 'health'", error.Message, StringComparison.Ordinal);
    }
}
