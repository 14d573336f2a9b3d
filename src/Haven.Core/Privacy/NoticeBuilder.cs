using System.Globalization;

namespace Haven.Core.Privacy;

/// <summary>One part of a notice: a heading, paragraphs and a bulleted list, optionally grouped under subheadings.</summary>
public sealed record NoticeSection(string Id, string Heading, IReadOnlyList<NoticeBlock> Blocks);

public sealed record NoticeBlock(string? Subheading, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Items);

/// <summary>A notice ready to render: the organisation's overarching notice or one service's notice.</summary>
public sealed record Notice(string Title, string OrganisationName, string? ServiceName, DateOnly EffectiveFrom, IReadOnlyList<NoticeSection> Sections);

/// <summary>
/// Renders privacy notices from a register, in the order people expect (who we are, what we collect, why, our
/// legal basis, who we share with, how long we keep it, your rights, how to complain, the ICO), using the
/// organisation's own words wherever the register has them.
/// </summary>
public static class NoticeBuilder
{
    public static Notice Overarching(RegisterDocument register)
    {
        var org = register.Organisation;
        var sections = new List<NoticeSection>
        {
            WhoWeAre(register, null),
            new("services", "How we use your information", [new NoticeBlock(null,
                ["We sometimes need to collect personal information to deliver our work. Each service's notice explains what we collect, why, and what happens to it."],
                register.Services.Select(s => s.Name).ToList())]),
        };
        AddIfAny(sections, Sharing(register, register.Services.SelectMany(s => s.Activities).ToList(), includeRecipients: false));
        AddIfAny(sections, Transfers(register, register.Services.SelectMany(s => s.Activities).ToList()));
        AddIfAny(sections, Rights(register.Services.SelectMany(s => s.Activities).ToList()));
        AddIfAny(sections, Security(register, []));
        sections.Add(Complaints(register));
        sections.Add(Ico(register));
        if (org.Cookies.Count > 0)
        {
            sections.Add(new NoticeSection("cookies", "Cookies and how you use this website", [new NoticeBlock(null, org.Cookies, [])]));
        }

        return new Notice(register.Notice.Title, org.Name, null, register.Notice.EffectiveFrom, sections);
    }

    public static Notice ForService(RegisterDocument register, ServiceEntry service)
    {
        var activities = service.Activities;
        var sections = new List<NoticeSection> { WhoWeAre(register, service) };
        sections.Add(new NoticeSection("collect", "What information we collect",
            activities.Select(a => new NoticeBlock(activities.Count > 1 ? a.Purpose : null, [],
                a.Categories.Select(c => c.Wording ?? Taxonomy.BuiltIn.Label(c.Category)).Distinct().ToList())).ToList()));
        AddIfAny(sections, new NoticeSection("sources", "Where we get your information from",
            activities.Where(a => a.Sources.Count > 0).Select(a => new NoticeBlock(activities.Count > 1 ? a.Purpose : null, [], a.Sources)).ToList()));
        sections.Add(new NoticeSection("why", "Why we use your information",
            activities.Select(a => new NoticeBlock(activities.Count > 1 ? a.Purpose : null, a.Uses.Count == 0 ? [a.Purpose] : [], a.Uses)).ToList()));
        sections.Add(LegalBasis(activities));
        AddIfAny(sections, Sharing(register, activities, includeRecipients: true));
        AddIfAny(sections, Transfers(register, activities));
        AddIfAny(sections, Retention(activities));
        AddIfAny(sections, Requirement(activities));
        AddIfAny(sections, Rights(activities));
        AddIfAny(sections, Security(register, activities));
        sections.Add(Complaints(register));
        sections.Add(Ico(register));
        return new Notice($"{service.Name}: privacy notice", register.Organisation.Name, service.Name, register.Notice.EffectiveFrom, sections);
    }

    /// <summary>Plain words for a retention rule as Haven applies it, e.g. "75 years from the date of birth, then reviewed by a person".</summary>
    public static string Describe(RetentionRule rule)
    {
        var terms = rule.Terms.Select(t => t.Period.IsZero ? $"once the {RegisterCodes.AnchorLabel(t.Anchor)} has passed" : $"{t.Period} from the {RegisterCodes.AnchorLabel(t.Anchor)}").ToList();
        var when = rule.Combine switch
        {
            "longer" => string.Join(" or ", terms) + ", whichever is the longer",
            "shorter" => string.Join(" or ", terms) + ", whichever is the shorter",
            "all" => string.Join(", and ", terms),
            _ => terms[0],
        };
        return $"{when}, then {RegisterCodes.Label(RegisterCodes.RetentionActions, rule.Action)}";
    }

    private static NoticeSection WhoWeAre(RegisterDocument register, ServiceEntry? service)
    {
        var org = register.Organisation;
        var paragraphs = new List<string>(register.Notice.Introduction);
        if (service is not null)
        {
            paragraphs.AddRange(service.Description);
        }

        paragraphs.Add($"The data controller is {org.Controller}." + (org.IcoRegistration is { } ico ? $" Registration number with the Information Commissioner's Office: {ico}." : string.Empty));
        var dpo = org.DataProtectionOfficer;
        if (dpo.Wording is not null)
        {
            paragraphs.Add(dpo.Wording);
        }

        paragraphs.Add("Data Protection Officer: " + string.Join(", ", dpo.Values()) + ".");
        if (org.Contact is { } contact && contact.Values().Any())
        {
            paragraphs.Add((contact.Wording is null ? "Contact: " : contact.Wording + " ") + string.Join(", ", contact.Values()) + ".");
        }

        return new NoticeSection("who", "Who we are", [new NoticeBlock(null, paragraphs.Distinct().ToList(), [])]);
    }

    private static NoticeSection LegalBasis(IReadOnlyList<ActivityEntry> activities)
    {
        var blocks = new List<NoticeBlock>();
        foreach (var a in activities)
        {
            var paragraphs = new List<string>();
            var items = new List<string>();
            paragraphs.AddRange(a.LawfulBases.Where(b => b.Wording is not null).Select(b => b.Wording!));
            items.AddRange(a.LawfulBases.Select(b => RegisterCodes.Label(RegisterCodes.LawfulBases, b.Code)));
            if (a.SpecialCategory is { } special)
            {
                if (special.Wording is not null)
                {
                    paragraphs.Add(special.Wording);
                }

                items.AddRange(special.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article9, c)));
                items.AddRange(special.Schedule1.Select(c => "Data Protection Act 2018 " + RegisterCodes.Label(RegisterCodes.Schedule1, c)));
            }

            if (a.CriminalOffence is { } criminal)
            {
                if (criminal.Wording is not null)
                {
                    paragraphs.Add(criminal.Wording);
                }

                items.AddRange(criminal.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article10, c)));
                items.AddRange(criminal.Schedule1.Select(c => "Data Protection Act 2018 " + RegisterCodes.Label(RegisterCodes.Schedule1, c)));
            }

            blocks.Add(new NoticeBlock(activities.Count > 1 ? a.Purpose : null, paragraphs, items.Distinct().ToList()));
            if (a.Legislation.Count > 0)
            {
                blocks.Add(new NoticeBlock(activities.Count > 1 ? null : "The law we rely on", ["These legal bases are underpinned by legislation, including:"], a.Legislation));
            }
        }

        return new NoticeSection("basis", "Our legal basis for using your information", blocks);
    }

    private static NoticeSection Sharing(RegisterDocument register, IReadOnlyList<ActivityEntry> activities, bool includeRecipients)
    {
        var blocks = new List<NoticeBlock>();
        if (register.Organisation.Disclosures.Count > 0)
        {
            blocks.Add(new NoticeBlock(null, register.Organisation.Disclosures, []));
        }

        if (includeRecipients)
        {
            foreach (var a in activities.Where(a => a.Recipients.Count > 0))
            {
                blocks.Add(new NoticeBlock(activities.Count > 1 ? a.Purpose : null, [],
                    a.Recipients.Select(r => r.Wording is null ? r.Name : r.Wording.Contains(r.Name, StringComparison.OrdinalIgnoreCase) ? r.Wording : $"{r.Name}: {r.Wording}").Distinct().ToList()));
            }

            var processors = activities.SelectMany(a => a.Processors).Distinct().ToList();
            if (processors.Count > 0)
            {
                blocks.Add(new NoticeBlock("Processors working for us", [],
                    processors.Select(p => p.Wording ?? $"{p.Name} is a data processor supporting this purpose{(p.Service is null ? "" : $" through their system {p.Service}")}.").ToList()));
            }
        }

        return new NoticeSection("share", "Who we share your information with", blocks);
    }

    private static NoticeSection Transfers(RegisterDocument register, IReadOnlyList<ActivityEntry> activities)
    {
        var paragraphs = new List<string>();
        if (register.Organisation.Storage is { } storage)
        {
            paragraphs.Add(storage);
        }

        foreach (var transfer in activities.Select(a => a.Transfers).Distinct())
        {
            if (transfer.Wording is not null)
            {
                paragraphs.Add(transfer.Wording);
            }
            else if (transfer.Allowed)
            {
                paragraphs.Add($"Your information may be sent outside the UK{(transfer.Countries.Count > 0 ? " (" + string.Join(", ", transfer.Countries) + ")" : "")}, protected by {RegisterCodes.Label(RegisterCodes.TransferSafeguards, transfer.Safeguard ?? "")}.");
            }
        }

        if (paragraphs.Count == 0)
        {
            paragraphs.Add("We do not send your information outside the UK.");
        }

        return new NoticeSection("overseas", "Sending your information outside the UK", [new NoticeBlock(null, paragraphs.Distinct().ToList(), [])]);
    }

    private static NoticeSection Retention(IReadOnlyList<ActivityEntry> activities) =>
        new("retention", "How long we keep your information",
            activities.Where(a => a.Retention.Count > 0).Select(a => new NoticeBlock(activities.Count > 1 ? a.Purpose : null, [],
                a.Retention.Select(r => r.Wording is null ? $"{Capitalise(r.RecordType.Replace('-', ' '))}: {Describe(r)}." : $"{r.Wording} (Haven applies this as: {Describe(r)}.)").ToList())).ToList());

    private static NoticeSection Requirement(IReadOnlyList<ActivityEntry> activities)
    {
        var paragraphs = activities.Select(a => a.Requirement?.Wording).OfType<string>()
            .Concat(activities.Select(a => a.AutomatedDecisions).OfType<string>()).Distinct().ToList();
        return new NoticeSection("required", "If you do not give us information, and automated decisions", paragraphs.Count == 0 ? [] : [new NoticeBlock(null, paragraphs, [])]);
    }

    private static NoticeSection Rights(IReadOnlyList<ActivityEntry> activities)
    {
        var items = new List<string>();
        foreach (var right in activities.SelectMany(a => a.Rights))
        {
            var text = right.Wording ?? RegisterCodes.Label(RegisterCodes.Rights, right.Code);
            if (right.Limits is not null)
            {
                text += $" ({right.Limits})";
            }

            if (!items.Contains(text))
            {
                items.Add(text);
            }
        }

        return new NoticeSection("rights", "Your rights", items.Count == 0 ? [] :
            [new NoticeBlock(null, ["Data protection law gives you rights over your information. You can:"], items)]);
    }

    private static NoticeSection Security(RegisterDocument register, IReadOnlyList<ActivityEntry> activities)
    {
        var items = register.Organisation.SecurityMeasures.Concat(activities.SelectMany(a => a.SecurityMeasures)).Distinct().ToList();
        return new NoticeSection("security", "How we protect your information", items.Count == 0 ? [] : [new NoticeBlock(null, [], items)]);
    }

    private static NoticeSection Complaints(RegisterDocument register)
    {
        var org = register.Organisation;
        var items = new List<string>();
        var dpo = org.DataProtectionOfficer;
        if (dpo.Name is not null)
        {
            items.Add($"Data Protection Officer: {dpo.Name}");
        }

        if (dpo.Postal is not null)
        {
            items.Add($"Post: {dpo.Postal}");
        }

        if (dpo.Email is not null)
        {
            items.Add($"Email: {dpo.Email}");
        }

        if (dpo.Phone is not null)
        {
            items.Add($"Phone: {dpo.Phone}");
        }

        if (dpo.Web is not null)
        {
            items.Add($"Online: {dpo.Web}");
        }

        return new NoticeSection("complain", "How to complain", [new NoticeBlock(null, [org.Complaints], items)]);
    }

    private static NoticeSection Ico(RegisterDocument register)
    {
        var ico = register.Organisation.Ico;
        var items = new List<string> { $"Post: {ico.Postal}", $"Phone: {ico.Phone}" };
        if (ico.Email is not null)
        {
            items.Add($"Email: {ico.Email}");
        }

        if (ico.Web is not null)
        {
            items.Add($"Online: {ico.Web}");
        }

        return new NoticeSection("ico", "The Information Commissioner's Office",
            [new NoticeBlock(null, ["You have the right to raise a concern with the Information Commissioner's Office (ICO), the UK's independent body set up to uphold information rights."], items)]);
    }

    private static void AddIfAny(List<NoticeSection> sections, NoticeSection section)
    {
        if (section.Blocks.Any(b => b.Paragraphs.Count > 0 || b.Items.Count > 0))
        {
            sections.Add(section);
        }
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>
    /// Every statement the register makes that a notice must carry: each wording, category, use, basis, law,
    /// recipient, processor, transfer rule, retention rule, right and contact. Used by the conformance page and tests.
    /// </summary>
    public static IEnumerable<(string Kind, string Statement)> Statements(RegisterDocument register)
    {
        var org = register.Organisation;
        foreach (var value in org.DataProtectionOfficer.Values())
        {
            yield return ("Contact", value);
        }

        foreach (var value in org.Contact?.Values() ?? [])
        {
            yield return ("Contact", value);
        }

        if (org.IcoRegistration is { } ico)
        {
            yield return ("Contact", ico);
        }

        yield return ("Complaints", org.Complaints);
        yield return ("ICO contact", org.Ico.Postal);
        yield return ("ICO contact", org.Ico.Phone);
        foreach (var value in new[] { org.Ico.Email, org.Ico.Web }.OfType<string>())
        {
            yield return ("ICO contact", value);
        }

        foreach (var text in org.SecurityMeasures)
        {
            yield return ("Security", text);
        }

        foreach (var text in org.Disclosures)
        {
            yield return ("Sharing", text);
        }

        if (org.Storage is { } storage)
        {
            yield return ("Overseas transfers", storage);
        }

        foreach (var (_, a) in register.Activities())
        {
            foreach (var c in a.Categories)
            {
                yield return ("Data collected", c.Wording ?? Taxonomy.BuiltIn.Label(c.Category));
            }

            foreach (var use in a.Uses.DefaultIfEmpty(a.Purpose))
            {
                yield return ("Purpose", use);
            }

            foreach (var b in a.LawfulBases)
            {
                yield return ("Legal basis", b.Wording ?? RegisterCodes.Label(RegisterCodes.LawfulBases, b.Code));
            }

            foreach (var condition in new[] { a.SpecialCategory, a.CriminalOffence }.OfType<ConditionEntry>().Where(c => c.Wording is not null))
            {
                yield return ("Legal basis", condition.Wording!);
            }

            foreach (var law in a.Legislation)
            {
                yield return ("Legislation", law);
            }

            foreach (var r in a.Recipients)
            {
                yield return ("Recipient", r.Wording ?? r.Name);
            }

            foreach (var p in a.Processors)
            {
                yield return ("Processor", p.Wording ?? p.Name);
            }

            if (a.Transfers.Wording is { } transfer)
            {
                yield return ("Overseas transfers", transfer);
            }

            foreach (var rule in a.Retention)
            {
                yield return ("Retention", rule.Wording ?? Describe(rule));
            }

            foreach (var right in a.Rights)
            {
                yield return ("Right", right.Wording ?? RegisterCodes.Label(RegisterCodes.Rights, right.Code));
            }

            if (a.Requirement?.Wording is { } required)
            {
                yield return ("Providing data", required);
            }
        }
    }
}
