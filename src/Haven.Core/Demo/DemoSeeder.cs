using Haven.Core.CaseWork;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Keys;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Demo;

/// <summary>
/// Demo data: the five seed organisations, teams, one account for each role, and a few fictional people
/// with working relationships that show need-to-know access at work. Every name here is invented.
/// </summary>
public sealed class DemoSeeder(HavenDbContext db, IPasswordHasher<User> hasher, AccountService accounts, FieldCipher cipher, RegisterService register, TimeProvider clock)
{
    public const string DemoPassword = "demo-password-2026";

    /// <summary>The demo authenticator key for the administrator and DPO accounts (base32).</summary>
    public const string DemoTotpKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public sealed record DemoAccount(string Email, string Role, string Description, bool TwoFactor);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("sam.worker@demo.haven.test", Roles.Practitioner, "Social worker, AfC Kingston assessment team; allocated to two children", false),
        new("pat.lapsed@demo.haven.test", Roles.Practitioner, "Social worker whose data protection training has lapsed", false),
        new("fay.fgc@demo.haven.test", Roles.Practitioner, "Family group conference coordinator, Essex County Council: her notice does not cover sexual orientation or date of birth", false),
        new("maria.manager@demo.haven.test", Roles.TeamManager, "Team manager, AfC Kingston assessment team", false),
        new("rob.reviews@demo.haven.test", Roles.ReviewBusinessOfficer, "Review business officer, Essex Safeguarding Children Board", false),
        new("lee.lead@demo.haven.test", Roles.LeadReviewer, "Lead reviewer with access to one child until 90 days from now", false),
        new("rita.review@demo.haven.test", Roles.ReviewTeamMember, "Review team member whose access has ended", false),
        new("paula.police@demo.haven.test", Roles.PartnerContributor, "Police contributor to one chronology request", false),
        new("tina.training@demo.haven.test", Roles.TrainingAdministrator, "Training administrator, Somerset Safeguarding Children Partnership", false),
        new("ian.governance@demo.haven.test", Roles.InformationGovernance, "Information governance officer, Essex County Council", false),
        new("iris.rights@demo.haven.test", Roles.InformationGovernance, "Information governance officer, Achieving for Children: handles rights requests and signs off the DPO's bundles", false),
        new("nina.nurse@demo.haven.test", Roles.NhsClinician, "Emergency department nurse (CP-IS lookups)", false),
        new("dora.dpo@demo.haven.test", Roles.DataProtectionOfficer, "Data Protection Officer, Achieving for Children (two-factor)", true),
        new("adam.admin@demo.haven.test", Roles.SystemAdministrator, "System administrator (two-factor)", true),
    ];

    public async Task<bool> SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Organisations.AnyAsync(cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Organisation Org(string name, string shortName) => new() { Id = Guid.NewGuid(), Name = name, ShortName = shortName, CreatedAt = now };
        var escb = Org("Essex Safeguarding Children Board", "escb");
        var sscp = Org("Somerset Safeguarding Children Partnership", "sscp");
        var sees = Org("South Essex Extended Services", "sees");
        var ecc = Org("Essex County Council — Family Group Conference", "ecc-fgc");
        var afc = Org("Achieving for Children — Children's Social Care", "afc");
        db.Organisations.AddRange(escb, sscp, sees, ecc, afc);

        Team TeamOf(Organisation org, string name, string service) => new() { Id = Guid.NewGuid(), OrganisationId = org.Id, Name = name, ServiceCode = service };
        var assessment = TeamOf(afc, "Kingston assessment team", "childrens-social-care");
        var fostering = TeamOf(afc, "Fostering and adoption team", "childrens-social-care");
        var familySupport = TeamOf(sees, "Family support team", "family-support");
        var fgc = TeamOf(ecc, "Family group conference service", "family-group-conference");
        var reviews = TeamOf(escb, "Practice review business unit", "practice-reviews");
        var learning = TeamOf(sscp, "Learning and development", "learning-and-development");
        db.Teams.AddRange(assessment, fostering, familySupport, fgc, reviews, learning);
        await db.SaveChangesAsync(cancellationToken);

        // Each organisation's privacy register, from the data files in config/register that are built into Haven.
        var imported = await register.ImportAsync(BuiltInRegisterFiles(), "Demo data: configured from the organisation's published privacy notice", null, "demo data",
            cancellationToken: cancellationToken);
        if (!imported.Imported)
        {
            throw new InvalidOperationException("The built-in register files are invalid: " + string.Join("; ", imported.Errors));
        }

        var totpSecret = Totp.FromBase32(DemoTotpKey);
        var users = new Dictionary<string, User>();
        foreach (var account in Accounts)
        {
            var (org, team, name) = account.Email switch
            {
                "sam.worker@demo.haven.test" => (afc, assessment, "Sam Okafor"),
                "pat.lapsed@demo.haven.test" => (afc, assessment, "Pat Lindqvist"),
                "fay.fgc@demo.haven.test" => (ecc, fgc, "Fay Adeyemi"),
                "maria.manager@demo.haven.test" => (afc, assessment, "Maria Fernandes"),
                "rob.reviews@demo.haven.test" => (escb, reviews, "Rob Achebe"),
                "lee.lead@demo.haven.test" => (escb, reviews, "Lee Whitmore"),
                "rita.review@demo.haven.test" => (escb, reviews, "Rita Novak"),
                "paula.police@demo.haven.test" => (escb, (Team?)null, "Paula Reyes"),
                "tina.training@demo.haven.test" => (sscp, learning, "Tina Moreau"),
                "ian.governance@demo.haven.test" => (ecc, (Team?)null, "Ian Castellano"),
                "iris.rights@demo.haven.test" => (afc, (Team?)null, "Iris Mbeki"),
                "nina.nurse@demo.haven.test" => (afc, (Team?)null, "Nina Haddad"),
                "dora.dpo@demo.haven.test" => (afc, (Team?)null, "Dora Kowalski"),
                _ => (afc, (Team?)null, "Adam Oyelaran"),
            };
            var user = new User
            {
                Id = Guid.NewGuid(),
                OrganisationId = org.Id,
                TeamId = team?.Id,
                Email = account.Email,
                NormalizedEmail = account.Email.ToUpperInvariant(),
                DisplayName = name,
                JobTitle = Roles.DisplayName(account.Role),
                Roles = [account.Role],
                LastDataProtectionTrainingOn = account.Email.StartsWith("pat.", StringComparison.Ordinal) ? today.AddMonths(-14) : today.AddMonths(-2),
                SecurityStamp = AccountService.NewStamp(),
                CreatedAt = now,
                TotpSecretProtected = account.TwoFactor ? accounts.ProtectTotpSecret(totpSecret) : null,
            };
            user.PasswordHash = hasher.HashPassword(user, DemoPassword);
            users[account.Email] = user;
            db.Users.Add(user);
        }

        await db.SaveChangesAsync(cancellationToken);
        assessment.ManagerUserId = users["maria.manager@demo.haven.test"].Id;

        var serial = 0;
        Person PersonOf(Organisation org, Team? team, string given, string family, DateOnly? dob, bool restricted = false, string type = "child") => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = org.Id,
            OwningTeamId = team?.Id,
            PersonType = type,
            GivenName = given,
            FamilyName = family,
            DateOfBirth = dob,
            Restricted = restricted,
            RestrictionReason = restricted ? "Adoption record" : null,
            NhsNumber = DemoNhsNumber(++serial),
            Gender = serial % 2 == 0 ? "female" : "male",
            CreatedAt = now,
        };
        var amara = PersonOf(afc, null, "Amara", "Clarke", today.AddYears(-7).AddDays(-40));
        var jayden = PersonOf(afc, null, "Jayden", "Clarke", today.AddYears(-4).AddDays(-200));
        var danielle = PersonOf(afc, assessment, "Danielle", "Clarke", today.AddYears(-29).AddDays(-91), type: "adult");
        var lily = PersonOf(afc, assessment, "Lily", "Brennan", today.AddYears(-12).AddDays(-3));
        var noah = PersonOf(afc, fostering, "Noah", "Whitfield", today.AddYears(-9).AddDays(-75), restricted: true);
        var ellis = PersonOf(sees, familySupport, "Ellis", "Marsh", today.AddYears(-14).AddDays(-120));
        var ruby = PersonOf(ecc, fgc, "Ruby", "Hart", today.AddYears(-6).AddDays(-10));
        var child = PersonOf(escb, null, "Child", "R (review subject)", today.AddYears(-3));
        var unborn = PersonOf(afc, assessment, "Unborn", "Clarke", null, type: "unborn");
        unborn.NhsNumber = null;
        unborn.ExpectedDateOfBirth = today.AddMonths(3);
        unborn.MotherId = danielle.Id;
        amara.KnownAs = "Mara";
        amara.FirstLanguage = "English";
        amara.Upn = DemoUpn();
        db.People.AddRange(amara, jayden, danielle, lily, noah, ellis, ruby, child, unborn);
        foreach (var (person, ethnicity) in new[] { (amara, "MWBC"), (jayden, "MWBC"), (danielle, "WBRI"), (lily, "WIRI"), (ellis, "BAFR"), (ruby, "AIND") })
        {
            person.EthnicitySealed = await cipher.SealAsync(person.OrganisationId, PeopleService.EthnicityPurpose, ethnicity, cancellationToken);
        }

        Address AddressOf(Person p, string line1, string town, string postcode) => new()
        {
            Id = Guid.NewGuid(),
            PersonId = p.Id,
            Line1 = line1,
            Town = town,
            Postcode = postcode,
            LivedFrom = today.AddYears(-2),
            CreatedAt = now,
        };
        db.Addresses.AddRange(
            AddressOf(amara, "14 Orchard Row", "Kingston upon Thames", "KT1 2AB"),
            AddressOf(jayden, "14 Orchard Row", "Kingston upon Thames", "KT1 2AB"),
            AddressOf(danielle, "14 Orchard Row", "Kingston upon Thames", "KT1 2AB"),
            AddressOf(lily, "3 Mill Lane", "Surbiton", "KT6 4QD"),
            AddressOf(ellis, "27 Harbour Close", "Rochford", "SS4 1TL"),
            AddressOf(ruby, "8 Station Road", "Chelmsford", "CM1 1XX"));
        await db.SaveChangesAsync(cancellationToken);

        RecordAccessGrant Grant(Person p, string email, string basis, DateTimeOffset? ends, string reason) => new()
        {
            Id = Guid.NewGuid(),
            PersonId = p.Id,
            UserId = users[email].Id,
            Basis = basis,
            StartsAt = now.AddDays(-30),
            EndsAt = ends,
            GrantedByUserId = users["maria.manager@demo.haven.test"].Id,
            Reason = reason,
            CreatedAt = now,
        };
        db.RecordAccessGrants.AddRange(
            Grant(amara, "sam.worker@demo.haven.test", "allocated_worker", null, "Allocated social worker"),
            Grant(jayden, "sam.worker@demo.haven.test", "allocated_worker", null, "Allocated social worker"),
            Grant(amara, "pat.lapsed@demo.haven.test", "allocated_worker", null, "Co-worker"),
            Grant(child, "lee.lead@demo.haven.test", "review_team", now.AddDays(90), "Lead reviewer for the practice review"),
            Grant(child, "rita.review@demo.haven.test", "review_team", now.AddDays(-1), "Review team member (review concluded)"),
            Grant(child, "paula.police@demo.haven.test", "partner_contributor", now.AddDays(21), "Police chronology request"));
        await db.SaveChangesAsync(cancellationToken);
        await CaseWorkDemo.SeedAsync(db, cipher, amara, danielle, users["sam.worker@demo.haven.test"], now, cancellationToken);
        await CaseRecordDemoData.SeedAsync(db, cipher, now, new(amara, jayden, danielle, noah, unborn, users["sam.worker@demo.haven.test"]), cancellationToken);

        // Records past their retention period, so the retention pages have something to show: one to destroy, one to
        // review, and one that a criterion hold (an inquiry into child sexual abuse) keeps.
        var callum = PersonOf(sees, familySupport, "Callum", "Reyes", today.AddYears(-26).AddDays(-30));
        var jordan = PersonOf(afc, null, "Jordan", "Pike", today.AddYears(-27));
        var sasha = PersonOf(afc, null, "Sasha", "Doyle", today.AddYears(-41));
        db.People.AddRange(callum, jordan, sasha);
        Involvement Past(Person person, string type, int startedYearsAgo, int endedYearsAgo, string? category = null) => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = person.OrganisationId,
            PersonId = person.Id,
            InvolvementType = type,
            StartedOn = today.AddYears(-startedYearsAgo),
            EndedOn = today.AddYears(-endedYearsAgo),
            CategoryOfAbuse = category,
            Source = "other_agency",
            CreatedAt = now,
        };
        db.Set<Involvement>().AddRange(Past(callum, "early_help", 12, 10), Past(jordan, "child_in_need", 15, 12), Past(sasha, "child_protection", 35, 30, "SAB"));
        db.Set<Retention.LegalHold>().Add(new Retention.LegalHold
        {
            Id = Guid.NewGuid(),
            Scope = "criterion",
            Criterion = "category-of-abuse:SAB",
            Reason = "Moratorium on destroying records relevant to the Independent Inquiry into Child Sexual Abuse",
            Authority = "Chair of the inquiry (demo)",
            StartsOn = today.AddYears(-5),
            CreatedAt = now,
        });
        RightsDemoData.Seed(db, afc, danielle, jayden, users["dora.dpo@demo.haven.test"], today, now);
        SharingDemoData.Seed(db, afc, ecc, today, now);
        // CP-IS contacts of the organisations that hold case records (Ofcom's drama numbers: never real lines).
        db.Set<Cpis.CpisAuthority>().AddRange(
            new Cpis.CpisAuthority { OrganisationId = afc.Id, DisplayName = "Achieving for Children (Kingston and Richmond)", OfficeHoursPhone = "020 7946 0101", EmergencyDutyPhone = "020 7946 0199", UpdatedAt = now },
            new Cpis.CpisAuthority { OrganisationId = sees.Id, DisplayName = "South Essex Extended Services", OfficeHoursPhone = "01632 960 301", EmergencyDutyPhone = "01632 960 399", UpdatedAt = now },
            new Cpis.CpisAuthority { OrganisationId = ecc.Id, DisplayName = "Essex County Council Children and Families", OfficeHoursPhone = "01632 960 401", EmergencyDutyPhone = "01632 960 499", UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The register files of the five seed organisations (config/register/*.yaml), embedded in Haven.Core.</summary>
    public static IReadOnlyList<RegisterFile> BuiltInRegisterFiles()
    {
        const string prefix = "Haven.Core.Register.";
        var assembly = typeof(DemoSeeder).Assembly;
        var files = new List<RegisterFile>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            files.Add(new RegisterFile(name[prefix.Length..], reader.ReadToEnd()));
        }

        return files;
    }

    /// <summary>NHS numbers from the 999 range, which the NHS never issues to real people, with a valid check digit.</summary>
    public static string DemoNhsNumber(int serial)
    {
        for (var n = serial * 7; ; n++)
        {
            var first9 = "999" + (n % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (NhsNumber.CheckDigit(first9) is { } check)
            {
                return first9 + check.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private static string DemoUpn() => UniquePupilNumber.Example;
}
