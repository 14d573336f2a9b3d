using Haven.Core.People;

namespace Haven.Core.CaseWork;

/// <summary>Code lists used only by case work. Contact types and sources of information are in <see cref="ReferenceData"/>.</summary>
public static class CaseWorkLists
{
    /// <summary>The three lists early help keeps with the family (in the style of Signs of Safety).</summary>
    public static readonly CodeList WorryKinds = new("Kind of entry",
    [
        new("worry", "Worry"),
        new("working_well", "What is working well"),
        new("next_step", "Next step"),
    ]);

    public static readonly CodeList PlanTypes = new("Assessment or plan type",
    [
        new("early_help_assessment", "Early help assessment"),
        new("family_support_plan", "Family support plan"),
        new("child_and_family_assessment", "Child and family assessment"),
        new("child_in_need_plan", "Child in need plan"),
        new("child_protection_plan", "Child protection plan"),
        new("care_plan", "Care plan"),
        new("pathway_plan", "Pathway plan"),
    ]);

    public static readonly CodeList OffenceStatuses = new("Whether the offence is alleged or proven",
    [
        new("alleged", "Alleged"),
        new("proven", "Proven"),
    ]);
}

/// <summary>Audit actions for case work. Each event carries the person's id; tests assert on these names.</summary>
public static class CaseWorkAuditActions
{
    public const string NoteAdded = "casework.note_added";
    public const string WorryAdded = "casework.worry_added";
    public const string PlanAdded = "casework.plan_added";
    public const string ServiceAdded = "casework.service_added";
    public const string OffenceAdded = "casework.offence_added";
    public const string OffencesViewed = "casework.offences_viewed";
    public const string DocumentUploaded = "casework.document_uploaded";
    public const string DocumentDownloaded = "casework.document_downloaded";
}
