using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Haven.Core.Privacy;

/// <summary>
/// The record of processing activities (UK GDPR Article 30(1)) for one organisation: one row per processing activity,
/// as CSV for spreadsheets and as a PDF for people.
/// </summary>
public static class Article30Export
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "Organisation", "Controller", "ICO registration", "Data Protection Officer", "Service", "Activity", "Purpose", "Article 6 lawful basis",
        "Article 9 condition", "Schedule 1 condition (special category)", "Article 10 basis", "Schedule 1 condition (criminal offence)", "Legislation",
        "Categories of personal data", "Special category or criminal offence data", "Categories of data subjects", "Sources", "Recipients",
        "Processors", "Overseas transfers and safeguards", "Retention", "Rights", "Providing data", "Automated decisions", "Security measures",
        "Register version", "In force from",
    ];

    public static IEnumerable<IReadOnlyList<string>> Rows(LoadedRegister loaded)
    {
        var register = loaded.Document;
        var org = register.Organisation;
        foreach (var (service, a) in register.Activities())
        {
            var sensitive = a.Categories.Select(c => Taxonomy.BuiltIn.Find(c.Category)).OfType<DataCategory>()
                .Where(c => c.Special || c.Criminal).Select(c => $"{c.Label} ({(c.Special ? "special category" : "criminal offence")})");
            yield return
            [
                org.Name, org.Controller, org.IcoRegistration ?? "", string.Join(", ", org.DataProtectionOfficer.Values()), service.Name, a.Code, a.Purpose,
                Join(a.LawfulBases.Select(b => RegisterCodes.Label(RegisterCodes.LawfulBases, b.Code))),
                Join(a.SpecialCategory?.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article9, c)) ?? []),
                Join(a.SpecialCategory?.Schedule1.Select(c => RegisterCodes.Label(RegisterCodes.Schedule1, c)) ?? []),
                Join(a.CriminalOffence?.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article10, c)) ?? []),
                Join(a.CriminalOffence?.Schedule1.Select(c => RegisterCodes.Label(RegisterCodes.Schedule1, c)) ?? []),
                Join(a.Legislation),
                Join(a.Categories.Select(c => $"{Taxonomy.BuiltIn.Label(c.Category)} [{c.Category}]").Distinct()),
                Join(sensitive.Distinct()),
                Join(a.DataSubjects), Join(a.Sources),
                Join(a.Recipients.Select(r => $"{r.Name} ({RegisterCodes.Label(RegisterCodes.LawfulBases, r.Basis)}{(r.Country is null ? "" : ", " + r.Country)})")),
                Join(a.Processors.Select(p => p.Service is null ? p.Name : $"{p.Name} ({p.Service})")),
                a.Transfers.Allowed ? $"Allowed; safeguard: {RegisterCodes.Label(RegisterCodes.TransferSafeguards, a.Transfers.Safeguard ?? "")}{(a.Transfers.Countries.Count > 0 ? "; " + Join(a.Transfers.Countries) : "")}" : "None",
                Join(a.Retention.Select(r => $"{r.RecordType}: {NoticeBuilder.Describe(r)}")),
                Join(a.Rights.Select(r => RegisterCodes.Label(RegisterCodes.Rights, r.Code) + (r.Limits is null ? "" : $" (limits: {r.Limits})"))),
                a.Requirement is null ? "" : (a.Requirement.Required ? "Required. " : "Not required. ") + a.Requirement.Wording,
                a.AutomatedDecisions ?? "",
                Join(org.SecurityMeasures.Concat(a.SecurityMeasures)),
                loaded.Version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                loaded.Version.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ];
        }
    }

    public static string Csv(LoadedRegister loaded)
    {
        var builder = new StringBuilder();
        builder.AppendLine(string.Join(",", Columns.Select(Cell)));
        foreach (var row in Rows(loaded))
        {
            builder.AppendLine(string.Join(",", row.Select(Cell)));
        }

        return builder.ToString();
    }

    /// <summary>A CSV cell, quoted, with a leading apostrophe where a spreadsheet would otherwise run it as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Join(IEnumerable<string> values) => string.Join("; ", values);

    public static byte[] Pdf(LoadedRegister loaded, DateTimeOffset generatedAt)
    {
        DejaVuFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Record of processing activities: {loaded.Document.Organisation.Name}";
        document.Info.Author = "Haven";
        var writer = new PdfWriter(document);
        writer.Heading($"Record of processing activities (UK GDPR Article 30)", 16);
        writer.Line(loaded.Document.Organisation.Name, bold: true);
        writer.Line($"Register version {loaded.Version.Version}, in force from {loaded.Version.EffectiveFrom:d MMMM yyyy}. Generated {generatedAt:d MMMM yyyy HH:mm} UTC.");
        writer.Space();
        foreach (var row in Rows(loaded))
        {
            writer.Heading($"{row[4]}: {row[6]}", 12);
            for (var i = 0; i < Columns.Count; i++)
            {
                if (i is 0 or 4 or 6 or 25 or 26 || string.IsNullOrEmpty(row[i]))
                {
                    continue;
                }

                writer.Field(Columns[i], row[i]);
            }

            writer.Space();
        }

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Writes wrapped text down A4 pages, starting a new page when one fills.</summary>
    private sealed class PdfWriter(PdfDocument document)
    {
        private const double Margin = 50;
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        private XGraphics Graphics
        {
            get
            {
                if (_graphics is null)
                {
                    NewPage();
                }

                return _graphics!;
            }
        }

        private double Width => _page!.Width.Point - 2 * Margin;

        public void Heading(string text, double size) => Write(text, new XFont(DejaVuFonts.Family, size, XFontStyleEx.Bold), 0);

        public void Line(string text, bool bold = false) => Write(text, new XFont(DejaVuFonts.Family, 10, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular), 0);

        public void Field(string label, string value)
        {
            Write(label, new XFont(DejaVuFonts.Family, 9, XFontStyleEx.Bold), 0);
            Write(value, new XFont(DejaVuFonts.Family, 9, XFontStyleEx.Regular), 10);
        }

        public void Space() => _y += 8;

        private void Write(string text, XFont font, double indent)
        {
            var graphics = Graphics;
            var lineHeight = font.GetHeight() * 1.15;
            foreach (var line in Wrap(graphics, text, font, Width - indent))
            {
                if (_y + lineHeight > _page!.Height.Point - Margin)
                {
                    NewPage();
                    graphics = _graphics!;
                }

                graphics.DrawString(line, font, XBrushes.Black, new XPoint(Margin + indent, _y + font.GetHeight()));
                _y += lineHeight;
            }
        }

        private static IEnumerable<string> Wrap(XGraphics graphics, string text, XFont font, double width)
        {
            foreach (var paragraph in text.Split('\n'))
            {
                var line = new StringBuilder();
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (line.Length > 0 && graphics.MeasureString(candidate, font).Width > width)
                    {
                        yield return line.ToString();
                        line.Clear().Append(word);
                    }
                    else
                    {
                        line.Clear().Append(candidate);
                    }
                }

                yield return line.ToString();
            }
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }
    }
}

/// <summary>Gives PDFsharp the DejaVu Sans font from the Debian fonts-dejavu-core package (installed by the project's scripts).</summary>
internal sealed class DejaVuFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Folder = "/usr/share/fonts/truetype/dejavu/";
    private static readonly Lock Gate = new();

    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not DejaVuFonts)
            {
                GlobalFontSettings.FontResolver = new DejaVuFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName)
    {
        var path = Path.Combine(Folder, faceName + ".ttf");
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new InvalidOperationException($"The font {path} is missing. Install the Debian package fonts-dejavu-core (scripts/install-prerequisites.sh does).");
    }
}
