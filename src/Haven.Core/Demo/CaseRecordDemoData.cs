using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.People;

namespace Haven.Core.Demo;

/// <summary>The people the demo family and case data is about.</summary>
public sealed record CaseRecordDemoPeople(Person Amara, Person Jayden, Person Danielle, Person Noah, Person Unborn, User Worker);

/// <summary>
/// Demo relationships, household, involvements and education for the Clarke family, Noah's adoption and the unborn
/// child's pre-birth plan. Every name, number and school here is invented.
/// </summary>
public static class CaseRecordDemoData
{
    public static async Task SeedAsync(HavenDbContext db, FieldCipher cipher, DateTimeOffset now, CaseRecordDemoPeople people, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (amara, jayden, danielle, noah, unborn, worker) = people;
        var org = amara.OrganisationId;

        Relationship Related(Person person, Person related, string type, bool parentalResponsibility, DateOnly? from, string source) => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = org,
            PersonId = person.Id,
            RelatedPersonId = related.Id,
            RelationshipType = type,
            ParentalResponsibility = parentalResponsibility,
            StartedOn = from,
            Source = source,
            CreatedByUserId = worker.Id,
            CreatedAt = now,
        };
        db.Set<Relationship>().AddRange(
            Related(amara, danielle, "mother", true, amara.DateOfBirth, "family"),
            Related(jayden, danielle, "mother", true, jayden.DateOfBirth, "family"),
            Related(jayden, amara, "sibling", false, jayden.DateOfBirth, "family"),
            Related(unborn, danielle, "mother", false, null, "health_visitor"));

        var household = new Household { Id = Guid.NewGuid(), OrganisationId = org, Label = "14 Orchard Row, Kingston upon Thames KT1 2AB", CreatedByUserId = worker.Id, CreatedAt = now };
        db.Set<Household>().Add(household);
        foreach (var member in new[] { danielle, amara, jayden })
        {
            db.Set<HouseholdMember>().Add(new HouseholdMember
            {
                Id = Guid.NewGuid(),
                HouseholdId = household.Id,
                PersonId = member.Id,
                LivedFrom = today.AddYears(-2),
                Source = "family",
                CreatedByUserId = worker.Id,
                CreatedAt = now,
            });
        }

        async Task<Involvement> InvolvedAsync(Person person, string type, DateOnly from, DateOnly? to, string source, string? details = null) => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = person.OrganisationId,
            PersonId = person.Id,
            InvolvementType = type,
            StartedOn = from,
            EndedOn = to,
            PreBirth = type == "child_protection" && person.PersonType == "unborn",
            DetailsSealed = await cipher.SealAsync(person.OrganisationId, InvolvementService.DetailsPurpose(type), details, cancellationToken),
            Source = source,
            CreatedByUserId = worker.Id,
            CreatedAt = now,
        };
        var amaraReferral = await InvolvedAsync(amara, "referral", today.AddMonths(-7), today.AddMonths(-7), "school", "School raised concerns about hunger and unwashed uniform.");
        amaraReferral.ReferralSource = "2A";
        var amaraPlan = await InvolvedAsync(amara, "child_protection", today.AddMonths(-6), null, "other_agency");
        amaraPlan.CategoryOfAbuse = "NEG";
        var jaydenPlan = await InvolvedAsync(jayden, "child_in_need", today.AddMonths(-6), null, "other_agency");
        var jaydenDisability = await InvolvedAsync(jayden, "disability", today.AddYears(-2), null, "health_visitor", "Speech and language delay; under the community paediatrician.");
        var noahAdoption = await InvolvedAsync(noah, "adoption", today.AddYears(-3), null, "other_agency");
        noahAdoption.AdoptionOrderOn = today.AddYears(-2).AddDays(-14);
        var unbornPlan = await InvolvedAsync(unborn, "child_protection", today.AddMonths(-1), null, "health_visitor");
        unbornPlan.CategoryOfAbuse = "NEG";
        db.Set<Involvement>().AddRange(amaraReferral, amaraPlan, jaydenPlan, jaydenDisability, noahAdoption, unbornPlan);

        db.Set<CourtOrder>().Add(new CourtOrder
        {
            Id = Guid.NewGuid(),
            OrganisationId = org,
            PersonId = noah.Id,
            OrderType = "adoption_order",
            Court = "Kingston upon Thames Family Court",
            MadeOn = noahAdoption.AdoptionOrderOn.Value,
            Source = "other_agency",
            CreatedByUserId = worker.Id,
            CreatedAt = now,
        });

        ProfessionalInvolved Professional(Person person, string role, string name, string organisation, string contact, DateOnly from, string source) => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = org,
            PersonId = person.Id,
            Role = role,
            Name = name,
            ProfessionalOrganisation = organisation,
            Contact = contact,
            InvolvedFrom = from,
            Source = source,
            CreatedByUserId = worker.Id,
            CreatedAt = now,
        };
        db.Set<ProfessionalInvolved>().AddRange(
            Professional(amara, "gp", "Dr Priya Navaratnam", "Orchard Row Surgery (demo)", "01632 960 111", today.AddYears(-2), "family"),
            Professional(amara, "school", "Mrs Helen Adebayo, designated safeguarding lead", "Riverside Primary School (demo)", "dsl@riverside.demo.haven.test", today.AddYears(-2), "school"),
            Professional(amara, "social_worker", "Sam Okafor", "Achieving for Children", "sam.worker@demo.haven.test", today.AddMonths(-6), "other_agency"),
            Professional(unborn, "health_visitor", "Grace Mensah", "Kingston Health Visiting (demo)", "01632 960 222", today.AddMonths(-1), "health_visitor"));

        var school = today.AddYears(-2);
        db.Set<EducationProvider>().AddRange(
            new EducationProvider { Id = Guid.NewGuid(), PersonId = amara.Id, ProviderName = "Riverside Primary School (demo)", Urn = "999101", AttendedFrom = school, Source = "school", CreatedByUserId = worker.Id, CreatedAt = now },
            new EducationProvider { Id = Guid.NewGuid(), PersonId = jayden.Id, ProviderName = "Little Acorns Nursery (demo)", AttendedFrom = today.AddYears(-1), Source = "family", CreatedByUserId = worker.Id, CreatedAt = now });
        db.Set<AttendanceRecord>().AddRange(
            new AttendanceRecord { Id = Guid.NewGuid(), PersonId = amara.Id, PeriodFrom = today.AddMonths(-9), PeriodTo = today.AddMonths(-6), PossibleSessions = 140, AttendedSessions = 112, Source = "school", CreatedByUserId = worker.Id, CreatedAt = now },
            new AttendanceRecord { Id = Guid.NewGuid(), PersonId = amara.Id, PeriodFrom = today.AddMonths(-6).AddDays(1), PeriodTo = today.AddMonths(-3), PossibleSessions = 120, AttendedSessions = 111, Source = "school", CreatedByUserId = worker.Id, CreatedAt = now });
        db.Set<EducationPlan>().Add(new EducationPlan { Id = Guid.NewGuid(), PersonId = amara.Id, PlanType = "PEP", StartedOn = today.AddMonths(-5), LastReviewedOn = today.AddMonths(-2), NextReviewOn = today.AddMonths(1), Source = "school", CreatedByUserId = worker.Id, CreatedAt = now });
        db.Set<SendProvisionRecord>().Add(new SendProvisionRecord { Id = Guid.NewGuid(), PersonId = jayden.Id, Provision = "K", StartedOn = today.AddMonths(-10), Source = "other_agency", CreatedByUserId = worker.Id, CreatedAt = now });
        db.Set<Achievement>().Add(new Achievement { Id = Guid.NewGuid(), PersonId = amara.Id, AchievedOn = today.AddMonths(-1), Description = "Star of the week for reading", Source = "school", CreatedByUserId = worker.Id, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }
}
