using System.Collections.Concurrent;
using System.Text.Json;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Privacy;

/// <summary>One immutable version of an organisation's register, as imported or edited.</summary>
public sealed class RegisterVersion
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public int Version { get; set; }
    public DateOnly EffectiveFrom { get; set; }
    public string FileName { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public string Document { get; set; } = string.Empty;
    public Guid? ChangedByUserId { get; set; }
    public string ChangedBy { get; set; } = string.Empty;
    public DateTimeOffset ChangedAt { get; set; }
    public string Reason { get; set; } = string.Empty;
}

public sealed class RegisterVersionConfiguration : IEntityTypeConfiguration<RegisterVersion>
{
    public void Configure(EntityTypeBuilder<RegisterVersion> builder)
    {
        builder.ToTable("register_versions");
        builder.Property(v => v.Document).HasColumnType("jsonb");
    }
}

public static class RegisterAuditActions
{
    public const string Imported = "register.imported";
    public const string ImportRejected = "register.import_rejected";
    public const string CollectionRefused = "register.collection_refused";
    public const string DisclosureRefused = "register.disclosure_refused";
    public const string Exported = "register.exported";
}

/// <summary>A register file to import: its name (for error messages) and its text.</summary>
public sealed record RegisterFile(string Name, string Text);

public sealed record ImportResult(IReadOnlyList<RegisterError> Errors, IReadOnlyList<RegisterVersionSummary> Versions)
{
    public bool Imported => Errors.Count == 0;
}

public sealed record RegisterVersionSummary(Guid Id, Guid OrganisationId, string OrganisationCode, string OrganisationName, int Version, DateOnly EffectiveFrom,
    string FileName, string ChangedBy, DateTimeOffset ChangedAt, string Reason);

/// <summary>A register version with its document, as the notices and enforcement points read it.</summary>
public sealed record LoadedRegister(RegisterVersionSummary Version, RegisterDocument Document);

/// <summary>
/// Holds each organisation's privacy register: imports (all-or-nothing, versioned with who, when and why), the
/// version in force on any date, and the history. Register versions are immutable, so a loaded document is cached
/// by version id and never goes stale.
/// </summary>
public sealed class RegisterService(HavenDbContext db, AuditWriter audit, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConcurrentDictionary<Guid, RegisterDocument> Documents = new();

    /// <summary>Checks files without storing anything.</summary>
    public static IReadOnlyList<RegisterError> Check(IReadOnlyList<RegisterFile> files) => ParseAll(files).Errors;

    /// <summary>
    /// Imports register files as new versions. Every file is checked first; if any has a problem, nothing is stored
    /// and every problem is returned with its file and line. With <paramref name="onlyOrganisationId"/>, a file for
    /// any other organisation is refused (a DPO imports their own organisation's register).
    /// </summary>
    public async Task<ImportResult> ImportAsync(IReadOnlyList<RegisterFile> files, string reason, Guid? actorId, string actorName,
        Guid? onlyOrganisationId = null, CancellationToken cancellationToken = default)
    {
        var (documents, errors) = ParseAll(files);
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new RegisterError("(import)", 1, "Enter why the register is changing"));
        }
        else if (reason.Length > 500)
        {
            errors.Add(new RegisterError("(import)", 1, "The reason must be 500 characters or fewer"));
        }

        var organisations = await db.Organisations.ToDictionaryAsync(o => o.ShortName, cancellationToken);
        foreach (var (file, document) in documents)
        {
            if (onlyOrganisationId is { } only && (!organisations.TryGetValue(document.Organisation.Code, out var existing) || existing.Id != only))
            {
                errors.Add(new RegisterError(file.Name, LineOf(file.Text, "code:"), $"This file is for '{document.Organisation.Code}', and you can import only your own organisation's register"));
            }
        }

        if (errors.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.ImportRejected, null, "privacy register",
                $"{files.Count} file(s), {errors.Count} problem(s): {string.Join(", ", files.Select(f => f.Name))}"), cancellationToken);
            return new ImportResult(errors, []);
        }

        var now = clock.GetUtcNow();
        var summaries = new List<RegisterVersionSummary>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (file, document) in documents)
        {
            if (!organisations.TryGetValue(document.Organisation.Code, out var organisation))
            {
                organisation = new Organisation { Id = Guid.NewGuid(), ShortName = document.Organisation.Code, Name = document.Organisation.Name, CreatedAt = now };
                db.Organisations.Add(organisation);
                organisations[organisation.ShortName] = organisation;
            }
            else
            {
                organisation.Name = document.Organisation.Name;
            }

            await db.SaveChangesAsync(cancellationToken);
            var version = (await db.Set<RegisterVersion>().Where(v => v.OrganisationId == organisation.Id).MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1;
            var row = new RegisterVersion
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation.Id,
                Version = version,
                EffectiveFrom = document.Notice.EffectiveFrom,
                FileName = Path.GetFileName(file.Name),
                Source = file.Text,
                Document = JsonSerializer.Serialize(document, Json),
                ChangedByUserId = actorId,
                ChangedBy = actorName,
                ChangedAt = now,
                Reason = reason.Trim(),
            };
            db.Set<RegisterVersion>().Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.Imported, null, "privacy register",
                $"{organisation.ShortName} version {version} effective from {row.EffectiveFrom:yyyy-MM-dd} from {row.FileName}"), cancellationToken);
            summaries.Add(Summary(row, organisation));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ImportResult([], summaries);
    }

    /// <summary>The register in force for an organisation on a date (today when not given), or null when it has none.</summary>
    public async Task<LoadedRegister?> InForceAsync(Guid organisationId, DateOnly? on = null, CancellationToken cancellationToken = default)
    {
        var date = on ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var id = await db.Set<RegisterVersion>().AsNoTracking()
            .Where(v => v.OrganisationId == organisationId && v.EffectiveFrom <= date)
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Version)
            .Select(v => (Guid?)v.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return id is null ? null : await LoadAsync(id.Value, cancellationToken);
    }

    public async Task<LoadedRegister?> LoadAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        var row = await (from v in db.Set<RegisterVersion>().AsNoTracking()
                         join o in db.Organisations on v.OrganisationId equals o.Id
                         where v.Id == versionId
                         select new { Version = v, Organisation = o }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var document = Documents.GetOrAdd(row.Version.Id, _ => JsonSerializer.Deserialize<RegisterDocument>(row.Version.Document, Json)!);
        return new LoadedRegister(Summary(row.Version, row.Organisation), document);
    }

    /// <summary>The source file of a version, so a DPO can download it, edit it and import it again.</summary>
    public Task<string?> SourceAsync(Guid versionId, CancellationToken cancellationToken = default) =>
        db.Set<RegisterVersion>().Where(v => v.Id == versionId).Select(v => v.Source).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<RegisterVersionSummary>> VersionsAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, cancellationToken);
        var rows = await db.Set<RegisterVersion>().AsNoTracking().Where(v => v.OrganisationId == organisationId)
            .OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return rows.Select(r => Summary(r, organisation)).ToList();
    }

    /// <summary>Organisations that have a register, for the public list of notices and the DPO's list.</summary>
    public async Task<IReadOnlyList<Organisation>> OrganisationsWithRegisterAsync(CancellationToken cancellationToken = default)
    {
        var ids = db.Set<RegisterVersion>().Select(v => v.OrganisationId);
        return await db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Name).ToListAsync(cancellationToken);
    }

    public Task<Organisation?> OrganisationByCodeAsync(string code, CancellationToken cancellationToken = default) =>
        db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.ShortName == code, cancellationToken);

    private static (List<(RegisterFile File, RegisterDocument Document)> Documents, List<RegisterError> Errors) ParseAll(IReadOnlyList<RegisterFile> files)
    {
        var errors = new List<RegisterError>();
        var documents = new List<(RegisterFile, RegisterDocument)>();
        if (files.Count == 0)
        {
            errors.Add(new RegisterError("(import)", 1, "Select at least one register file"));
        }

        var seen = new Dictionary<string, string>();
        foreach (var file in files)
        {
            var (document, fileErrors) = RegisterParser.Parse(file.Name, file.Text, Taxonomy.BuiltIn);
            errors.AddRange(fileErrors);
            if (document is null)
            {
                continue;
            }

            if (seen.TryGetValue(document.Organisation.Code, out var other))
            {
                errors.Add(new RegisterError(file.Name, LineOf(file.Text, "code:"), $"'{document.Organisation.Code}' is also the organisation in {other}: import one file per organisation"));
                continue;
            }

            seen[document.Organisation.Code] = file.Name;
            documents.Add((file, document));
        }

        return (documents, errors);
    }

    private static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(marker, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 1;
    }

    private static RegisterVersionSummary Summary(RegisterVersion v, Organisation o) =>
        new(v.Id, o.Id, o.ShortName, o.Name, v.Version, v.EffectiveFrom, v.FileName, v.ChangedBy, v.ChangedAt, v.Reason);
}
