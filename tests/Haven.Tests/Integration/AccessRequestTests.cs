using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Haven.Core.CaseWork;
using Haven.Core.Data.Entities;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Haven.Tests.Integration;

/// <summary>
/// Access requests against the demo database: the search covers every table that points at a person, where the
/// subject appears in other people's records and who accessed the record; suggested third-party names are redacted
/// out of every file; exemptions need a reason; a second person signs off; practitioners and other organisations
/// are kept out; the PDF has an index and page numbers and the letter carries the register's Article 15 information.
/// </summary>
public sealed partial class AccessRequestTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Sibling = "Zebedee Farthingale";
    private const string Professional = "Octavia Pemberton";
    private HavenFactory _factory = null!;
    private Guid _amara;
    private Guid _dora;
    private Guid _iris;
    private Guid _ian;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara" && p.FamilyName == "Clarke").Select(p => p.Id).SingleAsync());
        _dora = await UserAsync("dora.dpo@demo.haven.test");
        _iris = await UserAsync("iris.rights@demo.haven.test");
        _ian = await UserAsync("ian.governance@demo.haven.test");
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public void The_search_reads_every_table_that_points_at_a_person()
    {
        var missing = PersonLinks.Columns.Except(SubjectDataSearch.Covers).ToList();
        Assert.True(missing.Count == 0, "Add these to SubjectDataSearch (and its Covers list): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task The_search_finds_a_row_of_every_person_linked_table()
    {
        await AddRightsRowsAsync(_amara);
        await using (var cpis = new NpgsqlConnection(_factory.OwnerConnectionString))
        {
            await cpis.OpenAsync(Ct);
            await using var insert = new NpgsqlCommand("""
                WITH c AS (INSERT INTO cpis_clients (id, name, setting_type, ods_code, scopes, rate_limit_per_minute, secret_hash, created_at)
                           VALUES (gen_random_uuid(), 'Kingston Hospital emergency department', 'emergency_department', 'RAX01', ARRAY['cpis.lookup'], 60, decode(repeat('00', 32), 'hex'), now()) RETURNING id),
                     a AS (INSERT INTO cpis_accesses (id, lookup_id, occurred_at, client_id, person_id, clinician_role) SELECT gen_random_uuid(), gen_random_uuid(), now(), id, @p, 'Nurse' FROM c RETURNING client_id)
                INSERT INTO cpis_concerns (id, lookup_id, person_id, client_id, concern, created_at) SELECT gen_random_uuid(), gen_random_uuid(), @p, id, 'Bruising seen at triage', now() FROM c
                """, cpis);
            insert.Parameters.AddWithValue("p", _amara);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var requestId = await CreateRequestAsync(_amara);
        await _factory.WithDbAsync(db =>
        {
            db.Add(new RectificationItem { Id = Guid.NewGuid(), RequestId = requestId, PersonId = _amara, Information = "Date of the first visit", CurrentValue = "3 May", ProposedValue = "5 May", CreatedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        var misses = new List<string>();
        await using var connection = new NpgsqlConnection(_factory.OwnerConnectionString);
        await connection.OpenAsync(Ct);
        foreach (var (table, column) in PersonLinks.Columns)
        {
            await using var command = new NpgsqlCommand($"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY id LIMIT 1", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            if (!await reader.ReadAsync(Ct))
            {
                misses.Add($"{table}.{column}: no row in the demo data to look for");
                continue;
            }

            var (rowId, personId) = (reader.GetGuid(0), reader.GetGuid(1));
            await reader.CloseAsync();
            var data = await SearchAsync(personId);
            var key = $"{KeyPrefix(table, column)}:{rowId}";
            if (!data.Entries.Any(e => e.Key == key))
            {
                misses.Add($"{table}.{column}: {key} not found");
            }
        }

        Assert.True(misses.Count == 0, string.Join(Environment.NewLine, misses));
    }

    [Fact]
    public async Task The_search_finds_where_the_subject_appears_in_other_records_and_who_accessed_theirs()
    {
        var (sibling, note) = await AddSiblingAsync();
        // A case note in the sibling's record that the subject took part in.
        var otherNote = Guid.NewGuid();
        await _factory.WithDbAsync(async db =>
        {
            db.Add(new CaseNote
            {
                Id = otherNote,
                PersonId = sibling,
                ContactType = "visit",
                ContactDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3),
                Participants = "Amara and her brother",
                ParticipantPersonIds = [_amara],
                Text = "Visited the brother at home; Amara was there and said she wanted more time with him.",
                Source = "family",
                CreatedByUserId = await db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync(),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        using (var client = _factory.NewClient())
        {
            await TestSignIn.SignInAsync(_factory, client, "sam.worker@demo.haven.test");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/people/{_amara}", Ct)).StatusCode);
        }

        var data = await SearchAsync(_amara);
        var others = data.Sections.Single(s => s.Code == SubjectDataSearch.SectionOthers).Entries;
        Assert.Contains(others, e => e.Key == $"case_note:{otherNote}" && e.Text.Contains("wanted more time with him", StringComparison.Ordinal));
        Assert.Contains(others, e => e.Key.StartsWith("relationship:", StringComparison.Ordinal) && e.Title.Contains(Sibling, StringComparison.Ordinal));
        Assert.Contains(data.Sections.Single(s => s.Code == SubjectDataSearch.SectionCaseWork).Entries, e => e.Key == $"case_note:{note}");
        // Who accessed the record: the practitioner's view, shown by role and organisation, never by name.
        var access = data.Sections.Single(s => s.Code == SubjectDataSearch.SectionAccess).Entries;
        Assert.Contains(access, e => e.Title == "Record looked at" && e.Text.Contains("Social worker or early-help practitioner, Achieving for Children", StringComparison.Ordinal));
        var sam = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.DisplayName).SingleAsync());
        Assert.DoesNotContain(access, e => e.Text.Contains(sam, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suggested_third_party_name_is_redacted_from_every_file_and_professionals_are_not_suggested()
    {
        await AddSiblingAsync();
        var id = await CreateRequestAsync(_amara);
        var workspace = await WithReviewAsync(r => r.WorkspaceAsync(_dora, id, Ct));
        var suggestion = Assert.Single(workspace!.Suggestions, s => s.Term == Sibling);
        Assert.True(suggestion.Count >= 2, $"found {suggestion.Count} times");
        Assert.DoesNotContain(workspace.Suggestions, s => s.Term.Contains(Professional, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(workspace.Suggestions, s => s.Term.Contains("Amara", StringComparison.OrdinalIgnoreCase));

        Assert.Empty(await WithReviewAsync(r => r.RedactTermAsync(_dora, id, Sibling, "third_party", "The brother has not agreed", Ct)));
        var (errors, bundleId) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        Assert.Empty(errors);
        var bundle = await _factory.WithDbAsync(db => db.Set<RightsRequestBundle>().SingleAsync(b => b.Id == bundleId));
        foreach (var (name, bytes) in new[] { ("pdf", bundle.Pdf), ("json", bundle.Json), ("csv", bundle.Csv), ("letter", bundle.LetterPdf) })
        {
            var text = Encoding.Latin1.GetString(bytes);
            Assert.False(text.Contains("Farthingale", StringComparison.OrdinalIgnoreCase), $"the redacted name is in the {name}");
            Assert.False(text.Contains("Zebedee", StringComparison.OrdinalIgnoreCase), $"the redacted name is in the {name}");
        }

        Assert.Contains("[redacted: third party]", Encoding.Latin1.GetString(bundle.Pdf), StringComparison.Ordinal);
        Assert.Contains("[redacted: third party]", Encoding.UTF8.GetString(bundle.Json), StringComparison.Ordinal);
        Assert.Contains("[redacted: third party]", Encoding.UTF8.GetString(bundle.Csv), StringComparison.Ordinal);
        // The professional acting in their role is disclosed.
        Assert.Contains(Professional, PdfText(bundle.Pdf), StringComparison.Ordinal);
        Assert.True(bundle.RedactionCount >= 2);
    }

    [Fact]
    public async Task Withholding_needs_an_exemption_and_a_reason_and_leaves_the_entry_out()
    {
        var (_, note) = await AddSiblingAsync();
        var id = await CreateRequestAsync(_amara);
        var key = $"case_note:{note}";
        var noReason = await WithReviewAsync(r => r.WithholdAsync(_dora, id, key, "serious_harm", " ", Ct));
        Assert.Equal("Enter why the entry is withheld", noReason["WithholdReason"]);
        var noGround = await WithReviewAsync(r => r.WithholdAsync(_dora, id, key, null, "Likely to cause serious harm", Ct));
        Assert.Equal("Select the legal reason (exemption)", noGround["WithholdGround"]);
        var wrongRequester = await WithReviewAsync(r => r.WithholdAsync(_dora, id, key, "child_abuse_data", "Not in her interests", Ct));
        Assert.Contains("parental responsibility", wrongRequester["WithholdGround"], StringComparison.Ordinal);
        var badKey = await WithReviewAsync(r => r.WithholdAsync(_dora, id, "<script>", "serious_harm", "Reason", Ct));
        Assert.Equal("Select the entry to withhold", badKey["ItemKey"]);

        Assert.Empty(await WithReviewAsync(r => r.WithholdAsync(_dora, id, key, "serious_harm", "The account of the visit would be likely to cause serious harm", Ct)));
        var (_, bundleId) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        var bundle = await _factory.WithDbAsync(db => db.Set<RightsRequestBundle>().SingleAsync(b => b.Id == bundleId));
        Assert.Equal(1, bundle.WithheldCount);
        var json = Encoding.UTF8.GetString(bundle.Json);
        Assert.DoesNotContain(key, json, StringComparison.Ordinal);
        Assert.DoesNotContain("ate the biscuits", json, StringComparison.Ordinal);
        Assert.Contains("serious harm", PdfText(bundle.Pdf), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await AuditActionsAsync(), a => a == AccessReviewAuditActions.ItemWithheld);
    }

    [Fact]
    public async Task The_preparer_cannot_sign_off_their_own_bundle_and_someone_else_can()
    {
        var id = await CreateRequestAsync(_amara);
        var (errors, bundleId) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        Assert.Empty(errors);
        Assert.Equal(RightsCodes.StatusAwaitingSignOff, await StatusAsync(id));
        var again = await WithReviewAsync(r => r.PrepareAsync(_iris, id, Ct));
        Assert.Contains("waiting for sign-off", again.Errors["Prepare"], StringComparison.Ordinal);

        var own = await WithReviewAsync(r => r.SignOffAsync(_dora, id, bundleId!.Value, Ct));
        Assert.Equal("You prepared this bundle, so someone else must sign it off", own["SignOff"]);
        Assert.Empty(await WithReviewAsync(r => r.SignOffAsync(_iris, id, bundleId!.Value, Ct)));
        var bundle = await _factory.WithDbAsync(db => db.Set<RightsRequestBundle>().AsNoTracking().SingleAsync(b => b.Id == bundleId));
        Assert.Equal(("signed_off", (Guid?)_iris), (bundle.Status, bundle.SignedOffByUserId));
        Assert.Equal(RightsCodes.StatusOpen, await StatusAsync(id));
        Assert.True(await _factory.WithDbAsync(db => db.Set<OutboundMessage>().AnyAsync(m => m.RequestId == id && m.Kind == "information_ready")));
        var actions = await AuditActionsAsync();
        Assert.Contains(AccessReviewAuditActions.BundlePrepared, actions);
        Assert.Contains(AccessReviewAuditActions.BundleSignedOff, actions);

        // A returned bundle needs a reason.
        var (_, second) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        Assert.Equal("Enter what needs to change", (await WithReviewAsync(r => r.ReturnAsync(_iris, id, second!.Value, "", Ct)))["ReturnReason"]);
        Assert.Empty(await WithReviewAsync(r => r.ReturnAsync(_iris, id, second!.Value, "Redact the neighbour's phone number", Ct)));
    }

    [Fact]
    public async Task A_bundle_needs_a_matched_subject_confirmed_identity_and_authority()
    {
        var unmatched = await CreateRequestAsync(null);
        Assert.Contains("Link the request", (await WithReviewAsync(r => r.PrepareAsync(_dora, unmatched, Ct))).Errors["Prepare"], StringComparison.Ordinal);
        var unverified = await CreateRequestAsync(_amara, verify: false);
        Assert.Contains("identity", (await WithReviewAsync(r => r.PrepareAsync(_dora, unverified, Ct))).Errors["Prepare"], StringComparison.Ordinal);
        var parent = await CreateRequestAsync(_amara, relationship: RightsCodes.RelationshipParent);
        Assert.Contains("authority", (await WithReviewAsync(r => r.PrepareAsync(_dora, parent, Ct))).Errors["Prepare"], StringComparison.Ordinal);
        // Another organisation's handler cannot act on the request at all.
        Assert.Equal("There is no such request in your organisation", (await WithReviewAsync(r => r.PrepareAsync(_ian, parent, Ct))).Errors["Prepare"]);
    }

    [Fact]
    public async Task Practitioners_are_refused_and_another_organisations_request_is_not_found()
    {
        var id = await CreateRequestAsync(_amara);
        var (_, bundleId) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        using (var worker = _factory.NewClient())
        {
            await TestSignIn.SignInAsync(_factory, worker, "sam.worker@demo.haven.test");
            Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync($"/rights/{id}/review", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync($"/api/v1/rights/{id}/subject-data", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync($"/rights/{id}/bundles/{bundleId}/bundle.pdf", Ct)).StatusCode);
        }

        using (var other = _factory.NewClient())
        {
            await TestSignIn.SignInAsync(_factory, other, "ian.governance@demo.haven.test");
            var theirs = await other.GetAsync($"/api/v1/rights/{id}/subject-data", Ct);
            var unknown = await other.GetAsync($"/api/v1/rights/{Guid.NewGuid()}/subject-data", Ct);
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.Equal(await unknown.Content.ReadAsStringAsync(Ct), await theirs.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/rights/{id}/review", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/rights/{id}/bundles/{bundleId}/data.json", Ct)).StatusCode);
        }

        using var handler = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, handler, "iris.rights@demo.haven.test");
        var page = await handler.GetAsync($"/rights/{id}/review", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sign off", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var api = await handler.GetAsync($"/api/v1/rights/{id}/subject-data", Ct);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Contains($"person:{_amara}", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var download = await handler.GetAsync($"/rights/{id}/bundles/{bundleId}/bundle.pdf", Ct);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains(AccessReviewAuditActions.BundleDownloaded, await AuditActionsAsync());
        var openApi = await handler.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/v1/rights/{id}/subject-data", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pdf_has_an_index_with_page_numbers_and_the_letter_carries_the_register()
    {
        var id = await CreateRequestAsync(_amara);
        var (_, bundleId) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        var bundle = await _factory.WithDbAsync(db => db.Set<RightsRequestBundle>().SingleAsync(b => b.Id == bundleId));
        var pdf = PdfText(bundle.Pdf);
        var pages = Regex.Count(Encoding.Latin1.GetString(bundle.Pdf), "/Type /Page /Parent");
        Assert.Contains("Contents", pdf, StringComparison.Ordinal);
        Assert.Contains($"Page 1 of {pages}", pdf, StringComparison.Ordinal);
        Assert.Contains($"Page {pages} of {pages}", pdf, StringComparison.Ordinal);
        // Each section is listed in the index with the page it starts on, and that page starts with its heading.
        foreach (var (_, title, _) in SubjectDataSearch.SectionList)
        {
            var match = Regex.Match(pdf, Regex.Escape(title) + @" \(\d+\) (\d+)");
            Assert.True(match.Success, $"{title} is not in the index");
            var page = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(page, 3, pages);
            Assert.StartsWith(title, PdfPages(bundle.Pdf)[page - 1], StringComparison.Ordinal);
        }

        var register = await _factory.WithDbAsync(async db =>
        {
            using var scope = _factory.Services.CreateScope();
            var org = await db.People.Where(p => p.Id == _amara).Select(p => p.OrganisationId).SingleAsync();
            return await scope.ServiceProvider.GetRequiredService<RegisterService>().InForceAsync(org, null, Ct);
        });
        Assert.NotNull(register);
        var letter = PdfText(bundle.LetterPdf);
        var activity = register!.Document.Services.First(s => s.HoldsCaseRecords).Activities[0];
        Assert.Contains(activity.Uses.Count > 0 ? activity.Uses[0] : activity.Purpose, letter, StringComparison.Ordinal);
        Assert.Contains(activity.Recipients[0].Name, letter, StringComparison.Ordinal);
        Assert.Contains(NoticeBuilder.Describe(activity.Retention[0]), letter, StringComparison.Ordinal);
        Assert.Contains(register.Document.Organisation.Ico.Phone, letter, StringComparison.Ordinal);
        Assert.Contains("rectification", letter, StringComparison.Ordinal);
        Assert.Contains("How to complain", letter, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- helpers

    private static string KeyPrefix(string table, string column) => (table, column) switch
    {
        ("people", "mother_id") => "person_mother",
        ("professionals_involved", _) => "professional",
        ("addresses", _) => "address",
        ("case_worries", _) => "case_worry",
        ("achievements", _) => "achievement",
        ("cpis_accesses", _) => "cpis_access",
        _ => table.TrimEnd('s'),
    };

    private async Task<(Guid Sibling, Guid Note)> AddSiblingAsync()
    {
        var sibling = Guid.NewGuid();
        var note = Guid.NewGuid();
        await _factory.WithDbAsync(async db =>
        {
            var amara = await db.People.SingleAsync(p => p.Id == _amara);
            var worker = await db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync();
            db.Add(new Person
            {
                Id = sibling,
                OrganisationId = amara.OrganisationId,
                GivenName = "Zebedee",
                FamilyName = "Farthingale",
                DateOfBirth = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-12),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            db.Add(new Relationship
            {
                Id = Guid.NewGuid(),
                OrganisationId = amara.OrganisationId,
                PersonId = _amara,
                RelatedPersonId = sibling,
                RelationshipType = "sibling",
                Source = "family",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Add(new Relationship
            {
                Id = Guid.NewGuid(),
                OrganisationId = amara.OrganisationId,
                PersonId = sibling,
                RelatedPersonId = _amara,
                RelationshipType = "sibling",
                Source = "family",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Add(new ProfessionalInvolved
            {
                Id = Guid.NewGuid(),
                OrganisationId = amara.OrganisationId,
                PersonId = _amara,
                Role = "gp",
                Name = Professional,
                ProfessionalOrganisation = "Riverside Surgery",
                Source = "family",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Add(new CaseNote
            {
                Id = note,
                PersonId = _amara,
                ContactType = "visit",
                ContactDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2),
                Participants = "Amara, Zebedee Farthingale",
                ParticipantPersonIds = [sibling],
                Text = $"Amara and Zebedee Farthingale ate the biscuits. {Professional} from the surgery called to say the check-up went well.",
                Source = "family",
                CreatedByUserId = worker,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return (sibling, note);
    }

    private async Task AddRightsRowsAsync(Guid personId) =>
        await _factory.WithDbAsync(async db =>
        {
            var org = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync();
            // Tables the demo leaves empty: another name, emergency access, an exclusion and an offence.
            using var scope = _factory.Services.CreateScope();
            var cipher = scope.ServiceProvider.GetRequiredService<Haven.Core.Keys.FieldCipher>();
            db.Add(new PersonName { Id = Guid.NewGuid(), PersonId = personId, Kind = "previous", GivenName = "Amara", FamilyName = "Okafor" });
            db.Add(new BreakGlassEvent { Id = Guid.NewGuid(), PersonId = personId, UserId = _iris, Reason = "Police called out of hours", CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
            db.Add(new SchoolExclusion { Id = Guid.NewGuid(), PersonId = personId, ExclusionType = "suspension", StartedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-20), Days = 2, Reason = "Fighting", Source = "school", CreatedAt = DateTimeOffset.UtcNow });
            db.Add(new CaseOffence
            {
                Id = Guid.NewGuid(),
                PersonId = personId,
                DescriptionSealed = (await cipher.SealAsync(org, CaseWorkService.OffencePurpose, "Criminal damage to a bus shelter"))!,
                StatusSealed = (await cipher.SealAsync(org, CaseWorkService.OffencePurpose, "alleged"))!,
                Source = "police",
                CreatedByUserId = _dora,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Add(new PersonConsent { Id = Guid.NewGuid(), PersonId = personId, OrganisationId = org, ServiceCode = "childrens-social-care", Purpose = "Sharing with a youth club", GivenOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1) });
            db.Add(new RecordStatement { Id = Guid.NewGuid(), PersonId = personId, Text = "I dispute the date of the visit.", CreatedAt = DateTimeOffset.UtcNow });
            db.Add(new ProcessingRestriction { Id = Guid.NewGuid(), PersonId = personId, Reason = "Accuracy contested", StartedAt = DateTimeOffset.UtcNow.AddDays(-5), SubjectToldOn = DateOnly.FromDateTime(DateTime.UtcNow), LiftedAt = DateTimeOffset.UtcNow, LiftReason = "Checked" });
            db.Add(new Disclosure
            {
                Id = Guid.NewGuid(),
                OrganisationId = org,
                PersonId = personId,
                RecipientCode = "police",
                RecipientName = "Metropolitan Police",
                ServiceCode = "childrens-social-care",
                ActivityCode = "safeguarding-and-care",
                Purpose = "Strategy discussion",
                LawfulBasis = "public_task",
                Categories = ["care.contacts"],
                Summary = "Dates of visits",
                DisclosedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

    [Fact]
    public async Task The_documents_file_holds_the_originals_the_bundle_lists_and_not_withheld_ones()
    {
        var sam = await UserAsync("sam.worker@demo.haven.test");
        using (var scope = _factory.Services.CreateScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<Haven.Core.CaseWork.DocumentService>();
            foreach (var name in new[] { "scan-one.pdf", "scan-two.pdf" })
            {
                var result = await uploads.UploadAsync(sam, _amara, new Haven.Core.CaseWork.DocumentInput(name, "family", name,
                    System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% scanned letter\n%%EOF\n")), cancellationToken: Ct);
                Assert.Empty(result.Errors);
            }
        }

        var documents = await _factory.WithDbAsync(db => db.Set<Haven.Core.CaseWork.CaseDocument>().AsNoTracking()
            .Where(d => d.PersonId == _amara && d.Kind != Haven.Core.CaseWork.ContentSniffer.Text.Kind).Select(d => new { d.Id, d.FileName }).ToListAsync());
        Assert.NotEmpty(documents);
        var id = await CreateRequestAsync(_amara);
        var (_, first) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        var zip = await WithReviewAsync(r => r.DownloadAsync(_dora, id, first!.Value, "documents.zip", Ct));
        Assert.Equal("application/zip", zip!.ContentType);
        using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip.Content)))
        {
            Assert.Equal(documents.Count, archive.Entries.Count);
            Assert.All(documents, d => Assert.Contains(archive.Entries, e => e.Name.EndsWith(d.FileName, StringComparison.Ordinal)));
        }

        Assert.Empty(await WithReviewAsync(r => r.ReturnAsync(_iris, id, first!.Value, "One document names a neighbour", Ct)));
        Assert.Empty(await WithReviewAsync(r => r.WithholdAsync(_dora, id, $"case_document:{documents[0].Id}", "third_party", "Names a neighbour who has not agreed", Ct)));
        var (_, second) = await WithReviewAsync(r => r.PrepareAsync(_dora, id, Ct));
        var without = await WithReviewAsync(r => r.DownloadAsync(_dora, id, second!.Value, "documents.zip", Ct));
        using var after = new System.IO.Compression.ZipArchive(new MemoryStream(without!.Content));
        Assert.Equal(documents.Count - 1, after.Entries.Count);
        Assert.DoesNotContain(after.Entries, e => e.Name.EndsWith(documents[0].FileName, StringComparison.Ordinal) && documents.Count(d => d.FileName == documents[0].FileName) == 1);
    }

    private async Task<Guid> CreateRequestAsync(Guid? subject, bool verify = true, string relationship = RightsCodes.RelationshipSelf)
    {
        using var scope = _factory.Services.CreateScope();
        var requests = scope.ServiceProvider.GetRequiredService<RightsRequestService>();
        var (errors, submitted) = await requests.SubmitAsync(new RightsRequestInput("afc", [RightsCodes.Access], relationship, "Amara Clarke", "amara@example.test",
            null, null, "Amara Clarke", null, null, null, null, "email"), _dora, Ct);
        Assert.Empty(errors);
        if (subject is { } person)
        {
            Assert.Empty(await requests.MatchSubjectAsync(_dora, submitted!.Id, person, Ct));
        }

        if (verify)
        {
            Assert.Empty(await requests.RecordIdentityAsync(_dora, submitted!.Id, true, "photo_id", null, Ct));
        }

        return submitted!.Id;
    }

    private async Task<T> WithReviewAsync<T>(Func<AccessReviewService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AccessReviewService>());
    }

    private async Task<SubjectData> SearchAsync(Guid personId)
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SubjectDataSearch>().SearchAsync([personId], Ct);
    }

    private Task<Guid> UserAsync(string email) => _factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<string> StatusAsync(Guid id) => _factory.WithDbAsync(db => db.Set<RightsRequest>().Where(r => r.Id == id).Select(r => r.Status).SingleAsync());

    private Task<List<string>> AuditActionsAsync() => _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).Distinct().ToListAsync());

    /// <summary>The text of a PDF written by SimplePdf: every shown string in order, lines joined by spaces.</summary>
    public static string PdfText(byte[] pdf) => string.Join(" ", PdfPages(pdf));

    public static List<string> PdfPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var pages = new List<string>();
        foreach (Match stream in StreamPattern().Matches(text))
        {
            var lines = ShownPattern().Matches(stream.Groups[1].Value).Select(m => m.Groups[1].Value
                .Replace("\\(", "(", StringComparison.Ordinal).Replace("\\)", ")", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
            pages.Add(string.Join(" ", lines));
        }

        return pages;
    }

    [GeneratedRegex(@"stream\n(.*?)\nendstream", RegexOptions.Singleline)]
    private static partial Regex StreamPattern();

    [GeneratedRegex(@"\(((?:\\.|[^\\)])*)\) Tj")]
    private static partial Regex ShownPattern();
}
