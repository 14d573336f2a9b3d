using System.Globalization;
using System.Text;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Core.CaseWork;

/// <summary>Limits for uploaded documents and photos (configuration section <c>Haven:Documents</c>).</summary>
public sealed class DocumentOptions
{
    public const string Section = "Haven:Documents";

    /// <summary>The largest file accepted, in bytes. Default 10 MB.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Room for the rest of a multipart form (other fields, boundaries, headers) on top of the file.</summary>
    public const long FormOverheadBytes = 1024 * 1024;

    public long MaxRequestBytes => MaxUploadBytes + FormOverheadBytes;

    /// <summary>The limit as people read it, like "10 MB".</summary>
    public string MaxUploadDescription => DescribeSize(MaxUploadBytes);

    public string TooLargeMessage => $"The selected file must be smaller than {MaxUploadDescription}";

    public static string DescribeSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}

[CollectionPoint("care.documents")]
public sealed record DocumentInput(string? Title, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source, string? FileName, byte[]? Content) : IValueCategories
{
    /// <summary>A photo is an image of the person as well as a document.</summary>
    public IEnumerable<(string Field, string Category)> ValueCategories() =>
        Content is { Length: > 0 } && ContentSniffer.Sniff(Content) is { ContentType: var type } && type.StartsWith("image/", StringComparison.Ordinal)
            ? [("Content", "identity.image")]
            : [];
}

/// <summary>A document opened for download: the sniffed type, never the uploader's claim.</summary>
public sealed record OpenedDocument(Guid Id, Guid PersonId, string FileName, string ContentType, byte[] Content);

/// <summary>
/// Stores documents and photos sealed with the organisation's data key. The type is decided from the content; the
/// name must agree with it. Callers decide access first (RecordAccessService.OpenRecordAsync); uploads and
/// downloads are audited here with the person's id.
/// </summary>
public sealed class DocumentService(HavenDbContext db, AuditWriter audit, FieldCipher cipher, CollectionGuard guard, TimeProvider clock, IOptions<DocumentOptions> options)
{
    public const string ContentPurpose = "casework.document";

    public DocumentOptions Options => options.Value;

    public async Task<CaseWorkResult> UploadAsync(Guid actorId, Guid personId, DocumentInput input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        SniffedType? type = null;
        if (input.Content is null || string.IsNullOrEmpty(input.FileName))
        {
            errors["File"] = "Select a file";
        }
        else if (input.Content.Length == 0)
        {
            errors["File"] = "The selected file is empty";
        }
        else if (input.Content.LongLength > Options.MaxUploadBytes)
        {
            errors["File"] = Options.TooLargeMessage;
        }
        else
        {
            string? error;
            (type, error) = ContentSniffer.Check(CleanFileName(input.FileName), input.Content);
            if (error is not null)
            {
                errors["File"] = error;
            }
        }

        if (TextInput.Check(input.Title, "Description", 200, required: false) is { } titleError)
        {
            errors["Title"] = titleError;
        }

        if (ReferenceData.InformationSources.Check(input.Source, "Source of information") is { } sourceError)
        {
            errors["Source"] = sourceError;
        }

        if (errors.Count == 0)
        {
            foreach (var (field, message) in await guard.CheckForPersonAsync(personId, input, cancellationToken))
            {
                errors.TryAdd(field == "Content" || field == "FileName" ? "File" : field, message);
            }
        }

        if (errors.Count > 0 || validateOnly)
        {
            return new CaseWorkResult(errors, null);
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var document = new CaseDocument
        {
            Id = Guid.NewGuid(),
            PersonId = personId,
            Title = string.IsNullOrWhiteSpace(input.Title) ? null : TextInput.Clean(input.Title),
            FileName = CleanFileName(input.FileName!),
            ContentType = type!.ContentType,
            Kind = type.Kind,
            SizeBytes = input.Content!.LongLength,
            Source = input.Source!,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        document.ContentSealed = await cipher.SealBytesAsync(organisationId, ContentPurpose, input.Content, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<CaseDocument>().Add(document);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseWorkAuditActions.DocumentUploaded, [personId], "case work",
            $"document {document.Id}: {document.Kind}, {document.SizeBytes} bytes"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CaseWorkResult(errors, document.Id);
    }

    /// <summary>Which person a document belongs to, so the caller can decide access before anything is opened.</summary>
    public Task<Guid?> PersonOfAsync(Guid documentId, CancellationToken cancellationToken = default) =>
        db.Set<CaseDocument>().Where(d => d.Id == documentId).Select(d => (Guid?)d.PersonId).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Opens a document for download and records the download. Call only after access has been decided.</summary>
    public async Task<OpenedDocument?> OpenAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        var row = await (from d in db.Set<CaseDocument>().AsNoTracking()
                         join p in db.People on d.PersonId equals p.Id
                         where d.Id == documentId
                         select new { Document = d, p.OrganisationId }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var document = row.Document;
        var content = await cipher.OpenBytesAsync(row.OrganisationId, ContentPurpose, document.ContentSealed, cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseWorkAuditActions.DocumentDownloaded, [document.PersonId], "case work", $"document {document.Id}"), cancellationToken);
        // The type sent is the one found from the content when it was uploaded.
        var type = ContentSniffer.ByKind(document.Kind)!;
        return new OpenedDocument(document.Id, document.PersonId, document.FileName, type.ContentType, content);
    }

    /// <summary>
    /// The name shown and offered on download: the last path segment only, without control or invisible formatting
    /// characters, at most 150 characters. It is never used to build a path.
    /// </summary>
    public static string CleanFileName(string fileName)
    {
        var name = fileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
                || c is '"' or '<' or '>' or ':' or '*' or '?' or '|')
            {
                continue;
            }

            builder.Append(c);
        }

        name = builder.ToString().Trim().TrimStart('.').Trim();
        if (name.Length > 150)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length <= 10 ? extension : string.Empty;
            name = name[..(150 - extension.Length)] + extension;
        }

        return name.Length == 0 ? "document" : name;
    }
}
