using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Haven.Core.Audit;
using Haven.Core.CaseWork;
using Haven.Tests.Infrastructure;
using Haven.Tests.Unit;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

/// <summary>Case work: notes and contacts, worries and strengths, plans, services, offences and documents.</summary>
public sealed partial class CaseWorkTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Sam = "sam.worker@demo.haven.test";
    private const string Lee = "lee.lead@demo.haven.test";
    private const string Maria = "maria.manager@demo.haven.test";
    private HavenFactory _factory = null!;
    private Guid _amara;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());
        _amara = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Amara").Select(p => p.Id).SingleAsync());
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static async Task<HttpClient> ClientAsync(HavenFactory factory, string email)
    {
        var client = factory.NewClient();
        await TestSignIn.SignInAsync(factory, client, email);
        return client;
    }

    private Task<HttpClient> ClientAsync(string email) => ClientAsync(_factory, email);

    private static string Day(DateOnly d) => d.Day.ToString(CultureInfo.InvariantCulture);
    private static string Month(DateOnly d) => d.Month.ToString(CultureInfo.InvariantCulture);
    private static string Year(DateOnly d) => d.Year.ToString(CultureInfo.InvariantCulture);
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static void PutDate(Dictionary<string, string> form, string name, DateOnly date)
    {
        form[name + "Day"] = Day(date);
        form[name + "Month"] = Month(date);
        form[name + "Year"] = Year(date);
    }

    private static Dictionary<string, string> NoteForm(string text)
    {
        var form = new Dictionary<string, string>
        {
            ["ContactType"] = "visit",
            ["ContactTime"] = "14:30",
            ["Participants"] = "Amara\nDanielle Clarke (mother)",
            ["Text"] = text,
            ["Source"] = "family",
        };
        PutDate(form, "ContactDate", Today.AddDays(-1));
        return form;
    }

    private Task<int> CountAsync<T>()
        where T : CaseWorkEntry => _factory.WithDbAsync(db => db.Set<T>().CountAsync());

    private Task<List<Haven.Core.Data.Entities.AuditEvent>> AuditAsync(string action) =>
        _factory.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == action).OrderBy(e => e.Seq).ToListAsync());

    private static async Task<string> ApiTokenAsync(HttpClient client)
    {
        var home = await client.GetStringAsync("/", Ct);
        return ApiTokenPattern().Match(home).Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> ApiPostAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", await ApiTokenAsync(client));
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid personId, string fileName, byte[] content, string? source = "school", string? title = null)
    {
        var token = await TestSignIn.AntiforgeryTokenAsync(client, $"/people/{personId}/documents/new");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        if (source is not null)
        {
            form.Add(new StringContent(source), "Source");
        }

        if (title is not null)
        {
            form.Add(new StringContent(title), "Title");
        }

        var file = new ByteArrayContent(content);
        // What the browser claims is ignored: Haven decides from the content.
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "File", fileName);
        return await client.PostAsync($"/people/{personId}/documents/new", form, Ct);
    }

    [Fact]
    public async Task A_case_note_is_recorded_through_the_page_with_its_source_and_audited()
    {
        using var sam = await ClientAsync(Sam);
        var before = await CountAsync<CaseNote>();
        var form = NoteForm("Amara talked about her swimming lessons.\nShe seemed happy and relaxed.");
        var danielle = await _factory.WithDbAsync(db => db.People.Where(p => p.GivenName == "Danielle").Select(p => p.Id).SingleAsync());
        form["ParticipantRecordNumbers"] = danielle.ToString();
        var response = await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/people/{_amara}#case-work", response.Headers.Location!.OriginalString);
        Assert.Equal(before + 1, await CountAsync<CaseNote>());

        var details = await sam.GetStringAsync($"/people/{_amara}", Ct);
        Assert.Contains("Case note added", details, StringComparison.Ordinal);
        Assert.Contains("Amara talked about her swimming lessons.", details, StringComparison.Ordinal);
        var notes = await sam.GetStringAsync($"/people/{_amara}/notes", Ct);
        Assert.Contains("She seemed happy and relaxed.", notes, StringComparison.Ordinal);
        Assert.Contains("Visit on", notes, StringComparison.Ordinal);
        Assert.Contains("at 14:30", notes, StringComparison.Ordinal);
        Assert.Contains($"href=\"/people/{danielle}\"", notes, StringComparison.Ordinal);

        var note = await _factory.WithDbAsync(db => db.Set<CaseNote>().OrderByDescending(n => n.CreatedAt).FirstAsync());
        Assert.Equal("family", note.Source);
        Assert.Equal(new TimeOnly(14, 30), note.ContactTime);
        Assert.Equal([danielle], note.ParticipantPersonIds);
        var added = Assert.Single(await AuditAsync(CaseWorkAuditActions.NoteAdded));
        Assert.Equal([_amara], added.PersonIds);
        Assert.NotNull(added.ActorUserId);
    }

    [Fact]
    public async Task Bad_note_input_gets_an_error_for_each_field_and_nothing_is_stored()
    {
        using var sam = await ClientAsync(Sam);
        var before = await CountAsync<CaseNote>();

        var empty = await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", new Dictionary<string, string>());
        var html = await empty.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("Select type of contact", html, StringComparison.Ordinal);
        Assert.Contains("Enter the date of the contact", html, StringComparison.Ordinal);
        Assert.Contains("Enter note", html, StringComparison.Ordinal);
        Assert.Contains("Select source of information", html, StringComparison.Ordinal);

        var bad = NoteForm(new string('x', CaseWorkService.NoteMaxLength + 1));
        bad["ContactType"] = "carrier_pigeon";
        bad["ContactTime"] = "25:99";
        bad["ParticipantRecordNumbers"] = "not-a-record-number";
        bad["Source"] = "rumour";
        PutDate(bad, "ContactDate", Today.AddDays(3));
        html = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", bad)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Select type of contact from the list", html, StringComparison.Ordinal);
        Assert.Contains("Date of the contact must be today or in the past", html, StringComparison.Ordinal);
        Assert.Contains("Enter the time of the contact using the 24-hour clock", html, StringComparison.Ordinal);
        Assert.Contains("Enter Haven record numbers as they appear on each record", html, StringComparison.Ordinal);
        Assert.Contains($"Note must be {CaseWorkService.NoteMaxLength} characters or fewer", html, StringComparison.Ordinal);
        Assert.Contains("Select source of information from the list", html, StringComparison.Ordinal);

        // A date that is not a real date is caught by the page; the other fields are still checked and nothing is stored.
        var unreal = NoteForm("A good note");
        unreal["ContactDateMonth"] = "13";
        unreal["ParticipantRecordNumbers"] = Guid.NewGuid().ToString();
        html = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", unreal)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Date of the contact must be a real date", html, StringComparison.Ordinal);
        Assert.Contains("One or more Haven record numbers were not found", html, StringComparison.Ordinal);
        Assert.Contains("A good note", html, StringComparison.Ordinal);

        Assert.Equal(before, await CountAsync<CaseNote>());
        Assert.Empty(await AuditAsync(CaseWorkAuditActions.NoteAdded));
    }

    [Fact]
    public async Task Worries_plans_and_services_are_recorded_through_the_pages_with_their_checks()
    {
        using var sam = await ClientAsync(Sam);
        var worry = new Dictionary<string, string> { ["Kind"] = "working_well", ["Text"] = "Grandad walks Amara to school on Tuesdays", ["Source"] = "child" };
        PutDate(worry, "RecordedOn", Today);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/worries/new", worry)).StatusCode);

        var plansBefore = await CountAsync<CasePlan>();
        var plan = new Dictionary<string, string> { ["PlanType"] = "child_in_need_plan", ["Outcome"] = "Plan agreed at the meeting", ["Source"] = "other_agency" };
        PutDate(plan, "StartedOn", Today.AddDays(-10));
        PutDate(plan, "ReviewOn", Today.AddDays(-10));
        PutDate(plan, "CompletedOn", Today.AddDays(-11));
        var html = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/plans/new", plan)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Review date must be after the start date", html, StringComparison.Ordinal);
        Assert.Contains("Completion date must be the same as or after the start date", html, StringComparison.Ordinal);
        Assert.Equal(plansBefore, await CountAsync<CasePlan>());
        PutDate(plan, "ReviewOn", Today.AddDays(80));
        plan.Remove("CompletedOnDay");
        plan.Remove("CompletedOnMonth");
        plan.Remove("CompletedOnYear");
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/plans/new", plan)).StatusCode);
        Assert.Equal(plansBefore + 1, await CountAsync<CasePlan>());

        var service = new Dictionary<string, string> { ["Name"] = "Holiday activity club", ["Provider"] = "Kingston Youth Service", ["Source"] = "family" };
        PutDate(service, "FromDate", Today.AddDays(-5));
        PutDate(service, "ToDate", Today.AddDays(-6));
        html = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/services/new", service)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("End date must be the same as or after the start date", html, StringComparison.Ordinal);
        service.Remove("Source");
        PutDate(service, "ToDate", Today);
        html = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/services/new", service)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Select source of information", html, StringComparison.Ordinal);
        service["Source"] = "family";
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/services/new", service)).StatusCode);

        var details = await sam.GetStringAsync($"/people/{_amara}", Ct);
        Assert.Contains("Grandad walks Amara to school on Tuesdays", details, StringComparison.Ordinal);
        Assert.Contains("Child in need plan", details, StringComparison.Ordinal);
        Assert.Contains("Holiday activity club", details, StringComparison.Ordinal);
        Assert.Contains("Kingston Youth Service", details, StringComparison.Ordinal);
        Assert.Single(await AuditAsync(CaseWorkAuditActions.WorryAdded));
        Assert.Single(await AuditAsync(CaseWorkAuditActions.PlanAdded));
        Assert.Single(await AuditAsync(CaseWorkAuditActions.ServiceAdded));
    }

    [Fact]
    public async Task The_api_records_and_lists_case_work_and_reports_errors_by_field()
    {
        using var sam = await ClientAsync(Sam);
        var yesterday = Today.AddDays(-1);
        var created = await ApiPostAsync(sam, $"/api/v1/people/{_amara}/notes",
            new { contactType = "phone_call", contactDate = yesterday, contactTime = "09:15", text = "Called mum about the dentist", source = "family" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(sam, $"/api/v1/people/{_amara}/worries",
            new { kind = "next_step", text = "Book a dentist appointment", recordedOn = Today, source = "family" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(sam, $"/api/v1/people/{_amara}/plans",
            new { planType = "early_help_assessment", startedOn = yesterday, reviewOn = Today.AddDays(30), source = "school" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(sam, $"/api/v1/people/{_amara}/services",
            new { name = "Speech and language therapy", provider = "Kingston Hospital", fromDate = yesterday, source = "health_visitor" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(sam, $"/api/v1/people/{_amara}/offences",
            new { description = "Shoplifting (API)", status = "alleged", source = "police" })).StatusCode);

        var invalid = await ApiPostAsync(sam, $"/api/v1/people/{_amara}/plans",
            new { planType = "early_help_assessment", startedOn = yesterday, reviewOn = yesterday.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors");
        Assert.Equal("Review date must be after the start date", errors.GetProperty("ReviewOn")[0].GetString());
        Assert.Equal("Select source of information", errors.GetProperty("Source")[0].GetString());

        var work = await sam.GetFromJsonAsync<Haven.Web.Api.CaseWorkResponse>($"/api/v1/people/{_amara}/case-work", Ct);
        Assert.Contains(work!.Notes, n => n.Text == "Called mum about the dentist" && n.ContactTime == new TimeOnly(9, 15) && n.Source == "family" && n.RecordedBy == "Sam Okafor");
        Assert.Contains(work.Worries, w => w.Text == "Book a dentist appointment" && w.Kind == "next_step");
        Assert.Contains(work.Plans, p => p.PlanType == "early_help_assessment" && p.Source == "school");
        Assert.Contains(work.Services, s => s.Name == "Speech and language therapy");
        Assert.Contains(work.Offences, o => o.Description == "Shoplifting (API)" && o.Status == "alleged" && o.Source == "police");
        Assert.Contains(work.Documents, d => d.FileName == CaseWorkDemo.LetterFileName);

        // Without the antiforgery header a cookie-authenticated write is refused.
        using var bare = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/people/{_amara}/notes") { Content = JsonContent.Create(new { text = "x" }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await sam.SendAsync(bare, Ct)).StatusCode);
    }

    [Fact]
    public async Task Html_and_script_in_case_work_are_stored_as_text_and_shown_inert()
    {
        using var sam = await ClientAsync(Sam);
        const string Script = "<script>alert('note')</script>";
        const string Image = "<img src=x onerror=alert(1)>";
        var note = NoteForm(Script + "\n" + Image);
        note["Participants"] = "<b>Mum</b>";
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", note)).StatusCode);
        var worry = new Dictionary<string, string> { ["Kind"] = "worry", ["Text"] = Script, ["Source"] = "school" };
        PutDate(worry, "RecordedOn", Today);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/worries/new", worry)).StatusCode);
        var offence = new Dictionary<string, string> { ["Description"] = Image, ["Status"] = "proven", ["Proceedings"] = Script, ["Source"] = "police" };
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/offences/new", offence)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(sam, _amara, "<script>x.txt", SampleFiles.Text, title: Script)).StatusCode);

        Assert.Equal(Script + "\n" + Image, await _factory.WithDbAsync(db => db.Set<CaseNote>().OrderByDescending(n => n.CreatedAt).Select(n => n.Text).FirstAsync()));
        foreach (var page in new[] { $"/people/{_amara}", $"/people/{_amara}/notes" })
        {
            var html = await sam.GetStringAsync(page, Ct);
            Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>Mum</b>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
        }

        // The form shows rejected input back encoded too.
        var bad = NoteForm(Script);
        bad.Remove("Source");
        var again = await (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/notes/new", bad)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(Script, again, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offences_and_document_content_are_sealed_so_a_database_dump_shows_none_of_them()
    {
        using var sam = await ClientAsync(Sam);
        var offence = new Dictionary<string, string>
        {
            ["Description"] = "OffenceMarker-4c1d criminal damage",
            ["Status"] = "proven",
            ["Proceedings"] = "SentenceMarker-8e2f referral order",
            ["Source"] = "police",
        };
        PutDate(offence, "OffenceDate", new DateOnly(2024, 2, 29));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSignIn.PostFormAsync(sam, $"/people/{_amara}/offences/new", offence)).StatusCode);
        var documentText = System.Text.Encoding.UTF8.GetBytes("DocumentMarker-19ab private letter\n");
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(sam, _amara, "letter.txt", documentText)).StatusCode);

        var details = await sam.GetStringAsync($"/people/{_amara}", Ct);
        Assert.Contains("OffenceMarker-4c1d criminal damage", details, StringComparison.Ordinal);
        Assert.Contains("SentenceMarker-8e2f referral order", details, StringComparison.Ordinal);
        Assert.Contains("29 Feb 2024", details, StringComparison.Ordinal);
        Assert.Single(await AuditAsync(CaseWorkAuditActions.OffenceAdded));
        Assert.Contains(await AuditAsync(CaseWorkAuditActions.OffencesViewed), e => e.PersonIds.SequenceEqual([_amara]));
        Assert.DoesNotContain(await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Details ?? string.Empty).ToListAsync()),
            d => d.Contains("OffenceMarker", StringComparison.Ordinal));

        var dump = await DumpAsync();
        Assert.Contains("Amara", dump, StringComparison.Ordinal);
        Assert.Contains("case_offences", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("OffenceMarker-4c1d", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("SentenceMarker-8e2f", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("2024-02-29", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("proven", dump.Replace("'proven'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("DocumentMarker-19ab", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(documentText), dump, StringComparison.Ordinal);
    }

    private Task<string> DumpAsync() => _factory.DumpAsync(Ct);

    public static TheoryData<string, string, string> AllowedUploads => new()
    {
        { "report.pdf", "pdf", "application/pdf" },
        { "photo.png", "png", "image/png" },
        { "photo.jpg", "jpeg", "image/jpeg" },
        { "drawing.gif", "gif", "image/gif" },
        { "notes.txt", "text", "text/plain; charset=utf-8" },
        { "plan.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "plan.odt", "odt", "application/vnd.oasis.opendocument.text" },
    };

    private static byte[] Sample(string kind) => kind switch
    {
        "pdf" => SampleFiles.Pdf,
        "png" => SampleFiles.Png,
        "jpeg" => SampleFiles.Jpeg,
        "gif" => SampleFiles.Gif,
        "text" => SampleFiles.Text,
        "docx" => SampleFiles.Docx,
        _ => SampleFiles.Odt,
    };

    [Theory]
    [MemberData(nameof(AllowedUploads))]
    public async Task Allowed_types_upload_and_download_as_attachments_with_the_sniffed_type(string fileName, string kind, string contentType)
    {
        using var sam = await ClientAsync(Sam);
        var content = Sample(kind);
        var response = await UploadAsync(sam, _amara, "C:\\fakepath\\" + fileName, content, title: "Evidence " + kind);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await _factory.WithDbAsync(db => db.Set<CaseDocument>().SingleAsync(d => d.Title == "Evidence " + kind));
        Assert.Equal(fileName, stored.FileName);
        Assert.Equal(kind, stored.Kind);
        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.NotEqual(content, stored.ContentSealed);
        Assert.Contains($"/documents/{stored.Id}", await sam.GetStringAsync($"/people/{_amara}", Ct), StringComparison.Ordinal);

        foreach (var path in new[] { $"/documents/{stored.Id}", $"/api/v1/documents/{stored.Id}" })
        {
            using var download = await sam.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(contentType, download.Content.Headers.ContentType!.ToString());
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(fileName, download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
            Assert.Equal("nosniff", string.Join(",", download.Headers.GetValues("X-Content-Type-Options")));
        }

        Assert.Single(await AuditAsync(CaseWorkAuditActions.DocumentUploaded));
        var downloads = await AuditAsync(CaseWorkAuditActions.DocumentDownloaded);
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, e => Assert.Equal([_amara], e.PersonIds));
        Assert.Contains(await AuditAsync(AuditActions.PersonRecordViewed), e => e.Purpose == "download document" && e.PersonIds.SequenceEqual([_amara]));
    }

    [Fact]
    public async Task A_disguised_or_mismatched_upload_gets_a_clear_error_and_nothing_is_stored()
    {
        using var sam = await ClientAsync(Sam);
        var before = await CountAsync<CaseDocument>();

        var program = await UploadAsync(sam, _amara, "report.pdf", SampleFiles.Executable);
        var html = await program.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, program.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("The selected file must be a PDF, PNG, JPG, GIF, TXT, DOCX or ODT", html, StringComparison.Ordinal);
        Assert.Contains("govuk-file-upload--error", html, StringComparison.Ordinal);

        var renamed = await (await UploadAsync(sam, _amara, "photo.pdf", SampleFiles.Png)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("The selected file is called .pdf but its content is a PNG image", renamed, StringComparison.Ordinal);

        var zip = await (await UploadAsync(sam, _amara, "letter.docx", SampleFiles.PlainZip)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("The selected file must be a PDF", zip, StringComparison.Ordinal);

        var empty = await (await UploadAsync(sam, _amara, "empty.txt", [])).Content.ReadAsStringAsync(Ct);
        Assert.Contains("The selected file is empty", empty, StringComparison.Ordinal);

        var noSource = await (await UploadAsync(sam, _amara, "notes.txt", SampleFiles.Text, source: null)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Select source of information", noSource, StringComparison.Ordinal);

        Assert.Equal(before, await CountAsync<CaseDocument>());
        Assert.Empty(await AuditAsync(CaseWorkAuditActions.DocumentUploaded));
    }

    [Fact]
    public async Task An_oversize_upload_gets_a_clear_error_and_nothing_is_stored()
    {
        await using var small = new HavenFactory(cluster, _factory.Database, new Dictionary<string, string?> { ["Haven:Documents:MaxUploadBytes"] = "2048" });
        using var sam = await ClientAsync(small, Sam);
        var before = await CountAsync<CaseDocument>();

        // Just over the limit: the form is read and the page says why.
        var over = Enumerable.Repeat((byte)'a', 2049).ToArray();
        var response = await UploadAsync(sam, _amara, "long.txt", over);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The selected file must be smaller than 2 KB", html, StringComparison.Ordinal);

        // Far over the limit: the body is not read; the upload page comes back with the same message.
        var huge = new byte[(int)new DocumentOptions { MaxUploadBytes = 2048 }.MaxRequestBytes + 4096];
        huge.AsSpan().Fill((byte)'b');
        response = await UploadAsync(sam, _amara, "huge.txt", huge);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal($"/people/{_amara}/documents/new?problem=too-large", location);
        var page = await sam.GetAsync(location, Ct);
        html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("The selected file must be smaller than 2 KB", html, StringComparison.Ordinal);

        // The API says the same with 413.
        using var form = new MultipartFormDataContent { { new StringContent("school"), "source" }, { new ByteArrayContent(huge), "file", "huge.txt" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/people/{_amara}/documents") { Content = form };
        request.Headers.Add("RequestVerificationToken", await ApiTokenAsync(sam));
        var api = await sam.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, api.StatusCode);
        Assert.Contains("The selected file must be smaller than 2 KB", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Within the limit it works.
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(sam, _amara, "short.txt", SampleFiles.Text)).StatusCode);
        Assert.Equal(before + 1, await CountAsync<CaseDocument>());
    }

    [Fact]
    public async Task The_api_uploads_a_document_checked_by_content()
    {
        using var sam = await ClientAsync(Sam);
        async Task<HttpResponseMessage> PostAsync(string name, byte[] content)
        {
            using var form = new MultipartFormDataContent { { new StringContent("gp"), "source" }, { new StringContent("GP letter"), "title" }, { new ByteArrayContent(content), "file", name } };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/people/{_amara}/documents") { Content = form };
            request.Headers.Add("RequestVerificationToken", await ApiTokenAsync(sam));
            return await sam.SendAsync(request, Ct);
        }

        var created = await PostAsync("gp-letter.pdf", SampleFiles.Pdf);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<Haven.Web.Api.CreatedEntry>(Ct))!.Id;
        Assert.Equal(SampleFiles.Pdf, await sam.GetByteArrayAsync($"/api/v1/documents/{id}", Ct));

        var disguised = await PostAsync("gp-letter.pdf", SampleFiles.Executable);
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
        Assert.Contains("The selected file must be a PDF", await disguised.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_a_relationship_cannot_read_or_add_case_work()
    {
        var documentId = await _factory.WithDbAsync(db => db.Set<CaseDocument>().Where(d => d.PersonId == _amara).Select(d => d.Id).FirstAsync());
        var notesBefore = await CountAsync<CaseNote>();
        using (var lee = await ClientAsync(Lee))
        {
            var details = await lee.GetAsync($"/people/{_amara}", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, details.StatusCode);
            Assert.DoesNotContain("Home visit after school", await details.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            var notes = await lee.GetAsync($"/people/{_amara}/notes", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, notes.StatusCode);
            Assert.DoesNotContain("Home visit after school", await notes.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/people/{_amara}/notes/new", Ct)).StatusCode);
            var download = await lee.GetAsync($"/documents/{documentId}", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
            Assert.DoesNotContain("breakfast club", await download.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/documents/{documentId}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await lee.GetAsync($"/api/v1/people/{_amara}/case-work", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await ApiPostAsync(lee, $"/api/v1/people/{_amara}/notes",
                new { contactType = "visit", contactDate = Today, text = "Should not be stored", source = "family" })).StatusCode);
        }

        var leeId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == Lee).Select(u => u.Id).SingleAsync());
        var denied = await AuditAsync(AuditActions.PersonRecordDenied);
        Assert.Contains(denied, e => e.ActorUserId == leeId && e.Purpose == "read case notes" && e.PersonIds.SequenceEqual([_amara]));
        Assert.Contains(denied, e => e.ActorUserId == leeId && e.Purpose == "download document");

        // A manager may record case work in general, but not on a record they have no relationship with.
        using (var maria = await ClientAsync(Maria))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await maria.GetAsync($"/people/{_amara}/notes/new", Ct)).StatusCode);
            var refused = await TestSignIn.PostFormAsync(maria, $"/people/{_amara}/notes/new", NoteForm("Should not be stored either"), $"/people/{_amara}");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal($"/people/{_amara}", refused.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.Forbidden, (await ApiPostAsync(maria, $"/api/v1/people/{_amara}/notes",
                new { contactType = "visit", contactDate = Today, text = "Should not be stored", source = "family" })).StatusCode);
        }

        Assert.Equal(notesBefore, await CountAsync<CaseNote>());
        Assert.Empty(await AuditAsync(CaseWorkAuditActions.NoteAdded));
        Assert.Empty(await AuditAsync(CaseWorkAuditActions.DocumentDownloaded));
    }

    [Fact]
    public async Task The_demo_child_has_case_work_to_show()
    {
        using var sam = await ClientAsync(Sam);
        var html = await sam.GetStringAsync($"/people/{_amara}", Ct);
        Assert.Contains("Case work", html, StringComparison.Ordinal);
        Assert.Contains("Team around the family meeting", html, StringComparison.Ordinal);
        Assert.Contains("Family support plan", html, StringComparison.Ordinal);
        Assert.Contains("Breakfast club", html, StringComparison.Ordinal);
        Assert.Contains("Letter from school about attendance", html, StringComparison.Ordinal);
        var documentId = await _factory.WithDbAsync(db => db.Set<CaseDocument>().Where(d => d.FileName == CaseWorkDemo.LetterFileName).Select(d => d.Id).SingleAsync());
        Assert.Contains("breakfast club", await sam.GetStringAsync($"/documents/{documentId}", Ct), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"haven-antiforgery\" content=\"([^\"]+)\"")]
    private static partial Regex ApiTokenPattern();
}
