using System.Globalization;
using System.Text;
using System.Text.Json;
using Haven.Core.Audit;
using Haven.Core.CaseWork;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>One entry the person provided: its kind, when, who gave it, and its fields by name.</summary>
public sealed record PortableEntry(string Type, Guid Id, DateOnly? Date, string Source, IReadOnlyDictionary<string, string?> Fields);

public sealed record PortableSubject(Guid RecordNumber, IReadOnlyDictionary<string, string?> Details, IReadOnlyList<PortableEntry> Entries);

public sealed record PortabilityData(string Reference, string Organisation, DateTimeOffset CreatedAt, IReadOnlyList<string> SourcesIncluded,
    IReadOnlyList<PortableSubject> Subjects)
{
    public int EntryCount => Subjects.Sum(s => s.Entries.Count);
}

/// <summary>
/// Portability (UK GDPR Art. 20): a machine-readable export (JSON and CSV) of what the person provided. That is their
/// own core details, and every case-work, family, involvement and education entry whose source is the child
/// themselves; when the requester is the subject (an adult asking about themselves), also the entries their family
/// gave. Nothing other people or agencies provided is included.
/// </summary>
public sealed class PortabilityExport(HavenDbContext db, RightsRequestService requests, AuditWriter audit, FieldCipher cipher, TimeProvider clock)
{
    /// <summary>The sources that count as "provided by the person" for a request.</summary>
    public static IReadOnlyList<string> SourcesFor(RightsRequest request) =>
        request.Relationship == RightsCodes.RelationshipSelf ? ["child", "family"] : ["child"];

    /// <summary>The export, or null when there is no such request in the user's organisation. Building it is not audited; downloading is.</summary>
    public async Task<PortabilityData?> BuildAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var request = await requests.FindAsync(userId, requestId, cancellationToken);
        return request is null ? null : await BuildAsync(request, cancellationToken);
    }

    private async Task<PortabilityData> BuildAsync(RightsRequest request, CancellationToken cancellationToken)
    {
        var sources = SourcesFor(request);
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == request.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var people = await (from s in db.Set<RightsRequestSubject>().AsNoTracking()
                            join p in db.People.AsNoTracking() on s.PersonId equals p.Id
                            where s.RequestId == request.Id
                            orderby p.FamilyName, p.GivenName
                            select p).ToListAsync(cancellationToken);
        var subjects = new List<PortableSubject>();
        foreach (var person in people)
        {
            subjects.Add(new PortableSubject(person.Id, await DetailsAsync(person, cancellationToken), await EntriesAsync(person, sources, cancellationToken)));
        }

        return new PortabilityData(request.Reference, organisation, clock.GetUtcNow(), sources, subjects);
    }

    private async Task<IReadOnlyDictionary<string, string?>> DetailsAsync(Person person, CancellationToken cancellationToken)
    {
        var address = await db.Addresses.AsNoTracking().Where(a => a.PersonId == person.Id && a.LivedTo == null).OrderByDescending(a => a.LivedFrom).FirstOrDefaultAsync(cancellationToken);
        return new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["givenName"] = person.GivenName,
            ["familyName"] = person.FamilyName,
            ["knownAs"] = person.KnownAs,
            ["dateOfBirth"] = Date(person.DateOfBirth),
            ["gender"] = person.Gender,
            ["firstLanguage"] = person.FirstLanguage,
            ["phone"] = person.Phone,
            ["email"] = person.Email,
            ["addressLine1"] = address?.Line1,
            ["addressLine2"] = address?.Line2,
            ["town"] = address?.Town,
            ["postcode"] = address?.Postcode,
        };
    }

    private async Task<IReadOnlyList<PortableEntry>> EntriesAsync(Person person, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var id = person.Id;
        var entries = new List<PortableEntry>();
        void Add(string type, Guid entryId, DateOnly? date, string source, params (string Name, string? Value)[] fields) =>
            entries.Add(new PortableEntry(type, entryId, date, source, fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal)));

        foreach (var n in await db.Set<CaseNote>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("case_note", n.Id, n.ContactDate, n.Source, ("contactType", n.ContactType), ("contactTime", n.ContactTime?.ToString("HH:mm", CultureInfo.InvariantCulture)),
                ("participants", n.Participants), ("text", n.Text));
        }

        foreach (var w in await db.Set<CaseWorry>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("worry_or_strength", w.Id, w.RecordedOn, w.Source, ("kind", w.Kind), ("text", w.Text));
        }

        foreach (var p in await db.Set<CasePlan>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("plan", p.Id, p.StartedOn, p.Source, ("planType", p.PlanType), ("completedOn", Date(p.CompletedOn)), ("reviewOn", Date(p.ReviewOn)), ("outcome", p.Outcome));
        }

        foreach (var s in await db.Set<CaseService>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("service", s.Id, s.FromDate, s.Source, ("name", s.Name), ("provider", s.Provider), ("toDate", Date(s.ToDate)));
        }

        foreach (var o in await db.Set<CaseOffence>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            var organisationId = person.OrganisationId;
            Add("offence", o.Id, null, o.Source,
                ("description", await cipher.OpenAsync(organisationId, CaseWorkService.OffencePurpose, o.DescriptionSealed, cancellationToken)),
                ("status", await cipher.OpenAsync(organisationId, CaseWorkService.OffencePurpose, o.StatusSealed, cancellationToken)),
                ("offenceDate", await cipher.OpenAsync(organisationId, CaseWorkService.OffencePurpose, o.OffenceDateSealed, cancellationToken)),
                ("proceedings", await cipher.OpenAsync(organisationId, CaseWorkService.OffencePurpose, o.ProceedingsSealed, cancellationToken)));
        }

        foreach (var d in await db.Set<CaseDocument>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source))
                     .Select(d => new { d.Id, d.Source, d.Title, d.FileName, d.ContentType, d.Kind, d.SizeBytes, d.CreatedAt }).ToListAsync(cancellationToken))
        {
            // The file itself is not embedded; the entry says which document the person gave, to be sent with the export.
            Add("document", d.Id, DateOnly.FromDateTime(d.CreatedAt.UtcDateTime), d.Source, ("title", d.Title), ("fileName", d.FileName), ("contentType", d.ContentType),
                ("kind", d.Kind), ("sizeBytes", d.SizeBytes.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var r in await db.Set<Relationship>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            var related = await db.People.AsNoTracking().Where(p => p.Id == r.RelatedPersonId).Select(p => p.GivenName + " " + p.FamilyName).SingleOrDefaultAsync(cancellationToken);
            Add("relationship", r.Id, r.StartedOn, r.Source, ("relationshipType", r.RelationshipType), ("relatedPerson", related),
                ("parentalResponsibility", r.ParentalResponsibility ? "yes" : "no"), ("endedOn", Date(r.EndedOn)));
        }

        foreach (var m in await (from m in db.Set<HouseholdMember>().AsNoTracking()
                                 join h in db.Set<Household>() on m.HouseholdId equals h.Id
                                 where m.PersonId == id && sources.Contains(m.Source)
                                 select new { m.Id, m.LivedFrom, m.LivedTo, m.Source, h.Label }).ToListAsync(cancellationToken))
        {
            Add("household", m.Id, m.LivedFrom, m.Source, ("household", m.Label), ("livedTo", Date(m.LivedTo)));
        }

        foreach (var i in await db.Set<Involvement>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("involvement", i.Id, i.StartedOn, i.Source, ("involvementType", i.InvolvementType), ("endedOn", Date(i.EndedOn)), ("legalStatus", i.LegalStatus),
                ("details", await cipher.OpenAsync(i.OrganisationId, InvolvementService.DetailsPurpose(i.InvolvementType), i.DetailsSealed, cancellationToken)));
        }

        foreach (var c in await db.Set<CourtOrder>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("court_order", c.Id, c.MadeOn, c.Source, ("orderType", c.OrderType), ("court", c.Court), ("endsOn", Date(c.EndsOn)));
        }

        foreach (var p in await db.Set<ProfessionalInvolved>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("professional", p.Id, p.InvolvedFrom, p.Source, ("role", p.Role), ("name", p.Name), ("organisation", p.ProfessionalOrganisation), ("contact", p.Contact),
                ("involvedTo", Date(p.InvolvedTo)));
        }

        foreach (var e in await db.Set<EducationProvider>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("education_provider", e.Id, e.AttendedFrom, e.Source, ("providerName", e.ProviderName), ("urn", e.Urn), ("attendedTo", Date(e.AttendedTo)));
        }

        foreach (var s in await db.Set<SendProvisionRecord>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("send_provision", s.Id, s.StartedOn, s.Source, ("provision", s.Provision), ("endedOn", Date(s.EndedOn)));
        }

        foreach (var p in await db.Set<EducationPlan>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("education_plan", p.Id, p.StartedOn, p.Source, ("planType", p.PlanType), ("lastReviewedOn", Date(p.LastReviewedOn)), ("nextReviewOn", Date(p.NextReviewOn)));
        }

        foreach (var a in await db.Set<AttendanceRecord>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("attendance", a.Id, a.PeriodFrom, a.Source, ("periodTo", Date(a.PeriodTo)), ("possibleSessions", a.PossibleSessions.ToString(CultureInfo.InvariantCulture)),
                ("attendedSessions", a.AttendedSessions.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var x in await db.Set<SchoolExclusion>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("school_exclusion", x.Id, x.StartedOn, x.Source, ("exclusionType", x.ExclusionType), ("days", x.Days?.ToString(CultureInfo.InvariantCulture)), ("reason", x.Reason));
        }

        foreach (var a in await db.Set<Achievement>().AsNoTracking().Where(e => e.PersonId == id && sources.Contains(e.Source)).ToListAsync(cancellationToken))
        {
            Add("achievement", a.Id, a.AchievedOn, a.Source, ("description", a.Description));
        }

        return entries.OrderBy(e => e.Date ?? DateOnly.MinValue).ThenBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Id).ToList();
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Json(PortabilityData data) => JsonSerializer.SerializeToUtf8Bytes(data, JsonOptions);

    /// <summary>One row per field: record number, entry type, entry id, date, source, field, value. Opens in any spreadsheet.</summary>
    public static byte[] Csv(PortabilityData data)
    {
        var csv = new StringBuilder();
        csv.Append("record_number,entry_type,entry_id,date,source,field,value\r\n");
        void Row(params string?[] values) => csv.AppendJoin(',', values.Select(Quote)).Append("\r\n");
        foreach (var subject in data.Subjects)
        {
            var number = subject.RecordNumber.ToString();
            foreach (var (field, value) in subject.Details)
            {
                Row(number, "details", number, null, "child", field, value);
            }

            foreach (var entry in subject.Entries)
            {
                foreach (var (field, value) in entry.Fields)
                {
                    Row(number, entry.Type, entry.Id.ToString(), Date(entry.Date), entry.Source, field, value);
                }
            }
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
    }

    /// <summary>Quotes a CSV value, and neutralises a leading = + - @ so a spreadsheet does not run it as a formula.</summary>
    private static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 || text != value ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>The file to download (json or csv), or null when there is no such request in the user's organisation. Audited.</summary>
    public async Task<(byte[] Bytes, string ContentType, string FileName)?> DownloadAsync(Guid userId, Guid requestId, string format, CancellationToken cancellationToken = default)
    {
        var request = await requests.FindAsync(userId, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var data = await BuildAsync(request, cancellationToken);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        await audit.RecordAsync(new AuditEntry(OtherRightsAuditActions.PortabilityDownloaded, data.Subjects.Select(s => s.RecordNumber).ToList(), $"rights request {request.Reference}",
            $"portability export ({(csv ? "csv" : "json")}): {data.Subjects.Count} record(s), {data.EntryCount} entries"), cancellationToken);
        return csv
            ? (Csv(data), "text/csv; charset=utf-8", $"{request.Reference}-portability.csv")
            : (Json(data), "application/json", $"{request.Reference}-portability.json");
    }

    /// <summary>Records the portability decision: granted with the counts of what the export holds, or refused with a reason.</summary>
    public Task<IReadOnlyDictionary<string, string>> DecideAsync(Guid userId, Guid requestId, bool grant, string? reason, CancellationToken cancellationToken = default) =>
        requests.ChangeAsync(userId, requestId, "Outcome", async (request, errors) =>
        {
            await RightsDecisions.CheckAsync(db, request, RightsCodes.Portability, acting: grant, errors, "Outcome", cancellationToken);
            RightsRequestService.Check(errors, "Reason", reason, grant ? "What the requester is told" : "Why portability is refused", 2000, required: true, multiline: true);
            var data = errors.Count == 0 && grant ? await BuildAsync(request, cancellationToken) : null;
            if (data is not null && data.Subjects.Count == 0)
            {
                errors["Outcome"] = "Link the person's record to the request before preparing the export";
            }

            if (errors.Count > 0)
            {
                return null;
            }

            var clean = TextInput.Clean(reason!);
            if (data is null)
            {
                RightsDecisions.Add(db, clock, request, userId, RightsCodes.Portability, OtherRightsCodes.Refused, null, clean, null);
                requests.QueueToRequester(request, "portability_refused", $"Your request {request.Reference}: your information in a machine-readable form",
                    RightsDecisions.Letter(request, $"We cannot give you this information in a machine-readable form, because:\n\n{clean}\n\n{OtherRightsCodes.ComplaintRight}"));
                return (OtherRightsAuditActions.PortabilityDecided, "Portability refused.", null);
            }

            RightsDecisions.Add(db, clock, request, userId, RightsCodes.Portability, OtherRightsCodes.Granted, null, clean,
                new { records = data.Subjects.Count, entries = data.EntryCount, sources = data.SourcesIncluded });
            requests.QueueToRequester(request, "portability_ready", $"Your request {request.Reference}: your information in a machine-readable form",
                RightsDecisions.Letter(request, $"The information you gave us is ready in a machine-readable form (JSON and CSV). We will send it to you securely.\n\n{clean}"));
            return (OtherRightsAuditActions.PortabilityDecided, $"Portability granted: {data.Subjects.Count} record(s), {data.EntryCount} entries.", null);
        }, cancellationToken);
}
