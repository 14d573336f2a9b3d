using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Haven.Core.Documents;
using Haven.Core.Privacy;

namespace Haven.Core.Rights;

/// <summary>What a bundle says about the request it answers.</summary>
public sealed record BundleContext(string Reference, string OrganisationName, DateTimeOffset GeneratedAt, IReadOnlyList<string> SubjectNames,
    string RequesterName, string? RequesterAddress, DateOnly ReceivedOn, string Relationship);

/// <summary>The files sent to the requester, and one hash over all of them.</summary>
public sealed record BundleFiles(byte[] Pdf, byte[] LetterPdf, byte[] Json, byte[] Csv, string Sha256);

/// <summary>
/// Builds the disclosure bundle from data that has already been redacted: a paginated PDF with a cover, an index
/// giving the page of every section, the entries and a list of what was removed and why (counts by ground, never the
/// removed text); the same data as JSON and as CSV; and the cover letter with the Article 15 information taken from
/// the privacy register in force.
/// </summary>
public static class DisclosureBundleBuilder
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static BundleFiles Build(BundleContext context, DisclosedData data, RegisterDocument? register, IReadOnlyCollection<string> serviceCodes)
    {
        var pdf = Pdf(context, data);
        var letter = Letter(context, data, register, serviceCodes);
        var json = Json(context, data);
        var csv = Csv(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { pdf, letter, json, csv })
        {
            hash.AppendData(SHA256.HashData(part));
        }

        return new BundleFiles(pdf, letter, json, csv, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public static byte[] Pdf(BundleContext context, DisclosedData data)
    {
        // The body first, so the index knows where each section starts; then the front matter, whose own length
        // offsets every page number.
        var body = new SimplePdf();
        var starts = new List<(string Title, int Count, int Page)>();
        foreach (var section in data.Sections)
        {
            var page = body.PageBreak();
            starts.Add((section.Title, section.Entries.Count, page));
            body.Heading(section.Title, 16);
            body.Paragraph(section.Description, 10);
            body.Space(6);
            if (section.Entries.Count == 0)
            {
                body.Paragraph("We hold no information of this kind about you.", 10);
            }

            foreach (var entry in section.Entries)
            {
                body.Paragraph((entry.Date is { } date ? Day(date) + " - " : string.Empty) + entry.Title, 10, bold: true);
                body.Paragraph(entry.Text, 10);
                if (entry.Source is not null)
                {
                    body.Paragraph("Source: " + entry.Source, 8);
                }

                body.Space(6);
            }
        }

        var removedPage = body.PageBreak();
        starts.Add(("What we removed and why", data.RedactionCount + data.WithheldCount, removedPage));
        body.Heading("What we removed and why", 16);
        Removed(body, data);

        var frontLength = Front(context, data, starts, 0).PageCount;
        var front = Front(context, data, starts, frontLength);
        var document = new SimplePdf { Title = $"Disclosure {context.Reference}", Footer = $"{context.Reference} - {context.OrganisationName} - confidential" };
        document.Append(front);
        document.Append(body);
        return document.ToBytes();
    }

    private static SimplePdf Front(BundleContext context, DisclosedData data, List<(string Title, int Count, int Page)> starts, int offset)
    {
        var front = new SimplePdf();
        front.Heading("Your personal information", 20);
        front.Space(10);
        front.Paragraph($"Reference: {context.Reference}", 12);
        front.Paragraph($"From: {context.OrganisationName}", 12);
        front.Paragraph($"About: {string.Join(", ", context.SubjectNames)}", 12);
        front.Paragraph($"Request received: {Day(context.ReceivedOn)}", 12);
        front.Paragraph($"Prepared: {Day(DateOnly.FromDateTime(context.GeneratedAt.UtcDateTime))}", 12);
        front.Space(10);
        front.Paragraph($"This bundle contains {data.EntryCount} entries: a copy of the information we hold about you, in the sections listed in the contents. "
            + "Some information about other people, or information the law allows us to keep back, has been removed. Where words were removed you will see a note such as "
            + $"\"{Redactor.Marker("third_party")}\" in their place. The last section explains what we removed and why.", 11);
        front.Space(6);
        front.Paragraph("The same information is also provided as a JSON file and a CSV file that a computer can read.", 11);
        front.PageBreak();
        front.Heading("Contents", 16);
        front.Space(6);
        foreach (var (title, count, page) in starts)
        {
            front.Row($"{title} ({count})", (page + offset).ToString(CultureInfo.InvariantCulture));
        }

        return front;
    }

    private static void Removed(SimplePdf pdf, DisclosedData data)
    {
        if (data.RedactionCount == 0 && data.WithheldCount == 0)
        {
            pdf.Paragraph("We have not removed anything.", 10);
            return;
        }

        pdf.Paragraph("The law allows, and sometimes requires, us to remove some information before we send it: for example information about other people, "
            + "or information that would be likely to cause serious harm. We have not told you what was removed, only why.", 10);
        pdf.Space(6);
        if (data.RedactionCount > 0)
        {
            pdf.Paragraph("Words removed from entries", 12, bold: true);
            foreach (var g in data.Redacted)
            {
                pdf.Paragraph($"{g.Count} {(g.Count == 1 ? "place" : "places")}: {g.Label}", 10, indent: 10);
            }

            pdf.Space(6);
        }

        if (data.WithheldCount > 0)
        {
            pdf.Paragraph("Entries not included", 12, bold: true);
            foreach (var g in data.Withheld)
            {
                pdf.Paragraph($"{g.Count} {(g.Count == 1 ? "entry" : "entries")}: {g.Label}", 10, indent: 10);
            }
        }
    }

    public static byte[] Json(BundleContext context, DisclosedData data)
    {
        var document = new
        {
            schema = "haven.disclosure-bundle.v1",
            reference = context.Reference,
            organisation = context.OrganisationName,
            subjects = context.SubjectNames,
            receivedOn = context.ReceivedOn,
            generatedAt = context.GeneratedAt,
            entryCount = data.EntryCount,
            sections = data.Sections.Select(s => new
            {
                code = s.Code,
                title = s.Title,
                description = s.Description,
                entries = s.Entries.Select(e => new { item = e.Key, date = e.Date, title = e.Title, text = e.Text, source = e.Source }),
            }),
            removed = new
            {
                redacted = data.Redacted.Select(g => new { ground = g.Ground, reason = g.Label, count = g.Count }),
                withheld = data.Withheld.Select(g => new { ground = g.Ground, reason = g.Label, count = g.Count }),
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions);
    }

    public static byte[] Csv(DisclosedData data)
    {
        var csv = new StringBuilder("section,date,title,text,source,item\r\n");
        foreach (var section in data.Sections)
        {
            foreach (var e in section.Entries)
            {
                csv.Append(Cell(section.Title)).Append(',')
                    .Append(e.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                    .Append(Cell(e.Title)).Append(',')
                    .Append(Cell(e.Text)).Append(',')
                    .Append(Cell(e.Source ?? string.Empty)).Append(',')
                    .Append(e.Key).Append("\r\n");
            }
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
    }

    /// <summary>The cover letter: what is enclosed, what was removed and why, and the Article 15 information from the register.</summary>
    public static byte[] Letter(BundleContext context, DisclosedData data, RegisterDocument? register, IReadOnlyCollection<string> serviceCodes)
    {
        var pdf = new SimplePdf { Title = $"Letter {context.Reference}", Footer = $"{context.Reference} - {context.OrganisationName}" };
        pdf.Paragraph(context.OrganisationName, 12, bold: true);
        pdf.Paragraph(Day(DateOnly.FromDateTime(context.GeneratedAt.UtcDateTime)), 10);
        pdf.Space(6);
        pdf.Paragraph(context.RequesterName, 10);
        if (context.RequesterAddress is { } address)
        {
            pdf.Paragraph(address, 10);
        }

        pdf.Space(10);
        pdf.Heading($"Your request for information: {context.Reference}");
        pdf.Paragraph($"Dear {context.RequesterName},", 10);
        pdf.Space(4);
        var about = context.Relationship is RightsCodes.RelationshipSelf or RightsCodes.RelationshipChild ? "you" : string.Join(", ", context.SubjectNames);
        pdf.Paragraph($"We received your request on {Day(context.ReceivedOn)} for a copy of the information we hold about {about}. "
            + $"We searched all of our records, including where {about} {(about == "you" ? "appear" : "appears")} in other people's records and who has looked at the record.", 10);
        pdf.Space(4);
        pdf.Paragraph("We have enclosed:", 10);
        pdf.Paragraph($"- a PDF with {data.EntryCount} entries, with a contents page", 10, indent: 10);
        pdf.Paragraph("- the same information as a JSON file and as a CSV file, which a computer can read", 10, indent: 10);
        pdf.Space(4);
        if (data.RedactionCount + data.WithheldCount > 0)
        {
            pdf.Paragraph("We have removed some information, as the law allows:", 10);
            foreach (var g in data.Redacted)
            {
                pdf.Paragraph($"- words in {g.Count} {(g.Count == 1 ? "place" : "places")}: {g.Label}", 10, indent: 10);
            }

            foreach (var g in data.Withheld)
            {
                pdf.Paragraph($"- {g.Count} {(g.Count == 1 ? "entry" : "entries")}: {g.Label}", 10, indent: 10);
            }

            pdf.Space(4);
        }

        pdf.Paragraph("The law (Article 15 of the UK General Data Protection Regulation) also entitles you to the following information.", 10);
        pdf.Space(6);
        if (register is null)
        {
            pdf.Paragraph("Our privacy notice explains why we use your information, what we hold, who we share it with and how long we keep it. Ask us for a copy.", 10);
            StandardRights(pdf);
            pdf.Heading("The Information Commissioner's Office", 12);
            pdf.Paragraph("You can complain to the Information Commissioner's Office: ico.org.uk/make-a-complaint, 0303 123 1113.", 10);
            return pdf.ToBytes();
        }

        var services = register.Services.Where(s => serviceCodes.Contains(s.Code) || s.HoldsCaseRecords).ToList();
        if (services.Count == 0)
        {
            services = register.Services.ToList();
        }

        var notices = services.Select(s => NoticeBuilder.ForService(register, s)).ToList();
        (string Id, string Heading)[] parts =
        [
            ("why", "Why we use your information (purposes)"),
            ("basis", "Our legal basis"),
            ("collect", "The kinds of information we hold (categories)"),
            ("sources", "Where your information came from"),
            ("share", "Who we share your information with (recipients)"),
            ("overseas", "Sending your information outside the UK"),
            ("retention", "How long we keep your information"),
            ("required", "Automated decisions"),
            ("rights", "Your other rights"),
        ];
        foreach (var (id, heading) in parts)
        {
            var found = notices.Select(n => (Notice: n, Section: n.Sections.FirstOrDefault(s => s.Id == id))).Where(x => x.Section is not null).ToList();
            if (id == "rights")
            {
                pdf.Heading(heading, 12);
                StandardRights(pdf);
            }
            else if (found.Count == 0)
            {
                continue;
            }
            else
            {
                pdf.Heading(heading, 12);
            }

            foreach (var (notice, section) in found)
            {
                if (found.Count > 1 && notice.ServiceName is not null)
                {
                    pdf.Paragraph(notice.ServiceName, 10, bold: true);
                }

                Blocks(pdf, section!.Blocks);
            }

            pdf.Space(6);
        }

        var general = NoticeBuilder.ForService(register, services[0]);
        foreach (var id in new[] { "complain", "ico" })
        {
            if (general.Sections.FirstOrDefault(s => s.Id == id) is { } section)
            {
                pdf.Heading(section.Heading, 12);
                Blocks(pdf, section.Blocks);
                pdf.Space(6);
            }
        }

        pdf.Space(6);
        pdf.Paragraph("Yours sincerely,", 10);
        pdf.Paragraph($"Data Protection Officer, {register.Organisation.Name}", 10);
        return pdf.ToBytes();
    }

    private static void StandardRights(SimplePdf pdf)
    {
        pdf.Paragraph("You can ask us to correct information that is wrong or incomplete (rectification), to delete information (erasure), "
            + "to stop using information for a time (restriction) and you can object to how we use it (objection). "
            + "You can complain to us and to the Information Commissioner's Office (details below).", 10);
    }

    private static void Blocks(SimplePdf pdf, IReadOnlyList<NoticeBlock> blocks)
    {
        foreach (var block in blocks)
        {
            if (block.Subheading is not null)
            {
                pdf.Paragraph(block.Subheading, 10, bold: true);
            }

            foreach (var paragraph in block.Paragraphs)
            {
                pdf.Paragraph(paragraph, 10);
            }

            foreach (var item in block.Items)
            {
                pdf.Paragraph("- " + item, 10, indent: 10);
            }
        }
    }

    private static string Cell(string value)
    {
        // A cell a spreadsheet would run as a formula is made plain text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Day(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
