using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Haven.Core.Privacy;

/// <summary>
/// Reads one organisation's register file (YAML) into a <see cref="RegisterDocument"/>, checking it against the
/// taxonomy and the rules of UK GDPR as it goes. Every problem is reported with the file and line; a file with any
/// problem yields no document at all.
/// </summary>
public static partial class RegisterParser
{
    public static (RegisterDocument? Document, IReadOnlyList<RegisterError> Errors) Parse(string file, string text, Taxonomy taxonomy)
    {
        var errors = new YamlErrors(file);
        var root = YamlMap.From(errors.Load(text) ?? new YamlMappingNode(), errors, "A register file");
        if (root is null || errors.Errors.Count > 0)
        {
            return (null, errors.Errors);
        }

        var organisation = ReadOrganisation(root.Map("organisation", "the organisation", required: true), errors);
        var notice = ReadNotice(root.Map("notice", "the notice", required: true), errors);
        var services = new List<ServiceEntry>();
        var serviceCodes = new HashSet<string>();
        foreach (var map in root.Maps("services", "service", required: true))
        {
            if (ReadService(map, errors, taxonomy) is { } service)
            {
                if (!serviceCodes.Add(service.Code))
                {
                    errors.Add(map.Get("code"), $"The service code '{service.Code}' is used twice");
                }

                services.Add(service);
            }
        }

        root.RejectUnknownKeys("a register file");
        if (errors.Errors.Count > 0 || organisation is null || notice is null)
        {
            return (null, errors.Errors);
        }

        return (new RegisterDocument { Organisation = organisation, Notice = notice, Services = services }, []);
    }

    private static OrganisationEntry? ReadOrganisation(YamlMap? map, YamlErrors errors)
    {
        if (map is null)
        {
            return null;
        }

        var code = Code(map, "code", errors, "the organisation's short code");
        var name = map.Text("name", required: true, what: "the organisation's name");
        var controller = map.Text("controller", required: true, what: "the data controller's name");
        var ico = map.Text("ico-registration");
        if (ico is not null && !IcoRegistration().IsMatch(ico))
        {
            errors.Add(map.Get("ico-registration"), "The ICO registration number must look like Z1234567 or ZA123456");
        }

        var dpo = ReadContact(map.Map("data-protection-officer", "the Data Protection Officer", required: true), errors, "the Data Protection Officer", requireOne: true);
        var contact = ReadContact(map.Map("contact", "the general contact"), errors, "the general contact", requireOne: false);
        var complaints = map.Text("complaints", required: true, what: "how to complain");
        var icoMap = map.Map("ico", "the Information Commissioner's Office contact", required: true);
        IcoContact? icoContact = null;
        if (icoMap is not null)
        {
            var postal = icoMap.Text("postal", required: true, what: "the ICO's postal address");
            var phone = icoMap.Text("phone", required: true, what: "the ICO's telephone number");
            var email = icoMap.Text("email");
            var web = icoMap.Text("web");
            icoMap.RejectUnknownKeys("the ICO contact");
            if (postal is not null && phone is not null)
            {
                icoContact = new IcoContact { Postal = postal, Phone = phone, Email = email, Web = web };
            }
        }

        var security = Texts(map, "security-measures");
        var disclosures = Texts(map, "disclosures");
        var storage = map.Text("storage");
        var cookies = Texts(map, "cookies");
        map.RejectUnknownKeys("the organisation");
        if (code is null || name is null || controller is null || dpo is null || complaints is null || icoContact is null)
        {
            return null;
        }

        return new OrganisationEntry
        {
            Code = code,
            Name = name,
            Controller = controller,
            IcoRegistration = ico,
            DataProtectionOfficer = dpo,
            Contact = contact,
            Complaints = complaints,
            Ico = icoContact,
            SecurityMeasures = security,
            Disclosures = disclosures,
            Storage = storage,
            Cookies = cookies,
        };
    }

    private static ContactEntry? ReadContact(YamlMap? map, YamlErrors errors, string what, bool requireOne)
    {
        if (map is null)
        {
            return null;
        }

        var contact = new ContactEntry
        {
            Name = map.Text("name"),
            Email = map.Text("email"),
            Phone = map.Text("phone"),
            Postal = map.Text("postal"),
            Web = map.Text("web"),
            Wording = map.Text("wording"),
        };
        map.RejectUnknownKeys(what);
        if (contact.Email is { } email && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add(map.Get("email"), $"The email address for {what} must contain '@'");
        }

        if (requireOne && contact.Email is null && contact.Phone is null && contact.Postal is null && contact.Web is null)
        {
            errors.Add(map.Node, $"Give at least one way to reach {what}: email, phone, postal or web");
            return null;
        }

        return contact;
    }

    private static NoticeEntry? ReadNotice(YamlMap? map, YamlErrors errors)
    {
        if (map is null)
        {
            return null;
        }

        var title = map.Text("title", required: true, what: "the notice's title");
        var effective = map.Date("effective-from", required: true, what: "the date the notice takes effect");
        var introduction = Texts(map, "introduction");
        map.RejectUnknownKeys("the notice");
        return title is null || effective is null ? null : new NoticeEntry { Title = title, EffectiveFrom = effective.Value, Introduction = introduction };
    }

    private static ServiceEntry? ReadService(YamlMap map, YamlErrors errors, Taxonomy taxonomy)
    {
        var code = Code(map, "code", errors, "the service's short code");
        var name = map.Text("name", required: true, what: "the service's name");
        var description = Texts(map, "description");
        var holds = map.Flag("holds-case-records");
        var activities = new List<ActivityEntry>();
        var codes = new HashSet<string>();
        foreach (var activityMap in map.Maps("activities", "processing activity", required: true))
        {
            if (ReadActivity(activityMap, errors, taxonomy) is { } activity)
            {
                if (!codes.Add(activity.Code))
                {
                    errors.Add(activityMap.Get("code"), $"The activity code '{activity.Code}' is used twice in this service");
                }

                activities.Add(activity);
            }
        }

        map.RejectUnknownKeys("a service");
        return code is null || name is null
            ? null
            : new ServiceEntry { Code = code, Name = name, Description = description, HoldsCaseRecords = holds, Activities = activities };
    }

    private static ActivityEntry? ReadActivity(YamlMap map, YamlErrors errors, Taxonomy taxonomy)
    {
        var code = Code(map, "code", errors, "the activity's short code");
        var purpose = map.Text("purpose", required: true, what: "the purpose");
        var uses = Texts(map, "uses");

        var bases = new List<BasisEntry>();
        foreach (var (basisCode, wording, node) in CodedItems(map, "lawful-basis", errors, "lawful basis", required: true))
        {
            if (!RegisterCodes.LawfulBases.ContainsKey(basisCode))
            {
                errors.Add(node, $"'{basisCode}' is not a UK GDPR Article 6 lawful basis. Use one of: {string.Join(", ", RegisterCodes.LawfulBases.Keys)}");
                continue;
            }

            bases.Add(new BasisEntry(basisCode, wording));
        }

        var categories = new List<DataItem>();
        var anySpecial = (Node: (YamlNode?)null, Found: false);
        var anyCriminal = (Node: (YamlNode?)null, Found: false);
        foreach (var item in map.Maps("categories", "data category", required: true))
        {
            var category = item.Text("category", required: true, what: "the category code");
            var wording = item.Text("wording");
            item.RejectUnknownKeys("a data category entry");
            if (category is null)
            {
                continue;
            }

            var known = taxonomy.Find(category);
            if (known is null)
            {
                errors.Add(item.Get("category"), $"'{category}' is not a data category Haven knows. Check the spelling against the category list");
                continue;
            }

            if (known.Special && !anySpecial.Found)
            {
                anySpecial = (item.Node, true);
            }

            if (known.Criminal && !anyCriminal.Found)
            {
                anyCriminal = (item.Node, true);
            }

            categories.Add(new DataItem(category, wording));
        }

        var special = ReadCondition(map.Map("special-category", "the special-category conditions"), errors, "article-9", RegisterCodes.Article9, "UK GDPR Article 9 condition");
        if (anySpecial.Found)
        {
            if (special is null || special.Article.Count == 0)
            {
                errors.Add(anySpecial.Node, "This activity collects special-category data, so it needs an Article 9 condition ('special-category:' with 'article-9:')");
            }
            else if (special.Schedule1.Count == 0 && special.Article.Any(RegisterCodes.Article9NeedingSchedule1.Contains))
            {
                errors.Add(map.Get("special-category"), "These Article 9 conditions need a DPA 2018 Schedule 1 condition as well ('schedule-1:')");
            }
        }

        var criminal = ReadCondition(map.Map("criminal-offence", "the criminal-offence basis"), errors, "article-10", RegisterCodes.Article10, "Article 10 basis");
        if (anyCriminal.Found)
        {
            if (criminal is null || criminal.Article.Count == 0)
            {
                errors.Add(anyCriminal.Node, "This activity collects criminal-offence data, so it needs an Article 10 basis ('criminal-offence:' with 'article-10:')");
            }
            else if (criminal.Article.Contains("schedule-1") && criminal.Schedule1.Count == 0)
            {
                errors.Add(map.Get("criminal-offence"), "An Article 10 basis of 'schedule-1' needs the Schedule 1 condition named ('schedule-1:')");
            }
        }

        var legislation = Texts(map, "legislation");
        var subjects = Texts(map, "data-subjects");
        var sources = Texts(map, "sources");
        var transfers = ReadTransfers(map.Map("overseas-transfers", "overseas transfers"), errors);
        var recipients = ReadRecipients(map, errors, categories, transfers);

        var processors = new List<ProcessorEntry>();
        foreach (var item in map.Maps("processors", "processor"))
        {
            var name = item.Text("name", required: true, what: "the processor's name");
            var service = item.Text("service");
            var wording = item.Text("wording");
            item.RejectUnknownKeys("a processor");
            if (name is not null)
            {
                processors.Add(new ProcessorEntry(name, service, wording));
            }
        }

        var retention = ReadRetention(map, errors);

        var rights = new List<RightEntry>();
        foreach (var (rightCode, wording, node) in CodedItems(map, "rights", errors, "right", required: true, extraKey: "limits", out var limitsByCode))
        {
            if (!RegisterCodes.Rights.ContainsKey(rightCode))
            {
                errors.Add(node, $"'{rightCode}' is not a data-protection right. Use one of: {string.Join(", ", RegisterCodes.Rights.Keys)}");
                continue;
            }

            rights.Add(new RightEntry(rightCode, wording, limitsByCode.GetValueOrDefault(rightCode)));
        }

        RequirementEntry? requirement = null;
        if (map.Map("providing-data", "whether providing data is required") is { } requirementMap)
        {
            requirement = new RequirementEntry(requirementMap.Flag("required"), requirementMap.Text("wording", required: true, what: "what happens if the data is not provided"));
            requirementMap.RejectUnknownKeys("'providing-data'");
        }

        var automated = map.Text("automated-decisions");
        var security = Texts(map, "security-measures");
        map.RejectUnknownKeys("a processing activity");

        if (code is null || purpose is null)
        {
            return null;
        }

        return new ActivityEntry
        {
            Code = code,
            Purpose = purpose,
            Uses = uses,
            LawfulBases = bases,
            SpecialCategory = special,
            CriminalOffence = criminal,
            Legislation = legislation,
            Categories = categories,
            DataSubjects = subjects,
            Sources = sources,
            Recipients = recipients,
            Processors = processors,
            Transfers = transfers,
            Retention = retention,
            Rights = rights,
            Requirement = requirement,
            AutomatedDecisions = automated,
            SecurityMeasures = security,
        };
    }

    private static List<RecipientEntry> ReadRecipients(YamlMap map, YamlErrors errors, List<DataItem> categories, TransferEntry transfers)
    {
        var recipients = new List<RecipientEntry>();
        var codes = new HashSet<string>();
        foreach (var item in map.Maps("recipients", "recipient"))
        {
            var code = Code(item, "code", errors, "the recipient's short code");
            var name = item.Text("name", required: true, what: "the recipient's name");
            var basis = item.Text("basis");
            var wording = item.Text("wording");
            var country = item.Text("country");
            var recipientCategories = item.Texts("categories");
            item.RejectUnknownKeys("a recipient");
            if (basis is null)
            {
                errors.Add(item.Node, $"The recipient '{name ?? code}' needs the lawful basis for sharing with them ('basis:', one of: {string.Join(", ", RegisterCodes.LawfulBases.Keys)})");
            }
            else if (!RegisterCodes.LawfulBases.ContainsKey(basis))
            {
                errors.Add(item.Get("basis"), $"'{basis}' is not a UK GDPR Article 6 lawful basis. Use one of: {string.Join(", ", RegisterCodes.LawfulBases.Keys)}");
                basis = null;
            }

            foreach (var (category, node) in recipientCategories)
            {
                if (!categories.Any(c => Taxonomy.Covers(c.Category, category)))
                {
                    errors.Add(node, $"The recipient may only receive categories this activity collects, and '{category}' is not one of them");
                }
            }

            if (country is not null && !transfers.Allowed)
            {
                errors.Add(item.Get("country"), "This recipient is overseas, but the activity does not allow overseas transfers ('overseas-transfers:' with 'allowed: true' and a safeguard)");
            }

            if (code is not null && !codes.Add(code))
            {
                errors.Add(item.Get("code"), $"The recipient code '{code}' is used twice in this activity");
            }

            if (code is not null && name is not null && basis is not null)
            {
                recipients.Add(new RecipientEntry
                {
                    Code = code,
                    Name = name,
                    Basis = basis,
                    Wording = wording,
                    Country = country,
                    Categories = recipientCategories.Select(c => c.Value).ToList(),
                });
            }
        }

        return recipients;
    }

    private static TransferEntry ReadTransfers(YamlMap? map, YamlErrors errors)
    {
        if (map is null)
        {
            return new TransferEntry();
        }

        var allowed = map.Flag("allowed");
        var safeguard = map.Text("safeguard");
        var countries = Texts(map, "countries");
        var wording = map.Text("wording");
        map.RejectUnknownKeys("'overseas-transfers'");
        if (allowed && safeguard is null)
        {
            errors.Add(map.Node, $"Overseas transfers need the safeguard relied on ('safeguard:', one of: {string.Join(", ", RegisterCodes.TransferSafeguards.Keys)})");
        }
        else if (safeguard is not null && !RegisterCodes.TransferSafeguards.ContainsKey(safeguard))
        {
            errors.Add(map.Get("safeguard"), $"'{safeguard}' is not a transfer safeguard Haven knows. Use one of: {string.Join(", ", RegisterCodes.TransferSafeguards.Keys)}");
        }

        return new TransferEntry { Allowed = allowed, Safeguard = safeguard, Countries = countries, Wording = wording };
    }

    private static List<RetentionRule> ReadRetention(YamlMap map, YamlErrors errors)
    {
        var rules = new List<RetentionRule>();
        var codes = new HashSet<string>();
        foreach (var item in map.Maps("retention", "retention rule"))
        {
            var code = Code(item, "code", errors, "the rule's short code");
            var recordType = item.Text("record-type", required: true, what: "the record type the rule applies to");
            var wording = item.Text("wording");
            var action = item.Text("action", required: true, what: "what happens when the period ends (destroy, anonymise or review)");
            var legal = item.Text("legal-source");
            var combine = item.Text("whichever");
            var terms = new List<RetentionTerm>();
            if (item.Has("terms"))
            {
                foreach (var termMap in item.Maps("terms", "retention term", required: true))
                {
                    if (ReadTerm(termMap, errors) is { } term)
                    {
                        terms.Add(term);
                    }

                    termMap.RejectUnknownKeys("a retention term");
                }

                combine ??= "all";
                if (!RegisterCodes.Combinations.ContainsKey(combine) || combine == "single")
                {
                    errors.Add(item.Get("whichever") ?? item.Node, "With several terms, say how they combine: 'whichever: longer', 'whichever: shorter' or 'whichever: all'");
                }
            }
            else
            {
                if (combine is not null)
                {
                    errors.Add(item.Get("whichever"), "'whichever' needs a list of 'terms:' to choose between");
                }

                combine = "single";
                if (ReadTerm(item, errors) is { } term)
                {
                    terms.Add(term);
                }
            }

            item.RejectUnknownKeys("a retention rule");
            if (action is not null && !RegisterCodes.RetentionActions.ContainsKey(action))
            {
                errors.Add(item.Get("action"), "The action must be destroy, anonymise or review");
                action = null;
            }

            if (code is not null && !codes.Add(code))
            {
                errors.Add(item.Get("code"), $"The retention rule code '{code}' is used twice in this activity");
            }

            if (code is not null && recordType is not null && action is not null && terms.Count > 0)
            {
                rules.Add(new RetentionRule { Code = code, RecordType = recordType, Wording = wording, Combine = combine, Terms = terms, Action = action, LegalSource = legal });
            }
        }

        return rules;
    }

    private static RetentionTerm? ReadTerm(YamlMap map, YamlErrors errors)
    {
        var anchor = map.Text("anchor");
        var periodText = map.Text("period");
        if (anchor is null)
        {
            errors.Add(map.Node, $"A retention rule needs the event its clock starts from ('anchor:', one of: {string.Join(", ", RegisterCodes.Anchors.Keys)}, or event:name)");
            return null;
        }

        if (!RegisterCodes.Anchors.ContainsKey(anchor) && !(anchor.StartsWith("event:", StringComparison.Ordinal) && Taxonomy.IsCode(anchor[6..])))
        {
            errors.Add(map.Get("anchor"), $"'{anchor}' is not an anchor event Haven knows. Use one of: {string.Join(", ", RegisterCodes.Anchors.Keys)}, or event:name");
            return null;
        }

        Period period = default;
        if (periodText is not null && periodText.TrimStart().StartsWith('-'))
        {
            errors.Add(map.Get("period"), $"'{periodText}' is negative. A retention period counts forward from its anchor event, for example '25 years'");
            return null;
        }

        if (periodText is not null && !TryParsePeriod(periodText, out period))
        {
            errors.Add(map.Get("period"), $"'{periodText}' is not a period Haven understands. Write it like '75 years', '6 months', '2 years 6 months' or '0 days'");
            return null;
        }

        return new RetentionTerm(anchor, period);
    }

    public static bool TryParsePeriod(string text, out Period period)
    {
        period = default;
        var matches = PeriodPart().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)).Replace(" ", "", StringComparison.Ordinal) != text.Replace(" ", "", StringComparison.Ordinal))
        {
            return false;
        }

        int years = 0, months = 0, days = 0;
        foreach (Match match in matches)
        {
            if (!int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 200 * 366)
            {
                return false;
            }

            switch (char.ToLowerInvariant(match.Groups[2].Value[0]))
            {
                case 'y':
                    years += n;
                    break;
                case 'm':
                    months += n;
                    break;
                case 'w':
                    days += 7 * n;
                    break;
                default:
                    days += n;
                    break;
            }
        }

        period = new Period(years, months, days);
        return years <= 200;
    }

    /// <summary>Items written either as a bare code or as a set with 'code' and 'wording'.</summary>
    private static List<(string Code, string? Wording, YamlNode Node)> CodedItems(YamlMap map, string key, YamlErrors errors, string what, bool required) =>
        CodedItems(map, key, errors, what, required, null, out _);

    private static List<(string Code, string? Wording, YamlNode Node)> CodedItems(YamlMap map, string key, YamlErrors errors, string what, bool required,
        string? extraKey, out Dictionary<string, string> extras)
    {
        extras = [];
        var result = new List<(string, string?, YamlNode)>();
        var value = map.Get(key);
        if (value is YamlSequenceNode sequence)
        {
            foreach (var item in sequence)
            {
                if (item is YamlScalarNode { Value: { } code } && !string.IsNullOrWhiteSpace(code))
                {
                    result.Add((code.Trim(), null, item));
                }
                else if (YamlMap.From(item, errors, $"Each {what}") is { } itemMap)
                {
                    var itemCode = itemMap.Text("code", required: true, what: $"the {what}'s code");
                    var wording = itemMap.Text("wording");
                    var extra = extraKey is null ? null : itemMap.Text(extraKey);
                    itemMap.RejectUnknownKeys($"a {what}");
                    if (itemCode is not null)
                    {
                        result.Add((itemCode, wording, itemMap.Get("code")!));
                        if (extra is not null)
                        {
                            extras[itemCode] = extra;
                        }
                    }
                }
            }
        }
        else if (value is YamlScalarNode { Value: { } single } && !string.IsNullOrWhiteSpace(single) && single != "~")
        {
            result.Add((single.Trim(), null, value));
        }
        else if (value is YamlMappingNode)
        {
            errors.Add(value, $"'{key}' must be a list, each item starting with '- '");
        }

        if (required && result.Count == 0)
        {
            errors.Add(value ?? map.Node, $"Enter at least one {what} ('{key}:')");
        }

        return result;
    }

    private static ConditionEntry? ReadCondition(YamlMap? map, YamlErrors errors, string articleKey, IReadOnlyDictionary<string, string> allowed, string what)
    {
        if (map is null)
        {
            return null;
        }

        var article = map.Texts(articleKey);
        var schedule = map.Texts("schedule-1");
        var wording = map.Text("wording");
        map.RejectUnknownKeys($"the {what} section");
        foreach (var (code, node) in article)
        {
            if (!allowed.ContainsKey(code))
            {
                errors.Add(node, $"'{code}' is not a {what}. Use one of: {string.Join(", ", allowed.Keys)}");
            }
        }

        foreach (var (code, node) in schedule)
        {
            if (!RegisterCodes.Schedule1.ContainsKey(code))
            {
                errors.Add(node, $"'{code}' is not a DPA 2018 Schedule 1 condition. Use one of: {string.Join(", ", RegisterCodes.Schedule1.Keys)}");
            }
        }

        return new ConditionEntry { Article = article.Select(a => a.Value).ToList(), Schedule1 = schedule.Select(s => s.Value).ToList(), Wording = wording };
    }

    private static List<string> Texts(YamlMap map, string key) => map.Texts(key).Select(t => t.Value).ToList();

    private static string? Code(YamlMap map, string key, YamlErrors errors, string what)
    {
        var code = map.Text(key, required: true, what: what);
        if (code is not null && !Taxonomy.IsCode(code))
        {
            errors.Add(map.Get(key), $"'{code}' is not a valid short code: use lower-case letters, digits and '-'");
            return null;
        }

        return code;
    }

    [GeneratedRegex(@"^Z[A-Z0-9]{7}$")]
    private static partial Regex IcoRegistration();

    [GeneratedRegex(@"(\d+)\s*(years?|y|months?|m|weeks?|w|days?|d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PeriodPart();
}
