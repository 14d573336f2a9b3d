using System.Diagnostics;
using System.Text;
using Haven.Core.Audit;
using Haven.Core.CaseWork;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Demo;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Rights;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// Access-request benchmark: a child at Achieving for Children with about 10,000 entries (case notes of realistic
/// length, worries, plans, services, involvements, addresses, relatives and audit events) and 200 documents. Times
/// assembling the complete disclosure bundle (search across every module, redaction, PDF, JSON, CSV and the cover
/// letter) beside the bare SQL that reads the same rows, and prints the ratio. Target: 10 seconds for the bundle.
/// </summary>
internal static class RightsBench
{
    private const int Runs = 3;

    private static readonly string[] Sentences =
    [
        "Visited the family home after school; the house was warm and tidy and there was food in the fridge.",
        "Amara talked about her week at school and said she enjoys reading with her teacher.",
        "Mother said money is tight this month and she is worried about the electricity bill.",
        "We agreed that the family support worker will help with a benefits check next week.",
        "Amara showed me her room and her drawings; she said she sometimes finds it hard to sleep when there is shouting.",
        "Discussed the safety plan with mother, who agreed to call the duty team if her former partner comes to the house.",
        "School report good attendance this half term and no concerns about her presentation.",
        "The health visitor confirmed the younger child's development check is up to date.",
        "Spoke to Amara alone; she said she feels safe at home and likes seeing her grandmother at weekends.",
        "Next visit booked for two weeks' time; mother will bring the letter from the housing office.",
    ];

    public static async Task RunAsync(EmbeddedPostgres cluster, int entries, int documents)
    {
        var random = new Random(20261121);
        Console.WriteLine($"Loading a subject with about {entries:N0} entries and {documents} documents ...");
        var load = Stopwatch.StartNew();
        await using var services = Services(cluster);
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }

        Guid subject, requestId, dora;
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HavenDbContext>();
            var cipher = scope.ServiceProvider.GetRequiredService<FieldCipher>();
            var afc = await db.Organisations.SingleAsync(o => o.ShortName == "afc");
            dora = await db.Users.Where(u => u.Email == "dora.dpo@demo.haven.test").Select(u => u.Id).SingleAsync();
            var worker = await db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync();
            subject = await LoadSubjectAsync(db, cipher, afc.Id, worker, entries, documents, random);
        }

        // Audit events: the record opened, as the audit writer records it (each one chained to the last).
        var auditEvents = entries / 10;
        using (var scope = services.CreateScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditWriter>();
            for (var i = 0; i < auditEvents; i++)
            {
                await audit.RecordAsync(new AuditEntry(i % 3 == 0 ? AuditActions.PersonUpdated : AuditActions.PersonRecordViewed, [subject], "case work"));
            }
        }

        using (var scope = services.CreateScope())
        {
            var requests = scope.ServiceProvider.GetRequiredService<RightsRequestService>();
            var (errors, submitted) = await requests.SubmitAsync(new RightsRequestInput("afc", [RightsCodes.Access], RightsCodes.RelationshipChild, "Amara Bench",
                "amara@example.test", null, null, null, null, null, null, null, "email"), dora);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", errors.Values));
            }

            requestId = submitted!.Id;
            await requests.MatchSubjectAsync(dora, requestId, subject);
            await requests.RecordIdentityAsync(dora, requestId, true, "photo_id", null);
        }

        // The reviewer redacts the relatives' names suggested and withholds a few entries.
        using (var scope = services.CreateScope())
        {
            var review = scope.ServiceProvider.GetRequiredService<AccessReviewService>();
            var workspace = (await review.WorkspaceAsync(dora, requestId))!;
            foreach (var suggestion in workspace.Suggestions.Where(s => s.Term.Contains(' ', StringComparison.Ordinal)).Take(20))
            {
                await review.RedactTermAsync(dora, requestId, suggestion.Term, "third_party", "Another person's name");
            }

            foreach (var entry in workspace.Data.Entries.Where(e => e.Key.StartsWith("case_note:", StringComparison.Ordinal)).Take(5))
            {
                await review.WithholdAsync(dora, requestId, entry.Key, "serious_harm", "Likely to cause serious harm");
            }

            Console.WriteLine($"Review: {workspace.Data.EntryCount:N0} entries found, {workspace.Suggestions.Count} redaction suggestions");
        }

        await using (var analyse = new NpgsqlConnection(cluster.OwnerConnectionString()))
        {
            await analyse.OpenAsync();
            await using var command = new NpgsqlCommand("VACUUM ANALYZE", analyse) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"Loaded in {load.Elapsed.TotalSeconds:F0} s");

        var bundleTimes = new List<double>();
        var rawTimes = new List<double>();
        RightsRequestBundle? last = null;
        for (var run = 0; run < Runs; run++)
        {
            using (var scope = services.CreateScope())
            {
                var review = scope.ServiceProvider.GetRequiredService<AccessReviewService>();
                var requests = scope.ServiceProvider.GetRequiredService<RightsRequestService>();
                var watch = Stopwatch.StartNew();
                var request = (await requests.FindAsync(dora, requestId))!;
                var subjects = await requests.SubjectsAsync(requestId);
                var (bundle, _) = await review.BuildAsync(request, subjects, dora);
                bundleTimes.Add(watch.Elapsed.TotalSeconds);
                last = bundle;
            }

            var raw = Stopwatch.StartNew();
            var rows = await RawQueriesAsync(cluster, subject);
            rawTimes.Add(raw.Elapsed.TotalSeconds);
            Console.WriteLine($"  run {run + 1}: bundle {bundleTimes[^1]:F2} s, raw queries {rawTimes[^1]:F2} s ({rows:N0} rows)");
        }

        var pages = CountPages(last!.Pdf);
        var bundleTime = bundleTimes.Order().ElementAt(Runs / 2);
        var rawTime = rawTimes.Order().ElementAt(Runs / 2);
        Console.WriteLine();
        Console.WriteLine($"Entries disclosed:      {last.EntryCount:N0} ({last.RedactionCount:N0} redactions, {last.WithheldCount} entries withheld)");
        Console.WriteLine($"Bundle:                 PDF {pages:N0} pages, {last.Pdf.Length / 1024.0 / 1024:F1} MB; JSON {last.Json.Length / 1024.0 / 1024:F1} MB; CSV {last.Csv.Length / 1024.0 / 1024:F1} MB; letter {last.LetterPdf.Length / 1024.0:F0} KB");
        Console.WriteLine($"Complete bundle (median of {Runs}): {bundleTime:F2} s   (target <= 10 s: {(bundleTime <= 10 ? "met" : "NOT met")})");
        Console.WriteLine($"Raw queries (median):   {rawTime:F2} s");
        Console.WriteLine($"Ratio bundle / raw:     {bundleTime / rawTime:F1}x");
    }

    private static async Task<Guid> LoadSubjectAsync(HavenDbContext db, FieldCipher cipher, Guid organisation, Guid worker, int entries, int documents, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var subject = new Person
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation,
            GivenName = "Amara",
            FamilyName = "Bench",
            DateOfBirth = today.AddYears(-15),
            NhsNumber = "9434765919",
            EthnicitySealed = await cipher.SealAsync(organisation, PeopleService.EthnicityPurpose, "WBRI"),
            CreatedAt = now.AddYears(-15),
        };
        db.Add(subject);
        var relatives = Enumerable.Range(0, 100).Select(i => new Person
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation,
            PersonType = "adult",
            GivenName = $"Relative{i}",
            FamilyName = $"Kinsman{i}",
            Phone = $"07700 900{i:D3}",
            CreatedAt = now,
        }).ToList();
        db.AddRange(relatives);
        await db.SaveChangesAsync();

        // Fixed shares of the entries: notes 61%, worries 15%, plans 5%, services 3%, addresses 2%, involvements 1%, relatives 1%, audit 10%.
        var notes = entries * 61 / 100;
        for (var i = 0; i < notes; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(300, 1500);
            while (text.Length < length)
            {
                text.Append(Sentences[random.Next(Sentences.Length)]).Append(' ');
            }

            var relative = relatives[random.Next(relatives.Count)];
            if (i % 4 == 0)
            {
                text.Append($"{relative.GivenName} {relative.FamilyName} was also present.");
            }

            db.Add(new CaseNote
            {
                Id = Guid.NewGuid(),
                PersonId = subject.Id,
                ContactType = "visit",
                ContactDate = today.AddDays(-random.Next(1, 5000)),
                Participants = i % 4 == 0 ? $"{relative.GivenName} {relative.FamilyName}" : null,
                ParticipantPersonIds = i % 4 == 0 ? [relative.Id] : [],
                Text = text.ToString().Trim(),
                Source = "family",
                CreatedByUserId = worker,
                CreatedAt = now,
            });
        }

        for (var i = 0; i < entries * 15 / 100; i++)
        {
            db.Add(new CaseWorry { Id = Guid.NewGuid(), PersonId = subject.Id, Kind = i % 3 == 0 ? "worry" : i % 3 == 1 ? "working_well" : "next_step", Text = Sentences[i % Sentences.Length], RecordedOn = today.AddDays(-random.Next(1, 5000)), Source = "family", CreatedByUserId = worker, CreatedAt = now });
        }

        var planType = CaseWorkLists.PlanTypes[0].Code;
        for (var i = 0; i < entries * 5 / 100; i++)
        {
            var started = today.AddDays(-random.Next(10, 5000));
            db.Add(new CasePlan { Id = Guid.NewGuid(), PersonId = subject.Id, PlanType = planType, StartedOn = started, ReviewOn = started.AddDays(90), Outcome = "Plan reviewed; actions carried forward.", Source = "family", CreatedByUserId = worker, CreatedAt = now });
        }

        for (var i = 0; i < entries * 3 / 100; i++)
        {
            var from = today.AddDays(-random.Next(10, 5000));
            db.Add(new CaseService { Id = Guid.NewGuid(), PersonId = subject.Id, Name = "Family support", Provider = "Kingston Family Hub", FromDate = from, ToDate = from.AddDays(60), Source = "family", CreatedByUserId = worker, CreatedAt = now });
        }

        for (var i = 0; i < entries * 2 / 100; i++)
        {
            var from = today.AddDays(-(i + 1) * 20);
            db.Add(new Address { Id = Guid.NewGuid(), PersonId = subject.Id, Line1 = $"{i + 1} Bench Street", Town = "Kingston upon Thames", Postcode = "KT1 1AA", LivedFrom = from, LivedTo = from.AddDays(19), CreatedAt = now });
        }

        for (var i = 0; i < entries / 100; i++)
        {
            var type = i % 2 == 0 ? "disability" : "youth_justice";
            db.Add(new Involvement
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation,
                PersonId = subject.Id,
                InvolvementType = type,
                StartedOn = today.AddDays(-(i + 1) * 30),
                EndedOn = today.AddDays(-(i + 1) * 30 + 20),
                DetailsSealed = await cipher.SealAsync(organisation, InvolvementService.DetailsPurpose(type), "Details of the involvement and the plan agreed with the family."),
                Source = "family",
                CreatedAt = now,
            });
        }

        foreach (var relative in relatives)
        {
            db.Add(new Relationship { Id = Guid.NewGuid(), OrganisationId = organisation, PersonId = subject.Id, RelatedPersonId = relative.Id, RelationshipType = "other", Source = "family", CreatedAt = now });
        }

        var text200 = Encoding.UTF8.GetBytes(string.Join(' ', Sentences));
        var pdfBytes = new byte[50_000];
        random.NextBytes(pdfBytes);
        for (var i = 0; i < documents; i++)
        {
            var isText = i % 2 == 0;
            var content = isText ? text200 : pdfBytes;
            db.Add(new CaseDocument
            {
                Id = Guid.NewGuid(),
                PersonId = subject.Id,
                Title = $"Document {i + 1}",
                FileName = isText ? $"note-{i + 1}.txt" : $"report-{i + 1}.pdf",
                ContentType = isText ? "text/plain; charset=utf-8" : "application/pdf",
                Kind = isText ? "text" : "pdf",
                SizeBytes = content.Length,
                ContentSealed = await cipher.SealBytesAsync(organisation, DocumentService.ContentPurpose, content),
                Source = "family",
                CreatedByUserId = worker,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync();
        return subject.Id;
    }

    /// <summary>The rows the search reads, as bare SQL read to the end: the floor any search could reach.</summary>
    private static async Task<long> RawQueriesAsync(EmbeddedPostgres cluster, Guid subject)
    {
        string[] queries =
        [
            "SELECT * FROM people WHERE id = ANY(@ids)",
            "SELECT * FROM person_names WHERE person_id = ANY(@ids)",
            "SELECT * FROM addresses WHERE person_id = ANY(@ids)",
            "SELECT * FROM case_notes WHERE person_id = ANY(@ids)",
            "SELECT * FROM case_worries WHERE person_id = ANY(@ids)",
            "SELECT * FROM case_plans WHERE person_id = ANY(@ids)",
            "SELECT * FROM case_services WHERE person_id = ANY(@ids)",
            "SELECT * FROM case_offences WHERE person_id = ANY(@ids)",
            "SELECT id, person_id, title, file_name, kind, size_bytes, source, created_at FROM case_documents WHERE person_id = ANY(@ids)",
            "SELECT id, content_sealed FROM case_documents WHERE person_id = ANY(@ids) AND kind = 'text'",
            "SELECT * FROM involvements WHERE person_id = ANY(@ids)",
            "SELECT * FROM court_orders WHERE person_id = ANY(@ids)",
            "SELECT * FROM professionals_involved WHERE person_id = ANY(@ids)",
            "SELECT * FROM relationships WHERE person_id = ANY(@ids) OR related_person_id = ANY(@ids)",
            "SELECT * FROM household_members WHERE person_id = ANY(@ids)",
            "SELECT * FROM people WHERE id IN (SELECT related_person_id FROM relationships WHERE person_id = ANY(@ids))",
            "SELECT * FROM case_notes WHERE participant_person_ids && @ids AND NOT person_id = ANY(@ids)",
            "SELECT * FROM education_providers WHERE person_id = ANY(@ids)",
            "SELECT * FROM send_provisions WHERE person_id = ANY(@ids)",
            "SELECT * FROM education_plans WHERE person_id = ANY(@ids)",
            "SELECT * FROM attendance_records WHERE person_id = ANY(@ids)",
            "SELECT * FROM school_exclusions WHERE person_id = ANY(@ids)",
            "SELECT * FROM achievements WHERE person_id = ANY(@ids)",
            "SELECT * FROM person_consents WHERE person_id = ANY(@ids)",
            "SELECT * FROM record_statements WHERE person_id = ANY(@ids)",
            "SELECT * FROM processing_restrictions WHERE person_id = ANY(@ids)",
            "SELECT * FROM disclosures WHERE person_id = ANY(@ids)",
            "SELECT seq, occurred_at, actor_user_id, actor_role, action, purpose, person_ids FROM audit_events WHERE person_ids && @ids",
            "SELECT * FROM record_access_grants WHERE person_id = ANY(@ids)",
            "SELECT * FROM break_glass_events WHERE person_id = ANY(@ids)",
        ];
        long rows = 0;
        await using var connection = new NpgsqlConnection(cluster.AppConnectionString());
        await connection.OpenAsync();
        foreach (var sql in queries)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("ids", new[] { subject });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }

                rows++;
            }
        }

        return rows;
    }

    private static int CountPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var count = 0;
        for (var at = text.IndexOf("/Type /Page /Parent", StringComparison.Ordinal); at >= 0; at = text.IndexOf("/Type /Page /Parent", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static ServiceProvider Services(EmbeddedPostgres cluster) => BenchServices.Build(cluster, EmbeddedPostgres.DatabaseName, services =>
    {
        services.AddScoped<RightsRequestService>();
        services.AddScoped<SubjectDataSearch>();
        services.AddScoped<AccessReviewService>();
    });
}
