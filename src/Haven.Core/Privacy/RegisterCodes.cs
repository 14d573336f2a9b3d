namespace Haven.Core.Privacy;

/// <summary>The closed lists a register file chooses from, each code with the plain words a notice uses for it.</summary>
public static class RegisterCodes
{
    /// <summary>UK GDPR Article 6(1).</summary>
    public static readonly IReadOnlyDictionary<string, string> LawfulBases = new Dictionary<string, string>
    {
        ["consent"] = "Article 6(1)(a): you have given consent",
        ["contract"] = "Article 6(1)(b): it is needed for a contract with you",
        ["legal-obligation"] = "Article 6(1)(c): it is needed to comply with a legal obligation",
        ["vital-interests"] = "Article 6(1)(d): it is needed to protect someone's life",
        ["public-task"] = "Article 6(1)(e): it is needed for a task in the public interest or in the exercise of official authority",
        ["legitimate-interests"] = "Article 6(1)(f): it is needed for legitimate interests",
    };

    /// <summary>UK GDPR Article 9(2).</summary>
    public static readonly IReadOnlyDictionary<string, string> Article9 = new Dictionary<string, string>
    {
        ["explicit-consent"] = "Article 9(2)(a): explicit consent",
        ["employment-social-security"] = "Article 9(2)(b): employment, social security and social protection law",
        ["vital-interests"] = "Article 9(2)(c): protecting someone's vital interests",
        ["not-for-profit"] = "Article 9(2)(d): a not-for-profit body's members",
        ["made-public"] = "Article 9(2)(e): made public by the person",
        ["legal-claims"] = "Article 9(2)(f): the establishment, exercise or defence of legal claims, or courts acting in their judicial capacity",
        ["substantial-public-interest"] = "Article 9(2)(g): reasons of substantial public interest",
        ["health-social-care"] = "Article 9(2)(h): health or social care, or the management of health or social care systems and services",
        ["public-health"] = "Article 9(2)(i): public health",
        ["archiving-research"] = "Article 9(2)(j): archiving, research and statistics",
    };

    /// <summary>Article 9 conditions that the Data Protection Act 2018 only allows with a Schedule 1 condition as well.</summary>
    public static readonly IReadOnlySet<string> Article9NeedingSchedule1 = new HashSet<string>
    {
        "employment-social-security", "substantial-public-interest", "health-social-care", "public-health", "archiving-research",
    };

    /// <summary>Data Protection Act 2018 Schedule 1 conditions.</summary>
    public static readonly IReadOnlyDictionary<string, string> Schedule1 = new Dictionary<string, string>
    {
        ["employment-social-security"] = "Schedule 1 paragraph 1: employment, social security and social protection",
        ["health-social-care"] = "Schedule 1 paragraph 2: health or social care purposes",
        ["public-health"] = "Schedule 1 paragraph 3: public health",
        ["research"] = "Schedule 1 paragraph 4: research",
        ["statutory-purposes"] = "Schedule 1 paragraph 6: statutory and government purposes",
        ["administration-of-justice"] = "Schedule 1 paragraph 7: administration of justice",
        ["equality"] = "Schedule 1 paragraph 8: equality of opportunity or treatment",
        ["preventing-crime"] = "Schedule 1 paragraph 10: preventing or detecting unlawful acts",
        ["protecting-public"] = "Schedule 1 paragraph 11: protecting the public",
        ["counselling"] = "Schedule 1 paragraph 17: counselling",
        ["safeguarding"] = "Schedule 1 paragraph 18: safeguarding of children and of individuals at risk",
        ["legal-claims"] = "Schedule 1 paragraph 33: legal claims",
        ["judicial-acts"] = "Schedule 1 paragraph 34: judicial acts",
    };

    /// <summary>UK GDPR Article 10 with DPA 2018 section 10(5).</summary>
    public static readonly IReadOnlyDictionary<string, string> Article10 = new Dictionary<string, string>
    {
        ["official-authority"] = "Article 10: processing under the control of official authority",
        ["schedule-1"] = "Article 10 with DPA 2018 section 10(5): a Schedule 1 condition",
    };

    /// <summary>The anchor events a retention clock can start from; "event:name" names any other event.</summary>
    public static readonly IReadOnlyDictionary<string, string> Anchors = new Dictionary<string, string>
    {
        ["date-of-birth"] = "date of birth",
        ["adoption-order"] = "date of the adoption order",
        ["last-contact"] = "date of last contact",
        ["case-closure"] = "date the case closed",
        ["referral"] = "date of referral",
        ["plan-ended"] = "date the plan ended",
        ["course-date"] = "course date",
        ["payment-received"] = "date payment was received",
        ["evaluation-completed"] = "date the post-course evaluation was completed",
        ["certificate-sent"] = "date the certificate was sent",
        ["register-updated"] = "date the attendance register was updated",
        ["unsubscribe"] = "date of unsubscribing",
    };

    public static readonly IReadOnlyDictionary<string, string> RetentionActions = new Dictionary<string, string>
    {
        ["destroy"] = "securely destroyed",
        ["anonymise"] = "anonymised",
        ["review"] = "reviewed by a person, who then approves disposal or extends with a reason",
    };

    public static readonly IReadOnlyDictionary<string, string> Combinations = new Dictionary<string, string>
    {
        ["single"] = "one clock",
        ["longer"] = "whichever is the longer",
        ["shorter"] = "whichever is the shorter",
        ["all"] = "once all of these have happened",
    };

    public static readonly IReadOnlyDictionary<string, string> TransferSafeguards = new Dictionary<string, string>
    {
        ["consent"] = "your permission, asked for before anything is sent",
        ["adequacy"] = "UK adequacy regulations for the destination",
        ["standard-contractual-clauses"] = "the UK International Data Transfer Agreement or Addendum",
        ["binding-corporate-rules"] = "binding corporate rules",
    };

    /// <summary>The rights of UK GDPR Chapter III, in the order notices list them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Rights = new Dictionary<string, string>
    {
        ["informed"] = "Your right to be informed",
        ["access"] = "Your right to access your personal data",
        ["rectification"] = "Your right to have inaccurate personal data corrected",
        ["erasure"] = "Your right to have personal data erased",
        ["restriction"] = "Your right to restrict processing",
        ["portability"] = "Your right to data portability",
        ["object"] = "Your right to object to processing",
        ["object-direct-marketing"] = "Your right to object to direct marketing",
        ["automated-decisions"] = "Your rights about automated decision-making",
        ["withdraw-consent"] = "Your right to withdraw consent",
        ["complain"] = "Your right to complain to the Information Commissioner's Office",
    };

    public static string Label(IReadOnlyDictionary<string, string> list, string code) =>
        list.TryGetValue(code, out var label) ? label : code;

    public static string AnchorLabel(string anchor) =>
        anchor.StartsWith("event:", StringComparison.Ordinal) ? $"date of {anchor[6..].Replace('-', ' ')}" : Label(Anchors, anchor);
}
