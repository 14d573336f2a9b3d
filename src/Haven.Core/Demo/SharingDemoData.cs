using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Sharing;

namespace Haven.Core.Demo;

/// <summary>
/// Partner organisations and information-sharing agreements for Achieving for Children and the Essex County Council
/// family group conference service, each linked to the recipients their privacy registers name. One Achieving for
/// Children agreement is past its review date, so the agreements page shows the overdue flag.
/// </summary>
public static class SharingDemoData
{
    public static void Seed(HavenDbContext db, Organisation afc, Organisation ecc, DateOnly today, DateTimeOffset now)
    {
        SharingPartner Partner(Organisation org, string name, string type, string[] recipients, string? contact = null, string? address = null) => new()
        {
            Id = Guid.NewGuid(),
            OrganisationId = org.Id,
            Name = name,
            PartnerType = type,
            Contact = contact,
            Address = address,
            RecipientCodes = recipients,
            CreatedAt = now,
            UpdatedAt = now,
        };
        SharingAgreement Agreement(Organisation org, string title, SharingPartner[] parties, string[] purposes, string[] categories, string basis,
            int startedMonthsAgo, int reviewInDays) => new()
            {
                Id = Guid.NewGuid(),
                OrganisationId = org.Id,
                Title = title,
                PartnerIds = parties.Select(p => p.Id).ToArray(),
                Purposes = purposes,
                Categories = categories,
                LawfulBasis = basis,
                StartsOn = today.AddMonths(-startedMonthsAgo),
                ReviewOn = today.AddDays(reviewInDays),
                Status = SharingCodes.StatusActive,
                CreatedAt = now,
                UpdatedAt = now,
            };

        // Demo organisations: names describe the kind of partner; contact details are invented for the demo.
        var police = Partner(afc, "Metropolitan Police — Child Abuse Investigation Team (demo)", "police", ["police"], "Referrals desk", "Demo address, Kingston upon Thames");
        var trust = Partner(afc, "Local NHS foundation trust — safeguarding children team (demo)", "nhs-trust", ["health", "nhs-unscheduled-care"], "Named nurse for safeguarding");
        var gp = Partner(afc, "Riverside GP practice (demo)", "gp-practice", ["health"]);
        var school = Partner(afc, "Riverside Primary School (demo)", "school", ["education-providers", "education"], "Designated safeguarding lead");
        var dfe = Partner(afc, "Department for Education", "government-department", ["dfe"]);
        var ofsted = Partner(afc, "Ofsted", "ofsted", ["ofsted"]);
        var court = Partner(afc, "Family court (demo)", "court", ["hmcts"]);
        var charity = Partner(afc, "Family support charity (demo)", "voluntary-sector", ["voluntary-sector", "targeted-support"]);
        var dwp = Partner(afc, "Department for Work and Pensions", "government-department", ["dwp"]);
        db.AddRange(police, trust, gp, school, dfe, ofsted, court, charity, dwp);

        var safeguarding = "childrens-social-care/safeguarding-and-care";
        db.AddRange(
            Agreement(afc, "Multi-agency safeguarding information-sharing agreement", [police, trust, gp, school], [safeguarding],
                ["identity", "family", "safeguarding", "care.concerns", "care.assessments", "special.health", "education"], "public-task", 30, -20),
            Agreement(afc, "Supporting Families data-sharing agreement", [dwp, trust, school], ["childrens-social-care/supporting-families"],
                ["identity", "family", "care.services"], "public-task", 12, 180),
            Agreement(afc, "Statutory returns to the Department for Education", [dfe], [safeguarding], ["identity", "safeguarding", "care", "education"], "legal-obligation", 24, 300));

        var gps = Partner(ecc, "Essex GP practices (demo)", "gp-practice", ["gps"]);
        var hospital = Partner(ecc, "Essex hospital trust (demo)", "nhs-trust", ["hospitals"]);
        var community = Partner(ecc, "Community health services (demo)", "nhs-trust", ["community-matrons", "district-nurses"]);
        db.AddRange(gps, hospital, community);
        db.Add(Agreement(ecc, "Integrated care record: NHS number", [gps, hospital, community], ["family-group-conference/family-group-conference"],
            ["identity.nhs-number"], "public-task", 18, 200));
    }
}
