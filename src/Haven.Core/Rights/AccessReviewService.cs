using System.Text.RegularExpressions;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Privacy;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

public static class AccessReviewAuditActions
{
    public const string SubjectDataSearched = "rights.subject_data_searched";
    public const string TermRedacted = "rights.term_redacted";
    public const string ItemWithheld = "rights.item_withheld";
    public const string RedactionRemoved = "rights.redaction_removed";
    public const string BundlePrepared = "rights.bundle_prepared";
    public const string BundleSignedOff = "rights.bundle_signed_off";
    public const string BundleReturned = "rights.bundle_returned";
    public const string BundleDownloaded = "rights.bundle_downloaded";
}

/// <summary>Everything the review workspace shows for one request.</summary>
public sealed record ReviewWorkspace(RightsRequest Request, IReadOnlyList<MatchedSubject> Subjects, SubjectData Data, Redactor Redactor,
    IReadOnlyList<RightsRequestRedaction> Redactions, IReadOnlyList<RedactionSuggestion> Suggestions, IReadOnlyList<BundleSummary> Bundles,
    IReadOnlyDictionary<Guid, string> UserNames, string? NotReady);

/// <summary>A bundle file ready to send.</summary>
public sealed record BundleFile(byte[] Content, string ContentType, string FileName);

/// <summary>
/// The access-request review: find everything about the subject, redact third parties' names and identifiers and
/// withhold items under an exemption (each with its legal ground and reason), prepare the disclosure bundle, and have
/// a second person sign it off. Every step goes through the request service's ChangeAsync (request
/// history and audit chain); reads and downloads are audited too. Another organisation's request is never found.
/// </summary>
public sealed partial class AccessReviewService(HavenDbContext db, RightsRequestService requests, SubjectDataSearch search, RegisterService register,
    AuditWriter audit, TimeProvider clock, Keys.FieldCipher cipher)
{
    public static readonly IReadOnlyList<string> Files = ["bundle.pdf", "letter.pdf", "data.json", "data.csv", "documents.zip"];

    /// <summary>The review workspace, or null when there is no such request in the user's organisation.</summary>
    public async Task<ReviewWorkspace?> WorkspaceAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var request = await requests.FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var subjects = await requests.SubjectsAsync(request.Id, cancellationToken);
        var data = await search.SearchAsync(subjects.Select(s => s.PersonId).ToList(), cancellationToken);
        var redactions = await RedactionsAsync(request.Id, cancellationToken);
        var redactor = Redactor.For(redactions);
        var suggestions = Redactor.Suggest(data, redactions.Where(r => r.Kind == "term").Select(r => r.Term!));
        var bundles = await BundlesAsync(request.Id, cancellationToken);
        var userIds = bundles.Select(b => b.PreparedByUserId).Concat(redactions.Where(r => r.CreatedByUserId != null).Select(r => r.CreatedByUserId!.Value)).Distinct().ToArray();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        await audit.RecordAsync(new AuditEntry(AccessReviewAuditActions.SubjectDataSearched, data.SubjectIds, $"rights request {request.Reference}",
            $"review workspace: {data.EntryCount} entries found"), cancellationToken);
        return new ReviewWorkspace(request, subjects, data, redactor, redactions, suggestions, bundles, names, NotReady(request, subjects.Count));
    }

    /// <summary>What the subject-data API returns: the search with redactions applied and withheld items marked.</summary>
    public async Task<(RightsRequest Request, SubjectData Data, Redactor Redactor)?> SubjectDataAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var request = await requests.FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var subjects = await requests.SubjectsAsync(request.Id, cancellationToken);
        var data = await search.SearchAsync(subjects.Select(s => s.PersonId).ToList(), cancellationToken);
        var redactor = Redactor.For(await RedactionsAsync(request.Id, cancellationToken));
        await audit.RecordAsync(new AuditEntry(AccessReviewAuditActions.SubjectDataSearched, data.SubjectIds, $"rights request {request.Reference}",
            $"subject data read through the API: {data.EntryCount} entries"), cancellationToken);
        return (request, data, redactor);
    }

    /// <summary>Why a bundle cannot be prepared yet, or null when it can.</summary>
    public static string? NotReady(RightsRequest request, int subjectCount)
    {
        if (!request.Rights.Contains(RightsCodes.Access))
        {
            return "This request does not ask for access, so there is no disclosure bundle to prepare";
        }

        if (subjectCount == 0)
        {
            return "Link the request to the record it is about before preparing a bundle";
        }

        if (request.IdentityStatus != "verified")
        {
            return "Confirm the requester's identity before preparing a bundle";
        }

        if (request.AuthorityStatus is not ("not_needed" or "verified"))
        {
            return request.AuthorityStatus == "refused"
                ? "The requester's authority to act for the subject was not accepted, so nothing can be disclosed to them"
                : "Confirm the requester's authority to act for the subject before preparing a bundle";
        }

        return null;
    }

    // ---------------------------------------------------------------- redactions

    /// <summary>Redacts a term (a name or identifier) wherever it appears, on a legal ground with a reason.</summary>
    public Task<IReadOnlyDictionary<string, string>> RedactTermAsync(Guid userId, Guid requestId, string? term, string? ground, string? reason,
        CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "Term", async (request, errors) =>
        {
            var clean = term is null ? null : Spaces().Replace(term.Trim(), " ");
            if (string.IsNullOrEmpty(clean))
            {
                errors["Term"] = "Enter the name or words to redact";
            }
            else if (clean.Length < 2)
            {
                errors["Term"] = "The words to redact must be at least 2 characters";
            }
            else if (clean.Length > 200)
            {
                errors["Term"] = "The words to redact must be 200 characters or fewer";
            }
            else if (TextInput.Check(clean, "The words to redact", 200, required: true) is { } textError)
            {
                errors["Term"] = textError;
            }

            CheckGround(errors, request, ground, "Ground");
            RightsRequestService.Check(errors, "Reason", reason, "Why it is redacted", 1000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var existing = await db.Set<RightsRequestRedaction>().Where(r => r.RequestId == request.Id && r.Kind == "term").Select(r => r.Term!).ToListAsync(cancellationToken);
            if (existing.Any(t => Redactor.Normalise(t) == Redactor.Normalise(clean!)))
            {
                errors["Term"] = "These words are already redacted";
                return null;
            }

            await WaitingBundleCheckAsync(request, errors, "Term");
            if (errors.Count > 0)
            {
                return null;
            }

            AddRedaction(request, userId, "term", clean, null, ground!, reason!);
            // The history says that a term was redacted and why, not the term itself (it may be someone's name).
            return (AccessReviewAuditActions.TermRedacted, $"Words of {clean!.Length} characters redacted wherever they appear. Ground: {Redactor.ShortLabel(ground!)}. {TextInput.Clean(reason!)}", null);
        }, cancellationToken);

    /// <summary>Withholds a whole item (an entry) under an exemption, with its reason.</summary>
    public Task<IReadOnlyDictionary<string, string>> WithholdAsync(Guid userId, Guid requestId, string? itemKey, string? ground, string? reason,
        CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "ItemKey", async (request, errors) =>
        {
            if (string.IsNullOrWhiteSpace(itemKey) || !ItemKeyPattern().IsMatch(itemKey))
            {
                errors["ItemKey"] = "Select the entry to withhold";
            }

            CheckGround(errors, request, ground, "WithholdGround");
            RightsRequestService.Check(errors, "WithholdReason", reason, "Why the entry is withheld", 1000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            if (await db.Set<RightsRequestRedaction>().AnyAsync(r => r.RequestId == request.Id && r.Kind == "item" && r.ItemKey == itemKey, cancellationToken))
            {
                errors["ItemKey"] = "This entry is already withheld";
                return null;
            }

            await WaitingBundleCheckAsync(request, errors, "ItemKey");
            if (errors.Count > 0)
            {
                return null;
            }

            AddRedaction(request, userId, "item", null, itemKey, ground!, reason!);
            return (AccessReviewAuditActions.ItemWithheld, $"Entry {itemKey} withheld. Ground: {Redactor.ShortLabel(ground!)}. {TextInput.Clean(reason!)}", null);
        }, cancellationToken);

    private void AddRedaction(RightsRequest request, Guid userId, string kind, string? term, string? itemKey, string ground, string reason) =>
        db.Add(new RightsRequestRedaction
        {
            Id = Guid.NewGuid(),
            RequestId = request.Id,
            Kind = kind,
            Term = term,
            ItemKey = itemKey,
            Ground = ground,
            Reason = TextInput.Clean(reason),
            CreatedByUserId = userId,
            CreatedAt = clock.GetUtcNow(),
        });

    /// <summary>Takes back a redaction or releases a withheld item.</summary>
    public Task<IReadOnlyDictionary<string, string>> RemoveRedactionAsync(Guid userId, Guid requestId, Guid redactionId, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "RedactionId", async (request, errors) =>
        {
            var redaction = await db.Set<RightsRequestRedaction>().SingleOrDefaultAsync(r => r.Id == redactionId && r.RequestId == request.Id, cancellationToken);
            if (redaction is null)
            {
                errors["RedactionId"] = "This redaction has already been removed";
                return null;
            }

            await WaitingBundleCheckAsync(request, errors, "RedactionId");
            if (errors.Count > 0)
            {
                return null;
            }

            db.Remove(redaction);
            return (AccessReviewAuditActions.RedactionRemoved, redaction.Kind == "item"
                ? $"Entry {redaction.ItemKey} released: it will be disclosed."
                : "A redacted term was put back: it will be disclosed.", null);
        }, cancellationToken);

    // ---------------------------------------------------------------- bundles

    /// <summary>Builds the bundle from the data as it is now, stores its files and sends it for sign-off by someone else.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Errors, Guid? BundleId)> PrepareAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        Guid? bundleId = null;
        var errors = await requests.ChangeAsync(userId, requestId, "Prepare", async (request, errors) =>
        {
            var subjects = await requests.SubjectsAsync(request.Id, cancellationToken);
            if (NotReady(request, subjects.Count) is { } notReady)
            {
                errors["Prepare"] = notReady;
                return null;
            }

            if (request.Status == RightsCodes.StatusPaused)
            {
                errors["Prepare"] = "The clock is stopped while Haven waits for the requester. Restart it before preparing a bundle";
                return null;
            }

            await WaitingBundleCheckAsync(request, errors, "Prepare");
            if (errors.Count > 0)
            {
                return null;
            }

            var (bundle, _) = await BuildAsync(request, subjects, userId, cancellationToken);
            db.Add(bundle);
            request.Status = RightsCodes.StatusAwaitingSignOff;
            bundleId = bundle.Id;
            return (AccessReviewAuditActions.BundlePrepared,
                $"Disclosure bundle prepared for sign-off: {bundle.EntryCount} entries, {bundle.RedactionCount} redactions, {bundle.WithheldCount} entries withheld. SHA-256 {bundle.Sha256}.", null);
        }, cancellationToken);
        return (errors, errors.Count == 0 ? bundleId : null);
    }

    /// <summary>Assembles a bundle (search, redaction, PDF, JSON, CSV and letter) without storing it.</summary>
    public async Task<(RightsRequestBundle Bundle, DisclosedData Data)> BuildAsync(RightsRequest request, IReadOnlyList<MatchedSubject> subjects, Guid preparedBy,
        CancellationToken cancellationToken = default)
    {
        var data = await search.SearchAsync(subjects.Select(s => s.PersonId).ToList(), cancellationToken);
        var disclosed = Redactor.For(await RedactionsAsync(request.Id, cancellationToken)).Apply(data);
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == request.OrganisationId, cancellationToken);
        var now = clock.GetUtcNow();
        var loaded = await register.InForceAsync(request.OrganisationId, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        var services = await db.Teams.AsNoTracking().Where(t => t.OrganisationId == request.OrganisationId && t.ServiceCode != null)
            .Select(t => t.ServiceCode!).Distinct().ToListAsync(cancellationToken);
        var context = new BundleContext(request.Reference, organisation.Name, now, data.SubjectNames, request.RequesterName, request.RequesterAddress,
            request.ReceivedOn, request.Relationship);
        var files = DisclosureBundleBuilder.Build(context, disclosed, loaded?.Document, services);
        var bundle = new RightsRequestBundle
        {
            Id = Guid.NewGuid(),
            RequestId = request.Id,
            Status = "awaiting_sign_off",
            PreparedByUserId = preparedBy,
            PreparedAt = now,
            EntryCount = disclosed.EntryCount,
            RedactionCount = disclosed.RedactionCount,
            WithheldCount = disclosed.WithheldCount,
            Pdf = files.Pdf,
            LetterPdf = files.LetterPdf,
            Json = files.Json,
            Csv = files.Csv,
            Sha256 = files.Sha256,
        };
        return (bundle, disclosed);
    }

    /// <summary>Signs off a bundle prepared by someone else; the requester is told their information is ready.</summary>
    public Task<IReadOnlyDictionary<string, string>> SignOffAsync(Guid userId, Guid requestId, Guid bundleId, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "SignOff", async (request, errors) =>
        {
            var bundle = await db.Set<RightsRequestBundle>().SingleOrDefaultAsync(b => b.Id == bundleId && b.RequestId == request.Id, cancellationToken);
            if (bundle is null || bundle.Status != "awaiting_sign_off")
            {
                errors["SignOff"] = "This bundle is not waiting for sign-off";
                return null;
            }

            if (bundle.PreparedByUserId == userId)
            {
                errors["SignOff"] = "You prepared this bundle, so someone else must sign it off";
                return null;
            }

            bundle.Status = "signed_off";
            bundle.SignedOffByUserId = userId;
            bundle.SignedOffAt = clock.GetUtcNow();
            request.Status = RightsCodes.StatusOpen;
            requests.QueueToRequester(request, "information_ready", $"Your information is ready: request {request.Reference}",
                $"""
                Dear {request.RequesterName},

                We have finished our search for your request {request.Reference}. The information we hold is ready to send, with a letter explaining it and what you can do next.

                We will send it to you securely. If you have any questions, reply to this message quoting your reference.
                """);
            return (AccessReviewAuditActions.BundleSignedOff, $"Disclosure bundle signed off (SHA-256 {bundle.Sha256}). The requester has been told it is ready.", null);
        }, cancellationToken);

    /// <summary>Sends a bundle back to be changed, with the reason.</summary>
    public Task<IReadOnlyDictionary<string, string>> ReturnAsync(Guid userId, Guid requestId, Guid bundleId, string? reason, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "ReturnReason", async (request, errors) =>
        {
            var bundle = await db.Set<RightsRequestBundle>().SingleOrDefaultAsync(b => b.Id == bundleId && b.RequestId == request.Id, cancellationToken);
            if (bundle is null || bundle.Status != "awaiting_sign_off")
            {
                errors["ReturnReason"] = "This bundle is not waiting for sign-off";
                return null;
            }

            RightsRequestService.Check(errors, "ReturnReason", reason, "What needs to change", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            bundle.Status = "returned";
            bundle.ReturnedReason = TextInput.Clean(reason!);
            request.Status = RightsCodes.StatusOpen;
            return (AccessReviewAuditActions.BundleReturned, $"Disclosure bundle returned for changes: {bundle.ReturnedReason}", null);
        }, cancellationToken);

    /// <summary>One file of a bundle, audited; null when the request, bundle or file does not exist for this user.</summary>
    public async Task<BundleFile?> DownloadAsync(Guid userId, Guid requestId, Guid bundleId, string? file, CancellationToken cancellationToken = default)
    {
        if (file is null || !Files.Contains(file))
        {
            return null;
        }

        var request = await requests.FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var query = db.Set<RightsRequestBundle>().AsNoTracking().Where(b => b.Id == bundleId && b.RequestId == request.Id);
        var content = file switch
        {
            "bundle.pdf" => await query.Select(b => b.Pdf).SingleOrDefaultAsync(cancellationToken),
            "letter.pdf" => await query.Select(b => b.LetterPdf).SingleOrDefaultAsync(cancellationToken),
            "data.json" => await query.Select(b => b.Json).SingleOrDefaultAsync(cancellationToken),
            "documents.zip" => await query.Select(b => b.Json).SingleOrDefaultAsync(cancellationToken) is { } json ? await DocumentsZipAsync(json, cancellationToken) : null,
            _ => await query.Select(b => b.Csv).SingleOrDefaultAsync(cancellationToken),
        };
        if (content is null)
        {
            return null;
        }

        var subjects = await db.Set<RightsRequestSubject>().AsNoTracking().Where(s => s.RequestId == request.Id).Select(s => s.PersonId).ToListAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AccessReviewAuditActions.BundleDownloaded, subjects, $"rights request {request.Reference}", $"bundle {bundleId} {file}"), cancellationToken);
        var type = file switch
        {
            "data.json" => "application/json",
            "data.csv" => "text/csv; charset=utf-8",
            "documents.zip" => "application/zip",
            _ => "application/pdf",
        };
        return new BundleFile(content, type, $"{request.Reference}-{file}");
    }

    /// <summary>
    /// The original files of the documents the signed bundle lists (withheld documents are not in it). Plain-text
    /// documents are not repeated here: their text is in the bundle, with its redactions.
    /// </summary>
    private async Task<byte[]> DocumentsZipAsync(byte[] bundleJson, CancellationToken cancellationToken)
    {
        using var parsed = System.Text.Json.JsonDocument.Parse(bundleJson);
        var ids = parsed.RootElement.GetProperty("sections").EnumerateArray()
            .SelectMany(s => s.GetProperty("entries").EnumerateArray())
            .Select(e => e.GetProperty("item").GetString() ?? string.Empty)
            .Where(k => k.StartsWith("case_document:", StringComparison.Ordinal))
            .Select(k => Guid.TryParse(k["case_document:".Length..], out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).ToArray();
        var documents = await (from d in db.Set<CaseWork.CaseDocument>().AsNoTracking()
                               join p in db.People on d.PersonId equals p.Id
                               where ids.Contains(d.Id) && d.Kind != CaseWork.ContentSniffer.Text.Kind
                               orderby d.CreatedAt
                               select new { d.Id, d.FileName, d.ContentSealed, p.OrganisationId }).ToListAsync(cancellationToken);
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            var number = 0;
            foreach (var d in documents)
            {
                var content = await cipher.OpenBytesAsync(d.OrganisationId, CaseWork.DocumentService.ContentPurpose, d.ContentSealed, cancellationToken);
                var entry = zip.CreateEntry($"{++number:D3}-{Path.GetFileName(d.FileName)}", System.IO.Compression.CompressionLevel.Fastest);
                await using var stream = await entry.OpenAsync(cancellationToken);
                await stream.WriteAsync(content, cancellationToken);
            }
        }

        return buffer.ToArray();
    }

    public async Task<IReadOnlyList<RightsRequestRedaction>> RedactionsAsync(Guid requestId, CancellationToken cancellationToken) =>
        await db.Set<RightsRequestRedaction>().AsNoTracking().Where(r => r.RequestId == requestId).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);

    private async Task<IReadOnlyList<BundleSummary>> BundlesAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var bundles = await db.Set<RightsRequestBundle>().AsNoTracking().Where(b => b.RequestId == requestId).OrderByDescending(b => b.PreparedAt)
            .Select(b => new { b.Id, b.Status, b.PreparedAt, b.PreparedByUserId, b.SignedOffAt, b.SignedOffByUserId, b.ReturnedReason, b.EntryCount, b.RedactionCount, b.WithheldCount, b.Sha256 })
            .ToListAsync(cancellationToken);
        var ids = bundles.Select(b => b.PreparedByUserId).Concat(bundles.Where(b => b.SignedOffByUserId != null).Select(b => b.SignedOffByUserId!.Value)).Distinct().ToArray();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return bundles.Select(b => new BundleSummary(b.Id, b.Status, b.PreparedAt, names.GetValueOrDefault(b.PreparedByUserId, "someone"), b.PreparedByUserId, b.SignedOffAt,
            b.SignedOffByUserId is { } s ? names.GetValueOrDefault(s) : null, b.ReturnedReason, b.EntryCount, b.RedactionCount, b.WithheldCount, b.Sha256)).ToList();
    }

    private async Task WaitingBundleCheckAsync(RightsRequest request, Dictionary<string, string> errors, string field)
    {
        if (await db.Set<RightsRequestBundle>().AnyAsync(b => b.RequestId == request.Id && b.Status == "awaiting_sign_off"))
        {
            errors[field] = "A bundle is waiting for sign-off. Sign it off or return it before changing the review";
        }
    }

    private static void CheckGround(Dictionary<string, string> errors, RightsRequest request, string? ground, string field)
    {
        if (string.IsNullOrEmpty(ground))
        {
            errors[field] = "Select the legal reason (exemption)";
        }
        else if (!RightsCodes.Exemptions.IsValid(ground))
        {
            errors[field] = "Select one of the legal reasons in the list";
        }
        else if (ground == "child_abuse_data" && request.Relationship != RightsCodes.RelationshipParent)
        {
            errors[field] = "The child abuse data exemption applies only when someone with parental responsibility asks";
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[a-z_]{2,40}:[0-9a-f-]{1,36}$")]
    private static partial Regex ItemKeyPattern();
}
