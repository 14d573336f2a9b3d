using System.IO.Compression;
using System.Text;
using Haven.Core.CaseWork;

namespace Haven.Tests.Unit;

/// <summary>Small, valid-enough examples of each accepted file type, and some that must be refused.</summary>
public static class SampleFiles
{
    public static byte[] Pdf => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    public static byte[] Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];
    public static byte[] Jpeg => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0xFF, 0xD9];
    public static byte[] Gif => [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B];
    public static byte[] Text => Encoding.UTF8.GetBytes("Visit notes\nAmara said she liked her new school — “it's fun”.\n");

    /// <summary>A Windows program's first bytes: the MZ header and the PE signature.</summary>
    public static byte[] Executable
    {
        get
        {
            var bytes = new byte[256];
            bytes[0] = (byte)'M';
            bytes[1] = (byte)'Z';
            bytes[0x3C] = 0x80;
            "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
            return bytes;
        }
    }

    public static byte[] Docx => Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("_rels/.rels", "<Relationships/>"), ("word/document.xml", "<w:document/>"));

    public static byte[] Odt => Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>"));

    public static byte[] PlainZip => Zip(("readme.txt", "hello"));

    public static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }
}

public sealed class ContentSnifferTests
{
    public static TheoryData<string, string> Accepted => new()
    {
        { "report.pdf", "pdf" },
        { "photo.png", "png" },
        { "photo.JPG", "jpeg" },
        { "photo.jpeg", "jpeg" },
        { "drawing.gif", "gif" },
        { "notes.txt", "text" },
        { "letter.docx", "docx" },
        { "letter.odt", "odt" },
    };

    private static byte[] SampleFor(string kind) => kind switch
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
    [MemberData(nameof(Accepted))]
    public void Accepted_types_are_recognised_from_their_content(string fileName, string kind)
    {
        var (type, error) = ContentSniffer.Check(fileName, SampleFor(kind));
        Assert.Null(error);
        Assert.Equal(kind, type!.Kind);
    }

    [Fact]
    public void A_program_renamed_as_a_pdf_is_refused()
    {
        var (type, error) = ContentSniffer.Check("report.pdf", SampleFiles.Executable);
        Assert.Null(type);
        Assert.Equal("The selected file must be a " + ContentSniffer.AllowedList, error);
    }

    [Theory]
    [InlineData("photo.pdf")]
    [InlineData("photo.txt")]
    [InlineData("photo")]
    public void A_name_that_disagrees_with_the_content_is_refused(string fileName)
    {
        var (type, error) = ContentSniffer.Check(fileName, SampleFiles.Png);
        Assert.Null(type);
        Assert.NotNull(error);
    }

    [Fact]
    public void Other_content_is_not_recognised()
    {
        Assert.Null(ContentSniffer.Sniff([]));
        Assert.Null(ContentSniffer.Sniff(SampleFiles.PlainZip));
        Assert.Null(ContentSniffer.Sniff([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]));
        Assert.Null(ContentSniffer.Sniff("text with a NUL\0 in it"u8));
        Assert.Null(ContentSniffer.Sniff([0x68, 0x69, 0xC3, 0x28]));
        Assert.Null(ContentSniffer.Sniff("<svg onload=alert(1)>\u0001</svg>"u8));
        // A script is plain text: accepted only as .txt, and always sent back as text/plain with nosniff.
        Assert.Equal("text", ContentSniffer.Sniff("<script>alert(1)</script>"u8)!.Kind);
        Assert.NotNull(ContentSniffer.Check("page.html", "<script>alert(1)</script>"u8).Error);
    }

    [Theory]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("C:\\Users\\sam\\Desktop\\letter.pdf", "letter.pdf")]
    [InlineData("evil\u0000name\u202E.txt", "evilname.txt")]
    [InlineData("\"quoted\";.pdf", "quoted;.pdf")]
    [InlineData("...", "document")]
    public void File_names_are_cleaned_to_a_display_name(string given, string expected) =>
        Assert.Equal(expected, DocumentService.CleanFileName(given));
}
