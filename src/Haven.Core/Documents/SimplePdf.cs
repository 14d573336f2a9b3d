using System.Globalization;
using System.Text;

namespace Haven.Core.Documents;

/// <summary>
/// A small, dependency-free PDF writer for Haven's text documents (the Article 30 record, and later disclosure
/// bundles): A4 pages, wrapped text in the standard Helvetica fonts that every PDF reader has, so nothing is
/// embedded. Characters outside Windows-1252 are written as '?'.
/// </summary>
public sealed class SimplePdf
{
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double Margin = 50;

    // Helvetica glyph widths (per 1000 units of font size) for ASCII 32..126, from the standard font metrics.
    private static readonly short[] Widths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
        278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
        611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    private static readonly Encoding WinAnsi = CodePagesEncoding();

    private readonly List<StringBuilder> _pages = [];
    private StringBuilder? _page;
    private double _y;

    public string Title { get; init; } = "Document";

    /// <summary>When set, every page gets a footer: this text on the left and "Page X of Y" on the right.</summary>
    public string? Footer { get; init; }

    /// <summary>The number of pages so far.</summary>
    public int PageCount => _pages.Count;

    /// <summary>Starts a new page (unless the current page is still empty) and returns its number, counting from 1.</summary>
    public int PageBreak()
    {
        if (_page is null || _page.Length > 0)
        {
            NewPage();
        }

        return _pages.Count;
    }

    /// <summary>A line with text on the left and a short value (such as a page number) against the right margin.</summary>
    public void Row(string left, string right, double size = 11, bool bold = false)
    {
        var lineHeight = size * 1.3;
        if (_page is null || _y + lineHeight > PageHeight - Margin)
        {
            NewPage();
        }

        _y += lineHeight;
        var rightWidth = Measure(right, size, bold);
        var available = PageWidth - 2 * Margin - rightWidth - 12;
        var text = left;
        while (text.Length > 1 && Measure(text, size, bold) > available)
        {
            text = text[..^2] + "…";
        }

        var font = bold ? "F2" : "F1";
        _page!.Append(CultureInfo.InvariantCulture, $"BT /{font} {N(size)} Tf {N(Margin)} {N(PageHeight - _y)} Td {PdfString(text)} Tj ET\n");
        _page.Append(CultureInfo.InvariantCulture, $"BT /{font} {N(size)} Tf {N(PageWidth - Margin - rightWidth)} {N(PageHeight - _y)} Td {PdfString(right)} Tj ET\n");
    }

    /// <summary>Adds the pages of another document after this one's (for a front matter laid out after the body).</summary>
    public void Append(SimplePdf other)
    {
        _pages.AddRange(other._pages);
        _page = _pages.Count == 0 ? null : _pages[^1];
        _y = other._y;
    }

    public void Heading(string text, double size = 14) => Write(text, size, bold: true, indent: 0);

    public void Paragraph(string text, double size = 10, bool bold = false, double indent = 0) => Write(text, size, bold, indent);

    public void Space(double points = 8) => _y += points;

    public byte[] ToBytes()
    {
        if (_pages.Count == 0)
        {
            NewPage();
        }

        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            string.Empty, // pages, filled in below
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            $"<< /Title {PdfString(Title)} /Producer (Haven) >>",
        };
        var kids = new List<int>();
        for (var number = 1; number <= _pages.Count; number++)
        {
            var content = _pages[number - 1].ToString();
            if (Footer is not null)
            {
                var pageText = $"Page {number} of {_pages.Count}";
                content += string.Create(CultureInfo.InvariantCulture,
                    $"BT /F1 8 Tf {N(Margin)} {N(Margin / 2)} Td {PdfString(Footer)} Tj ET\nBT /F1 8 Tf {N(PageWidth - Margin - Measure(pageText, 8, false))} {N(Margin / 2)} Td {PdfString(pageText)} Tj ET\n");
            }
            objects.Add($"<< /Length {WinAnsi.GetByteCount(content)} >>\nstream\n{content}\nendstream");
            var contentId = objects.Count;
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(PageWidth)} {N(PageHeight)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {contentId} 0 R >>");
            kids.Add(objects.Count);
        }

        objects[1] = $"<< /Type /Pages /Kids [{string.Join(" ", kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>";

        using var stream = new MemoryStream();
        void Put(string text) => stream.Write(WinAnsi.GetBytes(text));
        Put("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(stream.Position);
            Put($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = stream.Position;
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Put(table.ToString());
        return stream.ToArray();
    }

    /// <summary>The width of a line of text in points, measured with the Helvetica metrics (bold measured a little wider to be safe).</summary>
    public static double Measure(string text, double size, bool bold)
    {
        double units = 0;
        foreach (var c in text)
        {
            units += c is >= ' ' and <= '~' ? Widths[c - ' '] : 600;
        }

        return units * size / 1000 * (bold ? 1.08 : 1.0);
    }

    private void Write(string text, double size, bool bold, double indent)
    {
        var lineHeight = size * 1.3;
        foreach (var line in Wrap(text, size, bold, PageWidth - 2 * Margin - indent))
        {
            if (_page is null || _y + lineHeight > PageHeight - Margin)
            {
                NewPage();
            }

            _y += lineHeight;
            _page!.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {N(size)} Tf {N(Margin + indent)} {N(PageHeight - _y)} Td {PdfString(line)} Tj ET\n");
        }
    }

    private void NewPage()
    {
        _page = new StringBuilder();
        _pages.Add(_page);
        _y = Margin;
    }

    private static IEnumerable<string> Wrap(string text, double size, bool bold, double width)
    {
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            // Widths add up word by word (Helvetica has no kerning here), so each word is measured once.
            var line = new StringBuilder();
            var lineWidth = 0.0;
            var space = Measure(" ", size, bold);
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = Measure(word, size, bold);
                if (line.Length > 0 && lineWidth + space + wordWidth > width)
                {
                    yield return line.ToString();
                    line.Clear().Append(word);
                    lineWidth = wordWidth;
                }
                else
                {
                    if (line.Length > 0)
                    {
                        line.Append(' ');
                        lineWidth += space;
                    }

                    line.Append(word);
                    lineWidth += wordWidth;
                }

                // A single word wider than the line (a long URL) is broken by characters.
                while (lineWidth > width && line.Length > 1)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && Measure(line.ToString(0, cut), size, bold) > width)
                    {
                        cut--;
                    }

                    yield return line.ToString(0, cut);
                    line.Remove(0, cut);
                    lineWidth = Measure(line.ToString(), size, bold);
                }
            }

            yield return line.ToString();
        }
    }

    private static string PdfString(string text)
    {
        var builder = new StringBuilder(text.Length + 8).Append('(');
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' and not ('(' or ')' or '\\'))
            {
                builder.Append(c);
                continue;
            }

            var bytes = WinAnsi.GetBytes(c.ToString());
            var ch = bytes.Length == 1 && (bytes[0] != '?' || c == '?') ? c : '?';
            builder.Append(ch switch
            {
                '(' => "\\(",
                ')' => "\\)",
                '\\' => "\\\\",
                _ when ch < ' ' => " ",
                _ => ch.ToString(),
            });
        }

        return builder.Append(')').ToString();
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback);
    }
}
