namespace Haven.Core.Privacy;

/// <summary>
/// One organisation's privacy register as imported from its data file: the controller, its contacts and, for each
/// service, the processing activities (UK GDPR Art. 30). The published notices are rendered from it and Haven's
/// enforcement points read it. Wording fields hold the organisation's own plain words for each statement.
/// </summary>
public sealed record RegisterDocument
{
    public required OrganisationEntry Organisation { get; init; }
    public required NoticeEntry Notice { get; init; }
    public required IReadOnlyList<ServiceEntry> Services { get; init; }

    public ServiceEntry? Service(string code) => Services.FirstOrDefault(s => s.Code == code);

    public IEnumerable<(ServiceEntry Service, ActivityEntry Activity)> Activities() =>
        Services.SelectMany(s => s.Activities.Select(a => (s, a)));
}

public sealed record OrganisationEntry
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Controller { get; init; }
    public string? IcoRegistration { get; init; }
    public required ContactEntry DataProtectionOfficer { get; init; }
    public ContactEntry? Contact { get; init; }
    public required string Complaints { get; init; }
    public required IcoContact Ico { get; init; }
    public IReadOnlyList<string> SecurityMeasures { get; init; } = [];
    public IReadOnlyList<string> Disclosures { get; init; } = [];
    public string? Storage { get; init; }
    public IReadOnlyList<string> Cookies { get; init; } = [];
}

public sealed record ContactEntry
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Postal { get; init; }
    public string? Web { get; init; }
    public string? Wording { get; init; }

    public IEnumerable<string> Values() => new[] { Name, Email, Phone, Postal, Web }.Where(v => !string.IsNullOrWhiteSpace(v))!;
}

public sealed record IcoContact
{
    public required string Postal { get; init; }
    public required string Phone { get; init; }
    public string? Email { get; init; }
    public string? Web { get; init; }
}

public sealed record NoticeEntry
{
    public required string Title { get; init; }
    public required DateOnly EffectiveFrom { get; init; }
    public IReadOnlyList<string> Introduction { get; init; } = [];
}

public sealed record ServiceEntry
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> Description { get; init; } = [];
    /// <summary>Case records (people, family, case work) collected by staff without a team of their own fall under this service.</summary>
    public bool HoldsCaseRecords { get; init; }
    public required IReadOnlyList<ActivityEntry> Activities { get; init; }
}

public sealed record ActivityEntry
{
    public required string Code { get; init; }
    public required string Purpose { get; init; }
    public IReadOnlyList<string> Uses { get; init; } = [];
    public required IReadOnlyList<BasisEntry> LawfulBases { get; init; }
    public ConditionEntry? SpecialCategory { get; init; }
    public ConditionEntry? CriminalOffence { get; init; }
    public IReadOnlyList<string> Legislation { get; init; } = [];
    public required IReadOnlyList<DataItem> Categories { get; init; }
    public IReadOnlyList<string> DataSubjects { get; init; } = [];
    public IReadOnlyList<string> Sources { get; init; } = [];
    public IReadOnlyList<RecipientEntry> Recipients { get; init; } = [];
    public IReadOnlyList<ProcessorEntry> Processors { get; init; } = [];
    public TransferEntry Transfers { get; init; } = new();
    public IReadOnlyList<RetentionRule> Retention { get; init; } = [];
    public IReadOnlyList<RightEntry> Rights { get; init; } = [];
    public RequirementEntry? Requirement { get; init; }
    public string? AutomatedDecisions { get; init; }
    public IReadOnlyList<string> SecurityMeasures { get; init; } = [];
}

public sealed record BasisEntry(string Code, string? Wording);

/// <summary>Article 9 (or Article 10) conditions and the DPA 2018 Schedule 1 conditions that go with them.</summary>
public sealed record ConditionEntry
{
    public IReadOnlyList<string> Article { get; init; } = [];
    public IReadOnlyList<string> Schedule1 { get; init; } = [];
    public string? Wording { get; init; }
}

public sealed record DataItem(string Category, string? Wording);

public sealed record RecipientEntry
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Basis { get; init; }
    public string? Wording { get; init; }
    /// <summary>The categories this recipient may receive; empty means any category the activity declares.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>A country outside the UK, when the recipient is overseas.</summary>
    public string? Country { get; init; }
}

public sealed record ProcessorEntry(string Name, string? Service, string? Wording);

public sealed record TransferEntry
{
    /// <summary>Whether data may leave the UK at all.</summary>
    public bool Allowed { get; init; }
    /// <summary>Protection relied on: consent, adequacy, standard-contractual-clauses or binding-corporate-rules.</summary>
    public string? Safeguard { get; init; }
    public IReadOnlyList<string> Countries { get; init; } = [];
    public string? Wording { get; init; }
}

public sealed record RetentionRule
{
    public required string Code { get; init; }
    public required string RecordType { get; init; }
    public string? Wording { get; init; }
    /// <summary>How several terms combine: single, longer (whichever is longer), shorter, or all (every condition met).</summary>
    public required string Combine { get; init; }
    public required IReadOnlyList<RetentionTerm> Terms { get; init; }
    /// <summary>destroy, anonymise or review.</summary>
    public required string Action { get; init; }
    public string? LegalSource { get; init; }
}

/// <summary>One clock: an anchor event and a period after it (a zero period means "once the event has happened").</summary>
public sealed record RetentionTerm(string Anchor, Period Period);

public readonly record struct Period(int Years, int Months, int Days)
{
    public bool IsZero => Years == 0 && Months == 0 && Days == 0;

    /// <summary>
    /// The date this period after <paramref name="date"/>. Where the same day does not exist in the target month
    /// (29 February in a common year, 31st in a shorter month) the period ends on the first day of the next month,
    /// as a birthday on 29 February is reached on 1 March: a record is never due a day early.
    /// </summary>
    public DateOnly AddTo(DateOnly date)
    {
        var months = (Years * 12) + Months;
        var shifted = date.AddMonths(months);
        if (shifted.Day < date.Day)
        {
            shifted = shifted.AddDays(1);
        }

        return shifted.AddDays(Days);
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Years != 0)
        {
            parts.Add(Years == 1 ? "1 year" : $"{Years} years");
        }

        if (Months != 0)
        {
            parts.Add(Months == 1 ? "1 month" : $"{Months} months");
        }

        if (Days != 0)
        {
            parts.Add(Days == 1 ? "1 day" : $"{Days} days");
        }

        return parts.Count == 0 ? "no further time" : string.Join(" and ", parts);
    }
}

public sealed record RightEntry(string Code, string? Wording, string? Limits);

public sealed record RequirementEntry(bool Required, string? Wording);
