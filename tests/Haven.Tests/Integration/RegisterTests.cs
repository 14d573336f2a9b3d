using Haven.Core.Audit;
using Haven.Core.Keys;
using Haven.Core.Privacy;
using Haven.Tests.Infrastructure;
using Haven.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Haven.Tests.Integration.CaseRecordTestSupport;

namespace Haven.Tests.Integration;

/// <summary>Importing privacy registers: all-or-nothing, versioned with who, when and why, in force by date, DPO-scoped, immutable.</summary>
public sealed class RegisterTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string AfcFile = "004-achieving-for-children.yaml";
    private const string EscbFile = "000-essex-safeguarding-children-board.yaml";
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static string Afc => RegisterParserTests.SeedFile("004-");

    private static string Escb => RegisterParserTests.SeedFile("000-");

    private static string WithTitle(string text, string title) =>
        text.Replace("  title: Privacy notice for Children's Social Care", "  title: " + title, StringComparison.Ordinal);

    private static string WithEffectiveFrom(string text, DateOnly date) =>
        text.Replace("  effective-from: 2024-04-01", "  effective-from: " + Iso(date), StringComparison.Ordinal);

    private async Task<T> WithRegisterAsync<T>(Func<RegisterService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<RegisterService>());
    }

    private Task<int> VersionCountAsync() => _factory.WithDbAsync(db => db.Set<RegisterVersion>().CountAsync());

    private Task<Guid> OrganisationAsync(string code) => _factory.WithDbAsync(db => db.Organisations.Where(o => o.ShortName == code).Select(o => o.Id).SingleAsync());

    private Task<Guid> UserAsync(string email) => _factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task The_demo_data_holds_version_1_of_each_seed_organisations_register()
    {
        var versions = await _factory.WithDbAsync(db => db.Set<RegisterVersion>().Join(db.Organisations, v => v.OrganisationId, o => o.Id, (v, o) => new { o.ShortName, v.Version, v.FileName })
            .OrderBy(v => v.FileName).ToListAsync());
        Assert.Equal(["escb", "sscp", "sees", "ecc-fgc", "afc"], versions.Select(v => v.ShortName));
        Assert.All(versions, v => Assert.Equal(1, v.Version));
    }

    [Fact]
    public async Task An_import_with_one_bad_file_stores_nothing_and_reports_the_bad_file_by_name()
    {
        var before = await VersionCountAsync();
        var organisations = await _factory.WithDbAsync(db => db.Organisations.CountAsync());
        var bad = RegisterParserTests.ValidRegister.Replace("period: 75 years", "period: 75 yrs", StringComparison.Ordinal);
        var result = await WithRegisterAsync(r => r.ImportAsync(
            [new RegisterFile(AfcFile, WithTitle(Afc, "A changed title")), new RegisterFile("new-org.yaml", bad)],
            "Adding a new organisation", null, "test"));

        Assert.False(result.Imported);
        Assert.Empty(result.Versions);
        var error = Assert.Single(result.Errors);
        Assert.Equal("new-org.yaml", error.File);
        Assert.Contains("'75 yrs' is not a period", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCountAsync());
        Assert.Equal(organisations, await _factory.WithDbAsync(db => db.Organisations.CountAsync()));
        var rejected = await _factory.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == RegisterAuditActions.ImportRejected));
        Assert.Contains("new-org.yaml", rejected.Details, StringComparison.Ordinal);

        // AfC's register is unchanged: its notice still has the old title.
        var afcId = await OrganisationAsync("afc");
        var afc = await WithRegisterAsync(r => r.InForceAsync(afcId));
        Assert.Equal(1, afc!.Version.Version);
        Assert.Equal("Privacy notice for Children's Social Care", afc.Document.Notice.Title);
    }

    [Fact]
    public async Task Every_bad_file_in_an_import_is_reported_with_its_own_name()
    {
        var before = await VersionCountAsync();
        var result = await WithRegisterAsync(r => r.ImportAsync(
            [
                new RegisterFile("one.yaml", RegisterParserTests.ValidRegister.Replace("category: identity.name", "category: identity.nom", StringComparison.Ordinal)),
                new RegisterFile("two.yaml", Afc.Replace("        purpose: Supporting Families programme", "        purpse: Supporting Families programme", StringComparison.Ordinal)),
            ],
            "Two bad files", null, "test"));
        Assert.False(result.Imported);
        Assert.Contains(result.Errors, e => e.File == "one.yaml" && e.Message.Contains("'identity.nom'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.File == "two.yaml" && e.Message.Contains("'purpse'", StringComparison.Ordinal));
        Assert.Equal(before, await VersionCountAsync());
    }

    [Fact]
    public async Task A_good_changed_file_becomes_the_next_version_with_who_when_and_why()
    {
        var afcId = await OrganisationAsync("afc");
        var dora = await UserAsync("dora.dpo@demo.haven.test");
        var before = await VersionCountAsync();
        var started = DateTimeOffset.UtcNow;
        var changed = WithTitle(Afc, "Privacy notice for Children's Social Care (revised)");
        var result = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile("uploads/" + AfcFile, changed)],
            "  Clarified the title after review  ", dora, "Dora Kowalski"));

        Assert.True(result.Imported, string.Join("\n", result.Errors));
        var summary = Assert.Single(result.Versions);
        Assert.Equal(2, summary.Version);
        Assert.Equal("afc", summary.OrganisationCode);
        Assert.Equal(before + 1, await VersionCountAsync());

        var row = await _factory.WithDbAsync(db => db.Set<RegisterVersion>().SingleAsync(v => v.OrganisationId == afcId && v.Version == 2));
        Assert.Equal(dora, row.ChangedByUserId);
        Assert.Equal("Dora Kowalski", row.ChangedBy);
        Assert.Equal("Clarified the title after review", row.Reason);
        Assert.Equal(AfcFile, row.FileName);
        Assert.Equal(changed, row.Source);
        Assert.Equal(new DateOnly(2024, 4, 1), row.EffectiveFrom);
        Assert.InRange(row.ChangedAt, started.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        var versions = await WithRegisterAsync(r => r.VersionsAsync(afcId));
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal("demo data", versions[1].ChangedBy);
        var inForce = await WithRegisterAsync(r => r.InForceAsync(afcId));
        Assert.Equal(2, inForce!.Version.Version);
        Assert.Equal("Privacy notice for Children's Social Care (revised)", inForce.Document.Notice.Title);
        Assert.Equal(changed, await WithRegisterAsync(r => r.SourceAsync(row.Id)));

        var imported = await _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == RegisterAuditActions.Imported).Select(e => e.Details).ToListAsync());
        Assert.Contains(imported, d => d!.Contains("afc version 2", StringComparison.Ordinal));

        // A third import is version 3.
        var third = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, Afc)], "Back to the original title", dora, "Dora Kowalski"));
        Assert.Equal(3, Assert.Single(third.Versions).Version);
    }

    [Fact]
    public async Task The_register_in_force_is_chosen_by_effective_date()
    {
        var afcId = await OrganisationAsync("afc");
        var future = Today.AddDays(30);
        var result = await WithRegisterAsync(r => r.ImportAsync(
            [new RegisterFile(AfcFile, WithEffectiveFrom(WithTitle(Afc, "Next month's notice"), future))], "New notice from next month", null, "test"));
        Assert.True(result.Imported, string.Join("\n", result.Errors));
        Assert.Equal(future, result.Versions.Single().EffectiveFrom);

        var today = await WithRegisterAsync(r => r.InForceAsync(afcId));
        Assert.Equal(1, today!.Version.Version);
        Assert.Equal("Privacy notice for Children's Social Care", today.Document.Notice.Title);

        var dayBefore = await WithRegisterAsync(r => r.InForceAsync(afcId, future.AddDays(-1)));
        Assert.Equal(1, dayBefore!.Version.Version);

        var then = await WithRegisterAsync(r => r.InForceAsync(afcId, future));
        Assert.Equal(2, then!.Version.Version);
        Assert.Equal("Next month's notice", then.Document.Notice.Title);
        Assert.Equal(2, (await WithRegisterAsync(r => r.InForceAsync(afcId, future.AddYears(5))))!.Version.Version);

        Assert.Null(await WithRegisterAsync(r => r.InForceAsync(afcId, new DateOnly(2024, 3, 31))));
        Assert.Equal(1, (await WithRegisterAsync(r => r.InForceAsync(afcId, new DateOnly(2024, 4, 1))))!.Version.Version);
    }

    [Fact]
    public async Task A_later_version_with_an_earlier_date_replaces_the_one_in_force_from_its_date()
    {
        var afcId = await OrganisationAsync("afc");
        var result = await WithRegisterAsync(r => r.ImportAsync(
            [new RegisterFile(AfcFile, WithEffectiveFrom(WithTitle(Afc, "Backdated correction"), new DateOnly(2025, 1, 1)))], "Correction", null, "test"));
        Assert.True(result.Imported, string.Join("\n", result.Errors));
        Assert.Equal("Backdated correction", (await WithRegisterAsync(r => r.InForceAsync(afcId)))!.Document.Notice.Title);
        Assert.Equal(1, (await WithRegisterAsync(r => r.InForceAsync(afcId, new DateOnly(2024, 12, 31))))!.Version.Version);
    }

    [Fact]
    public async Task A_DPO_scoped_import_refuses_another_organisations_file_and_stores_nothing()
    {
        var afcId = await OrganisationAsync("afc");
        var dora = await UserAsync("dora.dpo@demo.haven.test");
        var before = await VersionCountAsync();

        var result = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(EscbFile, Escb)], "Trying ESCB", dora, "Dora Kowalski", onlyOrganisationId: afcId));
        Assert.False(result.Imported);
        var error = Assert.Single(result.Errors);
        Assert.Equal(EscbFile, error.File);
        Assert.Contains("'escb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("only your own organisation's register", error.Message, StringComparison.Ordinal);
        Assert.Equal(Escb.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith("code: escb", StringComparison.Ordinal)) + 1, error.Line);

        // Together with the DPO's own file, nothing is stored either.
        var both = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, Afc), new RegisterFile(EscbFile, Escb)], "Both", dora, "Dora Kowalski", onlyOrganisationId: afcId));
        Assert.False(both.Imported);
        Assert.All(both.Errors, e => Assert.Equal(EscbFile, e.File));

        // A new organisation's file is refused too: a DPO cannot create another organisation.
        var newOrg = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile("new.yaml", RegisterParserTests.ValidRegister)], "New", dora, "Dora Kowalski", onlyOrganisationId: afcId));
        Assert.False(newOrg.Imported);
        Assert.Equal(before, await VersionCountAsync());

        var own = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, Afc)], "Own register", dora, "Dora Kowalski", onlyOrganisationId: afcId));
        Assert.True(own.Imported, string.Join("\n", own.Errors));
        Assert.Equal(before + 1, await VersionCountAsync());
    }

    [Fact]
    public async Task A_register_for_a_new_organisation_creates_the_organisation()
    {
        var result = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile("test.yaml", RegisterParserTests.ValidRegister)], "New organisation", null, "test"));
        Assert.True(result.Imported, string.Join("\n", result.Errors));
        var organisation = await _factory.WithDbAsync(db => db.Organisations.SingleAsync(o => o.ShortName == "test-org"));
        Assert.Equal("Test Organisation", organisation.Name);
        var loaded = await WithRegisterAsync(r => r.InForceAsync(organisation.Id));
        Assert.Equal("social-care", loaded!.Document.Services.Single().Code);
        Assert.Contains(await WithRegisterAsync(r => r.OrganisationsWithRegisterAsync()), o => o.ShortName == "test-org");
    }

    [Fact]
    public async Task An_import_needs_a_reason_files_and_one_file_per_organisation()
    {
        var before = await VersionCountAsync();
        var noReason = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, Afc)], "   ", null, "test"));
        Assert.Contains(noReason.Errors, e => e.Message.Contains("why the register is changing", StringComparison.Ordinal));
        var longReason = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, Afc)], new string('x', 501), null, "test"));
        Assert.Contains(longReason.Errors, e => e.Message.Contains("500 characters", StringComparison.Ordinal));
        var noFiles = await WithRegisterAsync(r => r.ImportAsync([], "Nothing", null, "test"));
        Assert.Contains(noFiles.Errors, e => e.Message.Contains("at least one register file", StringComparison.Ordinal));
        var twice = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile("a.yaml", Afc), new RegisterFile("b.yaml", Afc)], "Twice", null, "test"));
        var error = Assert.Single(twice.Errors);
        Assert.Equal("b.yaml", error.File);
        Assert.Contains("a.yaml", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCountAsync());
    }

    [Theory]
    [InlineData("UPDATE register_versions SET reason = 'rewritten'")]
    [InlineData("UPDATE register_versions SET document = '{}'::jsonb")]
    [InlineData("DELETE FROM register_versions")]
    [InlineData("TRUNCATE register_versions")]
    public async Task The_application_cannot_change_or_remove_register_versions(string sql)
    {
        var before = await VersionCountAsync();
        await using var connection = new NpgsqlConnection(_factory.AppConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(before, await VersionCountAsync());
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Set<RegisterVersion>().CountAsync(v => v.Reason == "rewritten")));
    }

    [Fact]
    public async Task The_command_line_checks_files_without_a_database()
    {
        var directory = Directory.CreateTempSubdirectory("haven-register-check-");
        try
        {
            var good = Path.Combine(RegisterParserTests.RepoRoot(), "config", "register", AfcFile);
            var bad = Path.Combine(directory.FullName, "bad.yaml");
            await File.WriteAllTextAsync(bad, RegisterParserTests.ValidRegister.Replace("period: 75 years", "period: 75 yrs", StringComparison.Ordinal), Ct);
            Assert.Equal(0, await Haven.Web.HavenProgram.RunAsync(["register", "check", good]));
            Assert.Equal(1, await Haven.Web.HavenProgram.RunAsync(["register", "check", good, bad]));
            Assert.Equal(2, await Haven.Web.HavenProgram.RunAsync(["register", "check", Path.Combine(directory.FullName, "missing.yaml")]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_command_line_imports_through_the_register_service()
    {
        var directory = Directory.CreateTempSubdirectory("haven-register-import-");
        try
        {
            var changed = Path.Combine(directory.FullName, AfcFile);
            await File.WriteAllTextAsync(changed, WithTitle(Afc, "Imported from the command line"), Ct);
            var bad = Path.Combine(directory.FullName, "bad.yaml");
            await File.WriteAllTextAsync(bad, RegisterParserTests.ValidRegister.Replace("rights: [access, complain]", "rights: [access, complain", StringComparison.Ordinal), Ct);
            string[] database =
            [
                $"--ConnectionStrings:Haven={_factory.AppConnectionString}",
                $"--ConnectionStrings:HavenMigrations={_factory.OwnerConnectionString}",
                $"--{MasterKey.ConfigurationKey}={HavenFactory.TestMasterKey}",
            ];
            var before = await VersionCountAsync();

            Assert.Equal(1, await Haven.Web.HavenProgram.RunAsync(["register", "import", changed, bad, "--reason", "Both files", .. database]));
            Assert.Equal(before, await VersionCountAsync());
            Assert.Equal(2, await Haven.Web.HavenProgram.RunAsync(["register", "import", changed, .. database]));
            Assert.Equal(before, await VersionCountAsync());

            Assert.Equal(0, await Haven.Web.HavenProgram.RunAsync(["register", "import", changed, "--reason", "New title", .. database]));
            Assert.Equal(before + 1, await VersionCountAsync());
            var afc = await WithRegisterAsync(async r => await r.InForceAsync(await OrganisationAsync("afc")));
            Assert.Equal(2, afc!.Version.Version);
            Assert.Equal("New title", afc.Version.Reason);
            Assert.StartsWith("command line", afc.Version.ChangedBy, StringComparison.Ordinal);
            Assert.Equal("Imported from the command line", afc.Document.Notice.Title);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_import_is_audited_and_the_audit_chain_stays_intact()
    {
        var result = await WithRegisterAsync(r => r.ImportAsync([new RegisterFile(AfcFile, WithTitle(Afc, "Audited"))], "Audit check", null, "test"));
        Assert.True(result.Imported);
        Assert.True((await AuditVerifier.VerifyAsync(_factory.AppConnectionString, Ct)).Intact);
    }
    // ---- Article 30 record of processing activities ----

    /// <summary>Reads CSV as RFC 4180 does: quoted cells, doubled quotes, commas and line breaks inside quotes.</summary>
    private static List<List<string>> ReadCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        Assert.False(quoted, "The CSV ends inside a quoted cell");
        Assert.Equal(0, cell.Length);
        Assert.Empty(row);
        return rows;
    }

    private async Task<LoadedRegister> LoadedAsync(string code)
    {
        var id = await OrganisationAsync(code);
        return (await WithRegisterAsync(r => r.InForceAsync(id)))!;
    }

    [Fact]
    public async Task The_Article_30_CSV_has_the_header_and_one_row_per_processing_activity()
    {
        var afc = await LoadedAsync("afc");
        var rows = ReadCsv(Article30Export.Csv(afc));
        Assert.Equal(Article30Export.Columns, rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(Article30Export.Columns.Count, r.Count));

        string Cell(List<string> row, string column) => row[Article30Export.Columns.ToList().IndexOf(column)];
        var (care, families) = (rows[1], rows[2]);
        Assert.Equal(["safeguarding-and-care", "supporting-families"], new[] { Cell(care, "Activity"), Cell(families, "Activity") });
        Assert.Equal("Achieving for Children — Children's Social Care", Cell(care, "Organisation"));
        Assert.Equal("Achieving for Children", Cell(care, "Controller"));
        Assert.Equal("ZA045069", Cell(care, "ICO registration"));
        Assert.Equal("Children's Social Care", Cell(care, "Service"));
        Assert.Contains(RegisterCodes.LawfulBases["legal-obligation"], Cell(care, "Article 6 lawful basis"), StringComparison.Ordinal);
        Assert.Contains(RegisterCodes.Article9["substantial-public-interest"], Cell(care, "Article 9 condition"), StringComparison.Ordinal);
        Assert.Contains(RegisterCodes.Schedule1["safeguarding"], Cell(care, "Schedule 1 condition (special category)"), StringComparison.Ordinal);
        Assert.Contains(RegisterCodes.Article10["official-authority"], Cell(care, "Article 10 basis"), StringComparison.Ordinal);
        Assert.Contains("[special.sexual-orientation]", Cell(care, "Categories of personal data"), StringComparison.Ordinal);
        Assert.Contains("Sex life or sexual orientation (special category)", Cell(care, "Special category or criminal offence data"), StringComparison.Ordinal);
        Assert.Contains("Offences, including alleged offences (criminal offence)", Cell(care, "Special category or criminal offence data"), StringComparison.Ordinal);
        Assert.Contains("NHS unscheduled care settings (CP-IS)", Cell(care, "Recipients"), StringComparison.Ordinal);
        Assert.Equal("None", Cell(care, "Overseas transfers and safeguards"));
        Assert.Contains("looked-after: 75 years from the date of birth, then reviewed by a person", Cell(care, "Retention"), StringComparison.Ordinal);
        Assert.Contains("whichever is the longer", Cell(care, "Retention"), StringComparison.Ordinal);
        Assert.Equal("1", Cell(care, "Register version"));
        Assert.Equal("2024-04-01", Cell(care, "In force from"));
        Assert.Equal(string.Empty, Cell(families, "Article 9 condition"));
    }

    [Theory]
    [InlineData("escb")]
    [InlineData("sscp")]
    [InlineData("sees")]
    [InlineData("ecc-fgc")]
    [InlineData("afc")]
    public async Task Every_organisations_Article_30_export_has_a_row_for_each_activity(string code)
    {
        var loaded = await LoadedAsync(code);
        var rows = ReadCsv(Article30Export.Csv(loaded));
        Assert.Equal(loaded.Document.Activities().Count() + 1, rows.Count);
        Assert.Equal(loaded.Document.Activities().Select(a => a.Activity.Code), rows.Skip(1).Select(r => r[5]));
        Assert.All(rows.Skip(1), r => Assert.Equal(loaded.Document.Organisation.Name, r[0]));
    }

    [Fact]
    public async Task The_ECC_export_records_the_overseas_safeguard_and_the_processor()
    {
        var row = ReadCsv(Article30Export.Csv(await LoadedAsync("ecc-fgc")))[1];
        var columns = Article30Export.Columns.ToList();
        Assert.StartsWith("Allowed; safeguard: " + RegisterCodes.TransferSafeguards["consent"], row[columns.IndexOf("Overseas transfers and safeguards")], StringComparison.Ordinal);
        Assert.Equal("Servelec (Mosaic)", row[columns.IndexOf("Processors")]);
        Assert.Contains("wherever the family member lives outside the UK", row[columns.IndexOf("Recipients")], StringComparison.Ordinal);
        Assert.Contains("Required.", row[columns.IndexOf("Providing data")], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=SUM(A1:A9)", "\"'=SUM(A1:A9)\"")]
    [InlineData("+44 20 7946 0000", "\"'+44 20 7946 0000\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@cmd", "\"'@cmd\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("Plain, with \"quotes\"", "\"Plain, with \"\"quotes\"\"\"")]
    [InlineData("", "\"\"")]
    [InlineData("a = b", "\"a = b\"")]
    public void A_CSV_cell_is_quoted_and_a_formula_is_neutralised(string value, string expected) => Assert.Equal(expected, Article30Export.Cell(value));

    [Fact]
    public async Task A_formula_in_the_register_cannot_run_in_a_spreadsheet()
    {
        var afc = await LoadedAsync("afc");
        var (service, activity) = afc.Document.Activities().First();
        var hostile = activity with { Purpose = "=HYPERLINK(\"https://example.invalid/\",\"Click\")" };
        var document = afc.Document with { Services = [service with { Activities = [hostile] }] };
        var csv = Article30Export.Csv(afc with { Document = document });
        Assert.Contains("\"'=HYPERLINK(\"\"https://example.invalid/\"\",\"\"Click\"\")\"", csv, StringComparison.Ordinal);
        var rows = ReadCsv(csv);
        Assert.Equal(2, rows.Count);
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@', cell));
    }

    [Fact]
    public async Task The_Article_30_PDF_is_a_PDF()
    {
        var pdf = Article30Export.Pdf(await LoadedAsync("afc"), DateTimeOffset.UtcNow);
        Assert.True(pdf.Length > 1000);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.Contains("%%EOF", System.Text.Encoding.ASCII.GetString(pdf[^32..]), StringComparison.Ordinal);
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Contains("Record of processing activities", text, StringComparison.Ordinal);
        Assert.Contains("/Count ", text, StringComparison.Ordinal);
        // Every object the cross-reference table points at starts where it says.
        var xref = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        var entries = text[xref..].Split('\n').Skip(3).TakeWhile(l => l.EndsWith(" n ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(entries);
        for (var i = 0; i < entries.Count; i++)
        {
            var offset = int.Parse(entries[i][..10], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"{i + 1} 0 obj", text[offset..], StringComparison.Ordinal);
        }
    }
}
