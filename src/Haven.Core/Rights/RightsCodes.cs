using Haven.Core.People;

namespace Haven.Core.Rights;

/// <summary>The code lists of information rights requests: rights, channels, relationships, grounds and exemptions.</summary>
public static class RightsCodes
{
    public const string Access = "access";
    public const string Rectification = "rectification";
    public const string Erasure = "erasure";
    public const string Restriction = "restriction";
    public const string Objection = "objection";
    public const string Portability = "portability";
    public const string ConsentWithdrawal = "consent_withdrawal";
    public const string AutomatedDecision = "automated_decision";

    public const string ChannelOnline = "online";
    public const string RelationshipSelf = "self";
    public const string RelationshipParent = "parent";
    public const string RelationshipRepresentative = "representative";
    public const string RelationshipChild = "child";

    public const string StatusOpen = "open";
    public const string StatusPaused = "paused";
    public const string StatusAwaitingSignOff = "awaiting_sign_off";
    public const string StatusCompleted = "completed";
    public const string StatusRefused = "refused";
    public const string StatusWithdrawn = "withdrawn";

    public static readonly CodeList Rights = new("Right",
    [
        new(Access, "Access: a copy of the information held"),
        new(Rectification, "Rectification: correct information that is wrong or incomplete"),
        new(Erasure, "Erasure: delete information"),
        new(Restriction, "Restriction: stop information being used for now"),
        new(Objection, "Objection: object to information being used"),
        new(Portability, "Portability: information the person provided, in a machine-readable form"),
        new(ConsentWithdrawal, "Withdraw consent"),
        new(AutomatedDecision, "Review of a decision made by automated means"),
    ]);

    public static string ShortLabel(string right) => right switch
    {
        Access => "Access",
        Rectification => "Rectification",
        Erasure => "Erasure",
        Restriction => "Restriction",
        Objection => "Objection",
        Portability => "Portability",
        ConsentWithdrawal => "Consent withdrawal",
        AutomatedDecision => "Automated decision review",
        _ => right,
    };

    public static readonly CodeList Channels = new("How the request arrived",
    [
        new(ChannelOnline, "Online form"),
        new("post", "Post"),
        new("email", "Email"),
        new("phone", "Phone"),
        new("in_person", "In person"),
    ]);

    public static readonly CodeList Relationships = new("Requester's relationship to the subject",
    [
        new(RelationshipSelf, "The person themselves (an adult asking about themselves)"),
        new(RelationshipChild, "A child or young person asking about themselves"),
        new(RelationshipParent, "A parent or someone with parental responsibility"),
        new(RelationshipRepresentative, "A representative with authority (for example a solicitor or advocate)"),
    ]);

    public static readonly CodeList Statuses = new("Status",
    [
        new(StatusOpen, "In progress"),
        new(StatusPaused, "Clock stopped"),
        new(StatusAwaitingSignOff, "Awaiting sign-off"),
        new(StatusCompleted, "Completed"),
        new(StatusRefused, "Refused"),
        new(StatusWithdrawn, "Withdrawn"),
    ]);

    public static readonly CodeList PauseReasons = new("Waiting for",
    [
        new("identity", "Proof of identity"),
        new("authority", "Proof of authority to act for the subject"),
        new("clarification", "Clarification of the request"),
    ]);

    public static readonly CodeList IdentityMethods = new("How identity was checked",
    [
        new("photo_id", "Photo identification (passport or driving licence) seen"),
        new("two_documents", "Two documents, one showing the current address"),
        new("known_to_service", "Known to the service (checked against details we hold)"),
        new("in_person", "Seen in person by a worker who knows them"),
        new("verified_digital", "Checked through a digital identity service"),
    ]);

    /// <summary>Grounds for removing information from an access response (DPA 2018 schedules).</summary>
    public static readonly CodeList Exemptions = new("Reason for redacting or withholding",
    [
        new("third_party", "Information about another person who has not agreed and whom it is not reasonable to disclose (DPA 2018 Sch. 2 para. 16)"),
        new("serious_harm", "Social work data likely to cause serious harm to the physical or mental health of the subject or someone else (DPA 2018 Sch. 3 para. 7)"),
        new("child_abuse_data", "Child abuse data asked for by someone with parental responsibility, where disclosure is not in the child's best interests (DPA 2018 Sch. 3 para. 21)"),
        new("crime", "Disclosure would be likely to prejudice the prevention or detection of crime (DPA 2018 Sch. 2 para. 2)"),
        new("legal_privilege", "Legal professional privilege (DPA 2018 Sch. 2 para. 19)"),
        new("court_proceedings", "Information in documents of court proceedings, or whose disclosure is prohibited by a court (DPA 2018 Sch. 4 / Sch. 2 para. 6)"),
        new("adoption", "Adoption records whose disclosure is restricted by enactment (DPA 2018 Sch. 4 para. 3)"),
        new("expectation_of_child", "Information a child gave in the expectation that it would not be disclosed to the person asking (DPA 2018 Sch. 3 para. 7(2))"),
    ]);

    /// <summary>Lawful grounds for refusing erasure (UK GDPR Art. 17(3)).</summary>
    public static readonly CodeList ErasureRefusals = new("Ground for refusing erasure",
    [
        new("legal_obligation", "Keeping it is needed to comply with a legal obligation (Art. 17(3)(b))"),
        new("public_task", "Keeping it is needed for a task in the public interest or official authority, such as safeguarding children (Art. 17(3)(b))"),
        new("public_health", "Public health reasons (Art. 17(3)(c))"),
        new("archiving", "Archiving in the public interest, research or statistics (Art. 17(3)(d))"),
        new("legal_claims", "Establishing, exercising or defending legal claims (Art. 17(3)(e))"),
        new("legal_hold", "A legal hold (for example an inquiry) forbids destruction"),
    ]);

    /// <summary>Grounds for refusing an objection (Art. 21(1)).</summary>
    public static readonly CodeList ObjectionRefusals = new("Ground for refusing the objection",
    [
        new("compelling_grounds", "Compelling legitimate grounds that override the person's interests, rights and freedoms"),
        new("legal_claims", "Establishing, exercising or defending legal claims"),
    ]);

    /// <summary>Grounds for refusing a request altogether (Art. 12(5)).</summary>
    public static readonly CodeList RequestRefusals = new("Ground for refusing the request",
    [
        new("manifestly_unfounded", "Manifestly unfounded (Art. 12(5))"),
        new("excessive", "Excessive, for example repetitive (Art. 12(5))"),
        new("identity_not_confirmed", "Identity could not be confirmed (Art. 12(6))"),
        new("no_authority", "The requester has no authority to act for the subject"),
    ]);
}
