using System.Globalization;
using System.Text;
using Haven.Core.CaseWork;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>One thing Haven holds about the subject. The key is stable (table and row id) so an item can be withheld.</summary>
public sealed record SubjectEntry(string Key, string Section, DateOnly? Date, string Title, string Text, string? Source, Guid PersonId);

public sealed record SubjectSection(string Code, string Title, string Description, IReadOnlyList<SubjectEntry> Entries);

/// <summary>Someone other than the subject whose details appear in what was found: their names and identifiers.</summary>
public sealed record ThirdParty(Guid PersonId, string Name, string Connection, IReadOnlyList<string> Terms);

/// <summary>Everything found about the subjects of a request, by section, with the people connected to them.</summary>
public sealed record SubjectData(IReadOnlyList<Guid> SubjectIds, IReadOnlyList<string> SubjectNames, IReadOnlyList<SubjectSection> Sections,
    IReadOnlyList<ThirdParty> ThirdParties, IReadOnlyList<string> Professionals, IReadOnlyList<string> SubjectTerms)
{
    public int EntryCount => Sections.Sum(s => s.Entries.Count);

    public IEnumerable<SubjectEntry> Entries => Sections.SelectMany(s => s.Entries);
}

/// <summary>
/// One search across every module for everything Haven holds about a request's subjects: their own record, case work,
/// documents, involvements, court orders, professionals, family and household, education, consents and statements,
/// disclosures, where they appear in other people's records, and who has accessed their record. Each table is read
/// once for all subjects (no query per row), so a record with tens of thousands of entries is found in one pass.
/// </summary>
public sealed class SubjectDataSearch(HavenDbContext db, FieldCipher cipher)
{
    public const string SectionRecord = "record";
    public const string SectionCaseWork = "case_work";
    public const string SectionDocuments = "documents";
    public const string SectionInvolvements = "involvements";
    public const string SectionProfessionals = "professionals";
    public const string SectionFamily = "family";
    public const string SectionEducation = "education";
    public const string SectionRights = "rights";
    public const string SectionDisclosures = "disclosures";
    public const string SectionOthers = "others_records";
    public const string SectionAccess = "access";

    /// <summary>The sections in the order they appear in the bundle, with their titles and what they contain.</summary>
    public static readonly IReadOnlyList<(string Code, string Title, string Description)> SectionList =
    [
        (SectionRecord, "Your record", "Your details as we hold them: names, date of birth, identifiers, contact details, addresses and other personal characteristics."),
        (SectionCaseWork, "Case work", "Case notes, worries and strengths, assessments and plans, services and offences recorded about you."),
        (SectionDocuments, "Documents", "Documents and photos kept on your record."),
        (SectionInvolvements, "Involvements and court orders", "Periods of involvement with our services (such as early help, child in need, child protection or care) and court orders."),
        (SectionProfessionals, "Professionals working with you", "The professionals recorded as working with you."),
        (SectionFamily, "Family and household", "Family relationships recorded on your record and the households you have lived in."),
        (SectionEducation, "Education", "Schools, special educational needs provision, education plans, attendance, exclusions and achievements."),
        (SectionRights, "Consents, statements and requests", "Consents you gave, statements you asked us to keep with your record, restrictions and your information rights requests."),
        (SectionDisclosures, "Information we shared", "The times we shared information about you with other organisations: with whom, when, why and on what legal basis."),
        (SectionOthers, "Where you appear in other people's records", "Information about you kept in the records of other people, such as parents, brothers and sisters or people you lived with."),
        (SectionAccess, "Who has accessed your record", "When your record was looked at or changed, by which kind of worker and in which organisation. Staff are shown by their role."),
    ];

    /// <summary>
    /// Every table and column pointing at a person that the search reads. A test compares it with
    /// <see cref="PersonLinks.Columns"/>, so a new person-linked table cannot be left out of access requests.
    /// </summary>
    public static readonly IReadOnlyList<(string Table, string Column)> Covers =
    [
        ("people", "id"), ("people", "mother_id"), ("person_names", "person_id"), ("addresses", "person_id"),
        ("record_access_grants", "person_id"), ("break_glass_events", "person_id"),
        ("case_notes", "person_id"), ("case_notes", "participant_person_ids"), ("case_worries", "person_id"), ("case_plans", "person_id"),
        ("case_services", "person_id"), ("case_offences", "person_id"), ("case_documents", "person_id"),
        ("relationships", "person_id"), ("relationships", "related_person_id"), ("household_members", "person_id"),
        ("professionals_involved", "person_id"), ("involvements", "person_id"), ("court_orders", "person_id"),
        ("education_providers", "person_id"), ("send_provisions", "person_id"), ("education_plans", "person_id"),
        ("attendance_records", "person_id"), ("school_exclusions", "person_id"), ("achievements", "person_id"),
        ("rights_request_subjects", "person_id"), ("processing_restrictions", "person_id"), ("person_consents", "person_id"),
        ("record_statements", "person_id"), ("disclosures", "person_id"), ("rectification_items", "person_id"), ("cpis_accesses", "person_id"),
        ("cpis_concerns", "person_id"), ("audit_events", "person_ids"),
    ];

    public static string SectionTitle(string code) => SectionList.FirstOrDefault(s => s.Code == code).Title ?? code;

    public async Task<SubjectData> SearchAsync(IReadOnlyCollection<Guid> subjectIds, CancellationToken cancellationToken = default)
    {
        var ids = subjectIds.Distinct().ToArray();
        var sections = SectionList.ToDictionary(s => s.Code, _ => new List<SubjectEntry>());
        void Add(string section, string key, DateOnly? date, string title, string text, string? source, Guid personId) =>
            sections[section].Add(new SubjectEntry(key, section, date, title, text, source, personId));

        var subjects = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        var names = await db.PersonNames.AsNoTracking().Where(n => ids.Contains(n.PersonId)).ToListAsync(cancellationToken);
        var addresses = await db.Addresses.AsNoTracking().Where(a => ids.Contains(a.PersonId)).ToListAsync(cancellationToken);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);

        // ---- the subject's own record, special-category values opened
        foreach (var p in subjects)
        {
            var org = p.OrganisationId;
            var lines = new List<string>
            {
                $"Name: {p.GivenName} {p.FamilyName}",
            };
            AddLine(lines, "Known as", p.KnownAs);
            AddLine(lines, "Type of record", ReferenceData.PersonTypes.LabelFor(p.PersonType) ?? p.PersonType);
            AddLine(lines, "Date of birth", p.DateOfBirth is { } born ? born.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) + (p.DateOfBirthEstimated ? " (estimated)" : "") : null);
            AddLine(lines, "Expected date of birth", p.ExpectedDateOfBirth?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
            AddLine(lines, "Date of death", p.DateOfDeath?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
            AddLine(lines, "Gender", ReferenceData.Gender.LabelFor(p.Gender) ?? p.Gender);
            AddLine(lines, "First language", p.FirstLanguage);
            var ethnicity = await cipher.OpenAsync(org, PeopleService.EthnicityPurpose, p.EthnicitySealed, cancellationToken);
            AddLine(lines, "Ethnicity", ReferenceData.Ethnicity.LabelFor(ethnicity) ?? ethnicity);
            AddLine(lines, "Religion", await cipher.OpenAsync(org, PeopleService.ReligionPurpose, p.ReligionSealed, cancellationToken));
            AddLine(lines, "Disability", await cipher.OpenAsync(org, PeopleService.DisabilityPurpose, p.DisabilitySealed, cancellationToken));
            AddLine(lines, "Sexual orientation", await cipher.OpenAsync(org, PeopleService.SexualOrientationPurpose, p.SexualOrientationSealed, cancellationToken));
            AddLine(lines, "NHS number", p.NhsNumber);
            AddLine(lines, "Unique pupil number", p.Upn);
            AddLine(lines, "Phone", p.Phone);
            AddLine(lines, "Email", p.Email);
            AddLine(lines, "Organisation holding the record", organisations.GetValueOrDefault(p.OrganisationId));
            if (p.Restricted)
            {
                lines.Add("Access to the record is restricted to fewer workers.");
            }

            if (p.ProcessingRestricted)
            {
                lines.Add("Use of the record is restricted at your request.");
            }

            Add(SectionRecord, $"person:{p.Id}", DateOnly.FromDateTime(p.CreatedAt.UtcDateTime), "Personal details", string.Join("\n", lines), null, p.Id);
        }

        foreach (var n in names)
        {
            Add(SectionRecord, $"person_name:{n.Id}", n.UsedFrom, $"Other name ({n.Kind.Replace('_', ' ')})",
                $"{n.GivenName} {n.FamilyName}{Period(n.UsedFrom, n.UsedTo)}", null, n.PersonId);
        }

        foreach (var a in addresses)
        {
            Add(SectionRecord, $"address:{a.Id}", a.LivedFrom, "Address",
                string.Join(", ", new[] { a.Line1, a.Line2, a.Town, a.Postcode }.Where(v => !string.IsNullOrWhiteSpace(v))) + Period(a.LivedFrom, a.LivedTo), null, a.PersonId);
        }

        var orgOf = subjects.ToDictionary(p => p.Id, p => p.OrganisationId);

        // ---- case work
        var notes = await db.Set<CaseNote>().AsNoTracking().Where(n => ids.Contains(n.PersonId)).ToListAsync(cancellationToken);
        foreach (var n in notes)
        {
            var participants = string.IsNullOrWhiteSpace(n.Participants) ? string.Empty : $"\nPeople present: {n.Participants}";
            Add(SectionCaseWork, $"case_note:{n.Id}", n.ContactDate, $"Case note: {ReferenceData.ContactTypes.LabelFor(n.ContactType) ?? n.ContactType}",
                n.Text + participants, SourceLabel(n.Source), n.PersonId);
        }

        foreach (var w in await db.Set<CaseWorry>().AsNoTracking().Where(w => ids.Contains(w.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionCaseWork, $"case_worry:{w.Id}", w.RecordedOn, CaseWorkLists.WorryKinds.LabelFor(w.Kind) ?? w.Kind, w.Text, SourceLabel(w.Source), w.PersonId);
        }

        foreach (var p in await db.Set<CasePlan>().AsNoTracking().Where(p => ids.Contains(p.PersonId)).ToListAsync(cancellationToken))
        {
            var text = $"Started {Day(p.StartedOn)}" + (p.CompletedOn is { } done ? $", completed {Day(done)}" : "") + (p.ReviewOn is { } review ? $", review due {Day(review)}" : "")
                + (string.IsNullOrWhiteSpace(p.Outcome) ? "" : $"\nOutcome: {p.Outcome}");
            Add(SectionCaseWork, $"case_plan:{p.Id}", p.StartedOn, CaseWorkLists.PlanTypes.LabelFor(p.PlanType) ?? p.PlanType, text, SourceLabel(p.Source), p.PersonId);
        }

        foreach (var s in await db.Set<CaseService>().AsNoTracking().Where(s => ids.Contains(s.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionCaseWork, $"case_service:{s.Id}", s.FromDate, $"Service: {s.Name}",
                (s.Provider is null ? "" : $"Provided by {s.Provider}. ") + $"From {Day(s.FromDate)}" + (s.ToDate is { } to ? $" to {Day(to)}" : ""), SourceLabel(s.Source), s.PersonId);
        }

        foreach (var o in await db.Set<CaseOffence>().AsNoTracking().Where(o => ids.Contains(o.PersonId)).ToListAsync(cancellationToken))
        {
            var org = orgOf[o.PersonId];
            var description = await cipher.OpenAsync(org, CaseWorkService.OffencePurpose, o.DescriptionSealed, cancellationToken);
            var status = await cipher.OpenAsync(org, CaseWorkService.OffencePurpose, o.StatusSealed, cancellationToken);
            var date = await cipher.OpenAsync(org, CaseWorkService.OffencePurpose, o.OffenceDateSealed, cancellationToken);
            var proceedings = await cipher.OpenAsync(org, CaseWorkService.OffencePurpose, o.ProceedingsSealed, cancellationToken);
            var offenceDate = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
            Add(SectionCaseWork, $"case_offence:{o.Id}", offenceDate ?? DateOnly.FromDateTime(o.CreatedAt.UtcDateTime),
                $"Offence ({CaseWorkLists.OffenceStatuses.LabelFor(status) ?? status})",
                description + (offenceDate is { } od ? $"\nDate of the offence: {Day(od)}" : "") + (string.IsNullOrWhiteSpace(proceedings) ? "" : $"\nProceedings: {proceedings}"),
                SourceLabel(o.Source), o.PersonId);
        }

        // ---- documents: title, type and size; the text of plain-text documents
        var documents = await db.Set<CaseDocument>().AsNoTracking().Where(d => ids.Contains(d.PersonId))
            .Select(d => new { d.Id, d.PersonId, d.Title, d.FileName, d.Kind, d.SizeBytes, d.Source, d.CreatedAt }).ToListAsync(cancellationToken);
        var textIds = documents.Where(d => d.Kind == ContentSniffer.Text.Kind).Select(d => d.Id).ToArray();
        var texts = textIds.Length == 0 ? [] : await db.Set<CaseDocument>().AsNoTracking().Where(d => textIds.Contains(d.Id))
            .Select(d => new { d.Id, d.ContentSealed }).ToDictionaryAsync(d => d.Id, d => d.ContentSealed, cancellationToken);
        foreach (var d in documents)
        {
            var type = ContentSniffer.ByKind(d.Kind);
            var text = $"File: {d.FileName}\nType: {type?.Description ?? d.Kind}, {Size(d.SizeBytes)}";
            if (texts.TryGetValue(d.Id, out var sealedContent))
            {
                var content = await cipher.OpenBytesAsync(orgOf[d.PersonId], DocumentService.ContentPurpose, sealedContent, cancellationToken);
                text += "\nContent:\n" + Encoding.UTF8.GetString(content);
            }
            else
            {
                text += "\nA copy of this document is in the documents file sent with this bundle (documents.zip).";
            }

            Add(SectionDocuments, $"case_document:{d.Id}", DateOnly.FromDateTime(d.CreatedAt.UtcDateTime), $"Document: {d.Title ?? d.FileName}", text, SourceLabel(d.Source), d.PersonId);
        }

        // ---- involvements and court orders
        foreach (var i in await db.Set<Involvement>().AsNoTracking().Where(i => ids.Contains(i.PersonId)).ToListAsync(cancellationToken))
        {
            var lines = new List<string> { $"From {Day(i.StartedOn)}" + (i.EndedOn is { } ended ? $" to {Day(ended)}" : " (continuing)") };
            AddLine(lines, "Referred by", ReferenceData.ReferralSources.LabelFor(i.ReferralSource) ?? i.ReferralSource);
            AddLine(lines, "Category of abuse", ReferenceData.CategoriesOfAbuse.LabelFor(i.CategoryOfAbuse) ?? i.CategoryOfAbuse);
            AddLine(lines, "Legal status", ReferenceData.LegalStatuses.LabelFor(i.LegalStatus) ?? i.LegalStatus);
            AddLine(lines, "Adoption order made", i.AdoptionOrderOn is { } adopted ? Day(adopted) : null);
            if (i.PreBirth)
            {
                lines.Add("Began before birth.");
            }

            AddLine(lines, "Details", await cipher.OpenAsync(i.OrganisationId, InvolvementService.DetailsPurpose(i.InvolvementType), i.DetailsSealed, cancellationToken));
            Add(SectionInvolvements, $"involvement:{i.Id}", i.StartedOn, ReferenceData.InvolvementTypes.LabelFor(i.InvolvementType) ?? i.InvolvementType,
                string.Join("\n", lines), SourceLabel(i.Source), i.PersonId);
        }

        foreach (var c in await db.Set<CourtOrder>().AsNoTracking().Where(c => ids.Contains(c.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionInvolvements, $"court_order:{c.Id}", c.MadeOn, $"Court order: {CaseRecordCodes.CourtOrderTypes.LabelFor(c.OrderType) ?? c.OrderType}",
                $"Made by {c.Court} on {Day(c.MadeOn)}" + (c.EndsOn is { } ends ? $", ends {Day(ends)}" : ""), SourceLabel(c.Source), c.PersonId);
        }

        // ---- professionals: people acting in their role, not third parties to redact
        var professionals = await db.Set<ProfessionalInvolved>().AsNoTracking().Where(p => ids.Contains(p.PersonId)).ToListAsync(cancellationToken);
        foreach (var p in professionals)
        {
            Add(SectionProfessionals, $"professional:{p.Id}", p.InvolvedFrom, CaseRecordCodes.ProfessionalRoles.LabelFor(p.Role) ?? p.Role,
                p.Name + (p.ProfessionalOrganisation is null ? "" : $", {p.ProfessionalOrganisation}") + (p.Contact is null ? "" : $"\nContact: {p.Contact}")
                + Period(p.InvolvedFrom, p.InvolvedTo), SourceLabel(p.Source), p.PersonId);
        }

        // ---- family and household, and where the subject appears in other people's records
        var outgoing = await db.Set<Relationship>().AsNoTracking().Where(r => ids.Contains(r.PersonId)).ToListAsync(cancellationToken);
        var incoming = await db.Set<Relationship>().AsNoTracking().Where(r => ids.Contains(r.RelatedPersonId) && !ids.Contains(r.PersonId)).ToListAsync(cancellationToken);
        var memberships = await db.Set<HouseholdMember>().AsNoTracking().Where(m => ids.Contains(m.PersonId)).ToListAsync(cancellationToken);
        var householdIds = memberships.Select(m => m.HouseholdId).Distinct().ToArray();
        var households = await db.Set<Household>().AsNoTracking().Where(h => householdIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Label, cancellationToken);
        var coMembers = await db.Set<HouseholdMember>().AsNoTracking().Where(m => householdIds.Contains(m.HouseholdId) && !ids.Contains(m.PersonId)).ToListAsync(cancellationToken);
        var childrenOf = await db.People.AsNoTracking().Where(p => p.MotherId != null && ids.Contains(p.MotherId.Value) && !ids.Contains(p.Id))
            .Select(p => new { p.Id, p.MotherId, p.CreatedAt }).ToListAsync(cancellationToken);
        var othersNotes = await db.Set<CaseNote>().AsNoTracking()
            .Where(n => n.ParticipantPersonIds.Any(x => ids.Contains(x)) && !ids.Contains(n.PersonId)).ToListAsync(cancellationToken);

        // Everyone connected to the subject: their names and identifiers are what a reviewer may need to redact.
        var connections = new Dictionary<Guid, string>();
        void Connect(Guid id, string how)
        {
            if (!ids.Contains(id))
            {
                connections.TryAdd(id, how);
            }
        }

        foreach (var r in outgoing)
        {
            Connect(r.RelatedPersonId, RelationLabel(r.RelationshipType));
        }

        foreach (var r in incoming)
        {
            Connect(r.PersonId, "Recorded as related to you");
        }

        foreach (var m in coMembers)
        {
            Connect(m.PersonId, "Lived in the same household");
        }

        foreach (var c in childrenOf)
        {
            Connect(c.Id, "Child");
        }

        foreach (var p in subjects.Where(p => p.MotherId is not null))
        {
            Connect(p.MotherId!.Value, "Mother");
        }

        foreach (var n in notes)
        {
            foreach (var participant in n.ParticipantPersonIds)
            {
                Connect(participant, "Present at a contact");
            }
        }

        foreach (var n in othersNotes)
        {
            Connect(n.PersonId, "Their record mentions you");
            foreach (var participant in n.ParticipantPersonIds)
            {
                Connect(participant, "Present at a contact");
            }
        }

        var connectedIds = connections.Keys.ToArray();
        var connected = await db.People.AsNoTracking().Where(p => connectedIds.Contains(p.Id))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.KnownAs, p.NhsNumber, p.Upn, p.Phone, p.Email }).ToDictionaryAsync(p => p.Id, cancellationToken);
        var connectedNames = (await db.PersonNames.AsNoTracking().Where(n => connectedIds.Contains(n.PersonId)).ToListAsync(cancellationToken)).ToLookup(n => n.PersonId);
        string NameOf(Guid id) => connected.TryGetValue(id, out var p) ? $"{p.GivenName} {p.FamilyName}" : subjects.FirstOrDefault(s => s.Id == id)?.FullName ?? "someone";

        var subjectOf = subjects.ToDictionary(s => s.Id, s => s.FullName);
        string You(Guid id) => subjects.Count > 1 ? subjectOf.GetValueOrDefault(id, "you") : "you";

        foreach (var r in outgoing)
        {
            Add(SectionFamily, $"relationship:{r.Id}", r.StartedOn, $"Family: {RelationLabel(r.RelationshipType)}",
                $"{NameOf(r.RelatedPersonId)} is recorded as {Possessive(You(r.PersonId))} {RelationLabel(r.RelationshipType).ToLowerInvariant()}"
                + (r.ParentalResponsibility ? " (with parental responsibility)" : "") + "." + Period(r.StartedOn, r.EndedOn), SourceLabel(r.Source), r.PersonId);
        }

        foreach (var p in subjects.Where(p => p.MotherId is not null))
        {
            Add(SectionFamily, $"person_mother:{p.Id}", p.DateOfBirth, "Family: mother", $"{NameOf(p.MotherId!.Value)} is recorded as {Possessive(You(p.Id))} mother.", null, p.Id);
        }

        var coMembersByHousehold = coMembers.ToLookup(m => m.HouseholdId);
        foreach (var m in memberships)
        {
            var label = households.GetValueOrDefault(m.HouseholdId, "a household");
            var others = coMembersByHousehold[m.HouseholdId].Where(o => Overlaps(o.LivedFrom, o.LivedTo, m.LivedFrom, m.LivedTo))
                .Select(o => NameOf(o.PersonId)).Distinct().ToList();
            Add(SectionFamily, $"household_member:{m.Id}", m.LivedFrom, $"Household: {label}",
                $"Lived at {label} from {Day(m.LivedFrom)}" + (m.LivedTo is { } to ? $" to {Day(to)}" : "") + "."
                + (others.Count > 0 ? $"\nOther people recorded as living there at the same time: {string.Join(", ", others)}." : ""), SourceLabel(m.Source), m.PersonId);
        }

        foreach (var r in incoming)
        {
            Add(SectionOthers, $"relationship:{r.Id}", r.StartedOn, $"In the record of {NameOf(r.PersonId)}",
                $"{Capitalise(You(r.RelatedPersonId))} {(subjects.Count > 1 ? "is" : "are")} recorded as {Possessive(NameOf(r.PersonId))} {RelationLabel(r.RelationshipType).ToLowerInvariant()}"
                + (r.ParentalResponsibility ? " (with parental responsibility)" : "") + "." + Period(r.StartedOn, r.EndedOn), SourceLabel(r.Source), r.RelatedPersonId);
        }

        foreach (var c in childrenOf)
        {
            Add(SectionOthers, $"person_mother:{c.Id}", DateOnly.FromDateTime(c.CreatedAt.UtcDateTime), $"In the record of {NameOf(c.Id)}",
                $"{Capitalise(You(c.MotherId!.Value))} {(subjects.Count > 1 ? "is" : "are")} recorded as the mother of {NameOf(c.Id)}.", null, c.MotherId!.Value);
        }

        foreach (var o in coMembers)
        {
            var mine = memberships.FirstOrDefault(m => m.HouseholdId == o.HouseholdId && Overlaps(o.LivedFrom, o.LivedTo, m.LivedFrom, m.LivedTo));
            if (mine is null)
            {
                continue;
            }

            Add(SectionOthers, $"household_member:{o.Id}", o.LivedFrom, $"In the record of {NameOf(o.PersonId)}",
                $"{NameOf(o.PersonId)} is recorded as living at {households.GetValueOrDefault(o.HouseholdId, "a household")}, where {You(mine.PersonId)} lived, from {Day(o.LivedFrom)}"
                + (o.LivedTo is { } to ? $" to {Day(to)}" : "") + ".", SourceLabel(o.Source), mine.PersonId);
        }

        foreach (var n in othersNotes)
        {
            var subject = n.ParticipantPersonIds.First(ids.Contains);
            Add(SectionOthers, $"case_note:{n.Id}", n.ContactDate,
                $"In the record of {NameOf(n.PersonId)}: case note ({ReferenceData.ContactTypes.LabelFor(n.ContactType) ?? n.ContactType})",
                n.Text + (string.IsNullOrWhiteSpace(n.Participants) ? "" : $"\nPeople present: {n.Participants}"), SourceLabel(n.Source), subject);
        }

        // ---- education
        foreach (var e in await db.Set<EducationProvider>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionEducation, $"education_provider:{e.Id}", e.AttendedFrom, $"School or college: {e.ProviderName}",
                $"Attended {e.ProviderName}{(e.Urn is null ? "" : $" (URN {e.Urn})")} from {Day(e.AttendedFrom)}" + (e.AttendedTo is { } to ? $" to {Day(to)}" : "") + ".", SourceLabel(e.Source), e.PersonId);
        }

        foreach (var e in await db.Set<SendProvisionRecord>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionEducation, $"send_provision:{e.Id}", e.StartedOn, "Special educational needs provision",
                $"{ReferenceData.SendProvision.LabelFor(e.Provision) ?? e.Provision} from {Day(e.StartedOn)}" + (e.EndedOn is { } to ? $" to {Day(to)}" : "") + ".", SourceLabel(e.Source), e.PersonId);
        }

        foreach (var e in await db.Set<EducationPlan>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionEducation, $"education_plan:{e.Id}", e.StartedOn, $"Education plan: {ReferenceData.PlanTypes.LabelFor(e.PlanType) ?? e.PlanType}",
                $"Started {Day(e.StartedOn)}" + (e.LastReviewedOn is { } last ? $", last reviewed {Day(last)}" : "") + (e.NextReviewOn is { } next ? $", next review {Day(next)}" : "") + ".",
                SourceLabel(e.Source), e.PersonId);
        }

        foreach (var e in await db.Set<AttendanceRecord>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            var percent = e.PossibleSessions == 0 ? 0 : 100.0 * e.AttendedSessions / e.PossibleSessions;
            Add(SectionEducation, $"attendance_record:{e.Id}", e.PeriodFrom, "Attendance",
                $"{e.AttendedSessions} of {e.PossibleSessions} sessions ({percent.ToString("0.#", CultureInfo.InvariantCulture)}%) from {Day(e.PeriodFrom)} to {Day(e.PeriodTo)}.", SourceLabel(e.Source), e.PersonId);
        }

        foreach (var e in await db.Set<SchoolExclusion>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionEducation, $"school_exclusion:{e.Id}", e.StartedOn, $"Exclusion: {CaseRecordCodes.ExclusionTypes.LabelFor(e.ExclusionType) ?? e.ExclusionType}",
                $"From {Day(e.StartedOn)}" + (e.Days is { } days ? $" for {days.ToString("0.#", CultureInfo.InvariantCulture)} days" : "") + $". Reason: {e.Reason}", SourceLabel(e.Source), e.PersonId);
        }

        foreach (var e in await db.Set<Achievement>().AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionEducation, $"achievement:{e.Id}", e.AchievedOn, "Achievement", e.Description, SourceLabel(e.Source), e.PersonId);
        }

        // ---- consents, statements, restrictions and requests
        foreach (var c in await db.Set<PersonConsent>().AsNoTracking().Where(c => ids.Contains(c.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionRights, $"person_consent:{c.Id}", c.GivenOn, "Consent", $"Consent given on {Day(c.GivenOn)} for: {c.Purpose}"
                + (c.WithdrawnOn is { } withdrawn ? $". Withdrawn on {Day(withdrawn)}." : "."), null, c.PersonId);
        }

        foreach (var s in await db.Set<RecordStatement>().AsNoTracking().Where(s => ids.Contains(s.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionRights, $"record_statement:{s.Id}", DateOnly.FromDateTime(s.CreatedAt.UtcDateTime), "Your statement kept with the record", s.Text, null, s.PersonId);
        }

        foreach (var r in await db.Set<RectificationItem>().AsNoTracking().Where(r => ids.Contains(r.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionRights, $"rectification_item:{r.Id}", DateOnly.FromDateTime(r.CreatedAt.UtcDateTime), "A correction you asked for",
                $"What was said to be wrong: {r.Information}\nWhat the record said: {r.CurrentValue ?? "not recorded"}\nWhat it should say: {r.ProposedValue}\nDecision: {r.Status}", null, r.PersonId);
        }

        foreach (var r in await db.Set<ProcessingRestriction>().AsNoTracking().Where(r => ids.Contains(r.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionRights, $"processing_restriction:{r.Id}", DateOnly.FromDateTime(r.StartedAt.UtcDateTime), "Restriction of use",
                $"Use of the record restricted from {Day(DateOnly.FromDateTime(r.StartedAt.UtcDateTime))}: {r.Reason}"
                + (r.LiftedAt is { } lifted ? $"\nLifted on {Day(DateOnly.FromDateTime(lifted.UtcDateTime))}: {r.LiftReason}" : ""), null, r.PersonId);
        }

        var requests = await (from s in db.Set<RightsRequestSubject>().AsNoTracking()
                              join r in db.Set<RightsRequest>().AsNoTracking() on s.RequestId equals r.Id
                              where ids.Contains(s.PersonId)
                              select new { s.Id, s.PersonId, r.Reference, r.ReceivedOn, r.Rights, r.Status }).ToListAsync(cancellationToken);
        foreach (var r in requests)
        {
            Add(SectionRights, $"rights_request_subject:{r.Id}", r.ReceivedOn, $"Information rights request {r.Reference}",
                $"Received {Day(r.ReceivedOn)}. Rights asked for: {string.Join(", ", r.Rights.Select(RightsCodes.ShortLabel))}. Status: {RightsCodes.Statuses.LabelFor(r.Status) ?? r.Status}.", null, r.PersonId);
        }

        // ---- disclosures (the disclosure log)
        foreach (var d in await db.Set<Disclosure>().AsNoTracking().Where(d => ids.Contains(d.PersonId)).ToListAsync(cancellationToken))
        {
            Add(SectionDisclosures, $"disclosure:{d.Id}", d.DisclosedOn, $"Shared with {d.RecipientName}",
                $"On {Day(d.DisclosedOn)} we shared information with {d.RecipientName}.\nWhy: {d.Purpose}\nLegal basis: {d.LawfulBasis}\nWhat was shared: {string.Join(", ", d.Categories)}\nSummary: {d.Summary}",
                null, d.PersonId);
        }

        // ---- who has accessed the record: the audit trail, grants of access and emergency access. Staff are shown by
        // role and organisation (professionals acting in their role).
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.PersonIds.Any(p => ids.Contains(p)))
            .Select(e => new { e.Seq, e.OccurredAt, e.ActorUserId, e.ActorRole, e.Action, e.Purpose, e.PersonIds }).ToListAsync(cancellationToken);
        var grants = await db.RecordAccessGrants.AsNoTracking().Where(g => ids.Contains(g.PersonId)).ToListAsync(cancellationToken);
        var breakGlass = await db.BreakGlassEvents.AsNoTracking().Where(b => ids.Contains(b.PersonId)).ToListAsync(cancellationToken);
        var userIds = events.Where(e => e.ActorUserId != null).Select(e => e.ActorUserId!.Value).Concat(grants.Select(g => g.UserId)).Concat(breakGlass.Select(b => b.UserId)).Distinct().ToArray();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.OrganisationId, u.Roles, u.DisplayName }).ToDictionaryAsync(u => u.Id, cancellationToken);
        string Who(Guid? userId, string? role)
        {
            if (userId is { } id && users.TryGetValue(id, out var u))
            {
                var r = role is null or "system" ? u.Roles.FirstOrDefault() : role;
                return $"{(r is null ? "A member of staff" : Roles.DisplayName(r))}, {organisations.GetValueOrDefault(u.OrganisationId, "unknown organisation")}";
            }

            return role is null or "system" ? "Haven (an automatic process)" : Roles.DisplayName(role);
        }

        foreach (var e in events)
        {
            var subject = e.PersonIds.First(ids.Contains);
            Add(SectionAccess, $"audit_event:{e.Seq}", DateOnly.FromDateTime(e.OccurredAt.UtcDateTime), AccessKind(e.Action),
                $"{e.OccurredAt.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} (UTC): {Who(e.ActorUserId, e.ActorRole)}."
                + (string.IsNullOrWhiteSpace(e.Purpose) ? "" : $" Purpose: {e.Purpose}."), null, subject);
        }

        foreach (var g in grants)
        {
            Add(SectionAccess, $"record_access_grant:{g.Id}", DateOnly.FromDateTime(g.StartsAt.UtcDateTime), "Access to your record given to a worker",
                $"{Who(g.UserId, null)} was given access ({g.Basis.Replace('_', ' ')}) from {Day(DateOnly.FromDateTime(g.StartsAt.UtcDateTime))}"
                + (g.EndsAt is { } ends ? $" to {Day(DateOnly.FromDateTime(ends.UtcDateTime))}" : "") + $". Reason: {g.Reason}", null, g.PersonId);
        }

        foreach (var b in breakGlass)
        {
            Add(SectionAccess, $"break_glass_event:{b.Id}", DateOnly.FromDateTime(b.CreatedAt.UtcDateTime), "Emergency access to your record",
                $"{Who(b.UserId, null)} used emergency access. Reason given: {b.Reason}" + (b.ReviewOutcome is null ? "" : $"\nReviewed by a manager: {b.ReviewOutcome}"), null, b.PersonId);
        }

        // ---- CP-IS: emergency and unscheduled-care settings that checked the child protection list, and concerns they sent
        var cpisAccesses = await db.Set<Cpis.CpisAccess>().AsNoTracking().Where(a => a.PersonId != null && ids.Contains(a.PersonId.Value)).ToListAsync(cancellationToken);
        var cpisConcerns = await db.Set<Cpis.CpisConcern>().AsNoTracking().Where(c => ids.Contains(c.PersonId)).ToListAsync(cancellationToken);
        var clientIds = cpisAccesses.Select(a => a.ClientId).Concat(cpisConcerns.Select(c => c.ClientId)).Distinct().ToArray();
        var settings = await db.Set<Cpis.CpisClient>().AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        string Setting(Guid clientId) => settings.TryGetValue(clientId, out var c) ? $"{c.Name} ({Cpis.CpisCodes.SettingName(c.SettingType)})" : "An NHS unscheduled-care setting";
        foreach (var a in cpisAccesses)
        {
            Add(SectionAccess, $"cpis_access:{a.Id}", DateOnly.FromDateTime(a.OccurredAt.UtcDateTime), "Checked on the child protection information sharing list (CP-IS)",
                $"{Setting(a.ClientId)} checked the list{(a.ClinicianRole is null ? "" : $" (clinician's role: {a.ClinicianRole})")} at {a.OccurredAt:HH:mm}.", null, a.PersonId!.Value);
        }

        foreach (var c in cpisConcerns)
        {
            Add(SectionAccess, $"cpis_concern:{c.Id}", DateOnly.FromDateTime(c.CreatedAt.UtcDateTime), "A concern sent by a health setting through CP-IS",
                $"{Setting(c.ClientId)}{(c.ClinicianRole is null ? "" : $", {c.ClinicianRole}")}: {c.Concern}", null, c.PersonId);
        }

        // ---- third parties and professionals
        var subjectTerms = subjects.SelectMany(s => new[] { s.GivenName, s.FamilyName, s.KnownAs, s.FullName })
            .Concat(names.SelectMany(n => new[] { n.GivenName, n.FamilyName, $"{n.GivenName} {n.FamilyName}" }))
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var thirdParties = new List<ThirdParty>();
        foreach (var (id, how) in connections)
        {
            if (!connected.TryGetValue(id, out var p))
            {
                continue;
            }

            var terms = new List<string?> { $"{p.GivenName} {p.FamilyName}", p.GivenName, p.FamilyName, p.KnownAs, p.NhsNumber, p.Upn, p.Phone, p.Email };
            foreach (var n in connectedNames[id])
            {
                terms.Add($"{n.GivenName} {n.FamilyName}");
                terms.Add(n.GivenName);
                terms.Add(n.FamilyName);
            }

            thirdParties.Add(new ThirdParty(id, $"{p.GivenName} {p.FamilyName}", how, terms.Where(t => !string.IsNullOrWhiteSpace(t) && t!.Trim().Length >= 2)
                .Select(t => t!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList()));
        }

        var professionalNames = professionals.Select(p => p.Name).Concat(users.Values.Select(u => u.DisplayName)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var result = SectionList.Select(s => new SubjectSection(s.Code, s.Title, s.Description,
            sections[s.Code].OrderBy(e => e.Date ?? DateOnly.MinValue).ThenBy(e => e.Key, StringComparer.Ordinal).ToList())).ToList();
        return new SubjectData(ids, subjects.Select(s => s.FullName).ToList(), result, thirdParties.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(), professionalNames, subjectTerms);
    }

    /// <summary>A plain description of what an audited action was, without the internal action name's detail.</summary>
    public static string AccessKind(string action)
    {
        if (action.StartsWith("rights.", StringComparison.Ordinal))
        {
            return "Handling of an information rights request";
        }

        if (action.Contains("break_glass", StringComparison.Ordinal))
        {
            return "Emergency access";
        }

        if (action.Contains("denied", StringComparison.Ordinal) || action.Contains("refused", StringComparison.Ordinal))
        {
            return "Attempt to open the record (refused)";
        }

        if (action.Contains("download", StringComparison.Ordinal))
        {
            return "Document downloaded";
        }

        if (action.Contains("search", StringComparison.Ordinal))
        {
            return "Found in a search";
        }

        if (action.Contains("merge", StringComparison.Ordinal))
        {
            return "Records merged";
        }

        if (action.Contains("retention", StringComparison.Ordinal) || action.Contains("dispos", StringComparison.Ordinal))
        {
            return "Retention review";
        }

        string[] changes = ["created", "added", "recorded", "updated", "changed", "corrected", "ended", "uploaded", "removed"];
        if (changes.Any(c => action.Contains(c, StringComparison.Ordinal)))
        {
            return "Record added to or changed";
        }

        return action.Contains("view", StringComparison.Ordinal) || action.Contains("open", StringComparison.Ordinal) || action.Contains("list", StringComparison.Ordinal)
            ? "Record looked at"
            : "Other use of the record";
    }

    private static string RelationLabel(string code) => ReferenceData.FamilyRelationships.LabelFor(code) ?? code.Replace('_', ' ');

    private static string? SourceLabel(string? code) => string.IsNullOrEmpty(code) ? null : ReferenceData.InformationSources.LabelFor(code) ?? code;

    private static void AddLine(List<string> lines, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            lines.Add($"{label}: {value}");
        }
    }

    private static string Day(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Period(DateOnly? from, DateOnly? to) =>
        (from, to) switch
        {
            (null, null) => string.Empty,
            ({ } f, null) => $" (from {Day(f)})",
            (null, { } t) => $" (until {Day(t)})",
            ({ } f, { } t) => $" ({Day(f)} to {Day(t)})",
        };

    private static bool Overlaps(DateOnly aFrom, DateOnly? aTo, DateOnly bFrom, DateOnly? bTo) =>
        aFrom <= (bTo ?? DateOnly.MaxValue) && bFrom <= (aTo ?? DateOnly.MaxValue);

    private static string Possessive(string name) => name == "you" ? "your" : name.EndsWith('s') ? name + "'" : name + "'s";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KB",
        _ => $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB",
    };
}
