using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Rights;

namespace Haven.Core.Demo;

/// <summary>
/// Rights requests to Achieving for Children, so the dashboard has something to show: Danielle Clarke's own access
/// request (identity confirmed, record linked, in progress), her request about her son Jayden (clock stopped while
/// she proves parental responsibility) and an erasure request nobody has picked up (overdue). Danielle's request can
/// be checked on the public status page with reference IR-2026-DEMO01 and status code DEMO-2026.
/// </summary>
public static class RightsDemoData
{
    public const string DemoReference = "IR-2026-DEMO01";
    public const string DemoStatusCode = "DEMO-2026";

    public static void Seed(HavenDbContext db, Organisation afc, Person danielle, Person jayden, User dpo, DateOnly today, DateTimeOffset now)
    {
        RightsRequest Request(string reference, string code, int daysAgo, string[] rights, string relationship, string requester, string? email, string? address, string subject, string? details) => new()
        {
            Id = Guid.NewGuid(),
            Reference = reference,
            OrganisationId = afc.Id,
            Channel = email is null ? "post" : "online",
            ReceivedOn = today.AddDays(-daysAgo),
            Rights = rights,
            RequesterName = requester,
            RequesterEmail = email,
            RequesterAddress = address,
            Relationship = relationship,
            SubjectName = subject,
            Details = details,
            Status = RightsCodes.StatusOpen,
            AuthorityStatus = relationship is "self" or "child" ? "not_needed" : "not_checked",
            StatusCodeHash = RightsRequestService.HashCode(code),
            CreatedAt = now.AddDays(-daysAgo),
        };
        RightsRequestEvent Event(RightsRequest r, int daysAgo, string kind, string text) => new()
        {
            Id = Guid.NewGuid(),
            RequestId = r.Id,
            At = now.AddDays(-daysAgo),
            UserId = kind == "received" ? null : dpo.Id,
            Kind = kind,
            Text = text,
        };

        var own = Request(DemoReference, DemoStatusCode, 10, [RightsCodes.Access], "self", "Danielle Clarke", "danielle.clarke@example.org", null, "Danielle Clarke",
            "Everything you hold about me since 2018, including what was said at the conference about my children.");
        own.IdentityStatus = "verified";
        own.IdentityMethod = "known_to_service";
        own.IdentityCheckedByUserId = dpo.Id;
        own.IdentityCheckedAt = now.AddDays(-9);
        own.AssignedUserId = dpo.Id;
        var forSon = Request("IR-2026-DEMO02", "DEMO-2027", 5, [RightsCodes.Access, RightsCodes.Rectification], "parent", "Danielle Clarke", null,
            "Flat 2, 14 Canbury Park Road\nKingston upon Thames KT2 6JZ", "Jayden Clarke", "A copy of Jayden's file, and the date of his nursery start is wrong: it was September, not October.");
        forSon.Status = RightsCodes.StatusPaused;
        var overdue = Request("IR-2026-DEMO03", "DEMO-2028", 40, [RightsCodes.Erasure], "self", "Marcus Bell", "m.bell@example.org", null, "Marcus Bell",
            "Please delete everything about me. I was never involved with children's services.");
        db.AddRange(own, forSon, overdue);
        db.AddRange(
            Event(own, 10, "received", $"Received online on {own.ReceivedOn:d MMMM yyyy}. Rights asked for: Access."),
            Event(own, 9, RightsAuditActions.IdentityChecked, "Identity confirmed: Known to the service (checked against details we hold)."),
            Event(own, 9, RightsAuditActions.SubjectMatched, "Linked to the record of Danielle Clarke."),
            Event(forSon, 5, "received", $"Received by post on {forSon.ReceivedOn:d MMMM yyyy}. Rights asked for: Access, Rectification."),
            Event(forSon, 4, RightsAuditActions.ClockPaused, "Clock stopped: waiting for proof of authority to act for the subject. A copy of Jayden's birth certificate."),
            Event(overdue, 40, "received", $"Received online on {overdue.ReceivedOn:d MMMM yyyy}. Rights asked for: Erasure."));
        db.Add(new RightsRequestSubject { Id = Guid.NewGuid(), RequestId = own.Id, PersonId = danielle.Id, MatchedByUserId = dpo.Id, MatchedAt = now.AddDays(-9) });
        db.Add(new RightsRequestSubject { Id = Guid.NewGuid(), RequestId = forSon.Id, PersonId = jayden.Id, MatchedByUserId = dpo.Id, MatchedAt = now.AddDays(-4) });
        db.Add(new RightsRequestPause { Id = Guid.NewGuid(), RequestId = forSon.Id, Reason = "authority", Note = "A copy of Jayden's birth certificate", PausedOn = today.AddDays(-4), PausedByUserId = dpo.Id });
        db.Add(new OutboundMessage
        {
            Id = Guid.NewGuid(),
            RequestId = forSon.Id,
            Kind = "clock_stopped",
            Recipient = forSon.RequesterName,
            Address = forSon.RequesterAddress,
            Subject = "We need proof of authority to act for the subject for request IR-2026-DEMO02",
            Body = "Dear Danielle Clarke,\n\nBefore we can go on with your request IR-2026-DEMO02 we need a copy of Jayden's birth certificate.\n\nThe time we have to answer stops today and starts again when we receive it.",
            CreatedAt = now.AddDays(-4),
        });
    }
}
