using System.Text;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;

namespace Haven.Core.CaseWork;

/// <summary>Invented case work for the demo child Amara Clarke: a few contacts, the three lists, a plan, a service and a short letter.</summary>
public static class CaseWorkDemo
{
    public const string LetterFileName = "school-attendance-letter.txt";

    public static async Task SeedAsync(HavenDbContext db, FieldCipher cipher, Person child, Person mother, User worker, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        T Entry<T>(T entry, string source, int daysAgo)
            where T : CaseWorkEntry
        {
            entry.Id = Guid.NewGuid();
            entry.PersonId = child.Id;
            entry.Source = source;
            entry.CreatedByUserId = worker.Id;
            entry.CreatedAt = now.AddDays(-daysAgo);
            return entry;
        }

        db.Set<CaseNote>().AddRange(
            Entry(new CaseNote
            {
                ContactType = "visit",
                ContactDate = today.AddDays(-21),
                ContactTime = new TimeOnly(15, 30),
                Participants = "Amara\nDanielle Clarke (mother)",
                ParticipantPersonIds = [mother.Id],
                Text = "Home visit after school. Amara showed me her bedroom and the drawings she made for her brother.\n"
                    + "The kitchen had food in and the heating was on. Danielle said mornings are hard since her shifts changed.",
            }, "family", 21),
            Entry(new CaseNote
            {
                ContactType = "phone_call",
                ContactDate = today.AddDays(-14),
                ContactTime = new TimeOnly(10, 5),
                Participants = "Class teacher, Riverside Primary",
                Text = "School rang: Amara was late four times this half term and seemed tired. No marks or injuries seen.",
            }, "school", 14),
            Entry(new CaseNote
            {
                ContactType = "meeting",
                ContactDate = today.AddDays(-7),
                ContactTime = new TimeOnly(13, 0),
                Participants = "Danielle Clarke (mother)\nFamily support worker\nSchool attendance officer",
                ParticipantPersonIds = [mother.Id],
                Text = "Team around the family meeting. Agreed a morning routine plan and a breakfast club place from next week.",
            }, "other_agency", 7));

        db.Set<CaseWorry>().AddRange(
            Entry(new CaseWorry { Kind = "worry", Text = "Amara is often late for school and tired in the mornings.", RecordedOn = today.AddDays(-14) }, "school", 14),
            Entry(new CaseWorry { Kind = "working_well", Text = "Amara is close to her grandmother, who visits every weekend.", RecordedOn = today.AddDays(-21) }, "child", 21),
            Entry(new CaseWorry { Kind = "working_well", Text = "Danielle has kept every appointment with the family support worker.", RecordedOn = today.AddDays(-7) }, "other_agency", 7),
            Entry(new CaseWorry { Kind = "next_step", Text = "Start breakfast club and check attendance again in four weeks.", RecordedOn = today.AddDays(-7) }, "other_agency", 7));

        db.Set<CasePlan>().Add(Entry(new CasePlan
        {
            PlanType = "family_support_plan",
            StartedOn = today.AddDays(-7),
            ReviewOn = today.AddDays(21),
            Outcome = "Morning routine plan agreed with Danielle; breakfast club place arranged.",
        }, "family", 7));

        db.Set<CaseService>().Add(Entry(new CaseService { Name = "Breakfast club", Provider = "Riverside Primary School", FromDate = today.AddDays(-3) }, "school", 3));

        var letter = Encoding.UTF8.GetBytes("Riverside Primary School\n\nDear Ms Clarke,\n\nThank you for meeting us about Amara's attendance. "
            + "We are pleased to offer Amara a place at breakfast club from Monday.\n\nAttendance officer\n");
        var document = Entry(new CaseDocument
        {
            Title = "Letter from school about attendance",
            FileName = LetterFileName,
            ContentType = ContentSniffer.Text.ContentType,
            Kind = ContentSniffer.Text.Kind,
            SizeBytes = letter.Length,
        }, "school", 5);
        document.ContentSealed = await cipher.SealBytesAsync(child.OrganisationId, DocumentService.ContentPurpose, letter, cancellationToken);
        db.Set<CaseDocument>().Add(document);
        await db.SaveChangesAsync(cancellationToken);
    }
}
