using System.IO.Compression;
using System.Text;

namespace Haven.Core.CaseWork;

/// <summary>A file type Haven accepts, found from the content: the stored kind, the type sent on download, the extensions that may name it.</summary>
public sealed record SniffedType(string Kind, string ContentType, string Description, IReadOnlyList<string> Extensions);

/// <summary>
/// Decides what a file is from its bytes, never from its name: PDF, PNG, JPEG, GIF, plain UTF-8 text, Word (DOCX) and
/// OpenDocument text (ODT). Anything else is not recognised, so programs, scripts, archives and disguised files are refused.
/// </summary>
public static class ContentSniffer
{
    public static readonly SniffedType Pdf = new("pdf", "application/pdf", "a PDF", [".pdf"]);
    public static readonly SniffedType Png = new("png", "image/png", "a PNG image", [".png"]);
    public static readonly SniffedType Jpeg = new("jpeg", "image/jpeg", "a JPEG image", [".jpg", ".jpeg"]);
    public static readonly SniffedType Gif = new("gif", "image/gif", "a GIF image", [".gif"]);
    public static readonly SniffedType Text = new("text", "text/plain; charset=utf-8", "a text file", [".txt"]);
    public static readonly SniffedType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document", [".docx"]);
    public static readonly SniffedType Odt = new("odt", "application/vnd.oasis.opendocument.text", "an OpenDocument text file", [".odt"]);

    public static readonly IReadOnlyList<SniffedType> All = [Pdf, Png, Jpeg, Gif, Text, Docx, Odt];

    /// <summary>The types listed for people, like "PDF, PNG, JPEG, GIF, TXT, DOCX or ODT".</summary>
    public const string AllowedList = "PDF, PNG, JPG, GIF, TXT, DOCX or ODT";

    private const string OdtMimeType = "application/vnd.oasis.opendocument.text";

    public static SniffedType? ByKind(string kind) => All.FirstOrDefault(t => t.Kind == kind);

    /// <summary>The type the content shows it to be, or null when it is none of the accepted types.</summary>
    public static SniffedType? Sniff(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return null;
        }

        if (content.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            return SniffZip(content.ToArray());
        }

        return IsPlainText(content) ? Text : null;
    }

    /// <summary>
    /// Checks a named upload: the content must be an accepted type and the name must end with one of that type's
    /// extensions. Returns the type, or an error message for the GOV.UK file upload.
    /// </summary>
    public static (SniffedType? Type, string? Error) Check(string fileName, ReadOnlySpan<byte> content)
    {
        var type = Sniff(content);
        if (type is null)
        {
            return (null, $"The selected file must be a {AllowedList}");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!type.Extensions.Contains(extension))
        {
            return (null, string.IsNullOrEmpty(extension)
                ? $"The selected file name must end with its type, like {type.Extensions[0]}"
                : $"The selected file is called {extension} but its content is {type.Description}. Check you chose the right file");
        }

        return (type, null);
    }

    /// <summary>Strict UTF-8 (an optional byte-order mark), no NUL and no control characters other than tab, line feed, carriage return and form feed.</summary>
    private static bool IsPlainText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        foreach (var b in content)
        {
            if ((b < 0x20 && b is not (0x09 or 0x0A or 0x0C or 0x0D)) || b == 0x7F)
            {
                return false;
            }
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Word and OpenDocument files are ZIP archives; only the entry list (and the tiny ODT mimetype entry) is read.</summary>
    private static SniffedType? SniffZip(byte[] content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var names = archive.Entries.Select(e => e.FullName).ToList();
            if (names.Contains("[Content_Types].xml") && names.Any(n => n.StartsWith("word/", StringComparison.Ordinal)))
            {
                return Docx;
            }

            var mimetype = archive.GetEntry("mimetype");
            if (mimetype is not null && mimetype.Length <= 100)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                if (reader.ReadToEnd().Trim() == OdtMimeType)
                {
                    return Odt;
                }
            }
        }
        catch (InvalidDataException)
        {
        }

        return null;
    }
}
