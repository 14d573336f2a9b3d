using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Sharing;

/// <summary>An organisation Haven's organisation shares information with, linked to the register recipients it is.</summary>
public sealed class SharingPartner
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Name { get; set; } = string.Empty;
    public string PartnerType { get; set; } = "other";
    public string? Contact { get; set; }
    public string? Address { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>An ODS code (NHS), URN (schools) or similar reference, when the partner has one.</summary>
    public string? Identifier { get; set; }
    /// <summary>The privacy register's recipient codes this partner is (for example "police").</summary>
    public string[] RecipientCodes { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An information-sharing agreement between the organisation and one or more partners.</summary>
public sealed class SharingAgreement
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Title { get; set; } = string.Empty;
    public Guid[] PartnerIds { get; set; } = [];
    /// <summary>Register purposes as "service/activity" codes.</summary>
    public string[] Purposes { get; set; } = [];
    /// <summary>Data category codes from the taxonomy.</summary>
    public string[] Categories { get; set; } = [];
    public string LawfulBasis { get; set; } = string.Empty;
    public DateOnly StartsOn { get; set; }
    public DateOnly ReviewOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string Status { get; set; } = SharingCodes.StatusDraft;
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>An agreement that is not ended and whose review date has passed is overdue for review.</summary>
    public bool OverdueForReview(DateOnly today) => Status != SharingCodes.StatusEnded && ReviewOn < today;

    /// <summary>Whether the agreement is in force on a date: active, started, not ended.</summary>
    public bool InForceOn(DateOnly date) => Status == SharingCodes.StatusActive && StartsOn <= date && (EndsOn is null || EndsOn >= date);
}

public sealed class SharingEntitiesConfiguration : IEntityTypeConfiguration<SharingPartner>, IEntityTypeConfiguration<SharingAgreement>
{
    public void Configure(EntityTypeBuilder<SharingPartner> builder) => builder.ToTable("sharing_partners");

    public void Configure(EntityTypeBuilder<SharingAgreement> builder) => builder.ToTable("sharing_agreements");
}

public static class SharingCodes
{
    public const string StatusDraft = "draft";
    public const string StatusActive = "active";
    public const string StatusUnderReview = "under-review";
    public const string StatusEnded = "ended";

    public static readonly IReadOnlyList<(string Code, string Label)> PartnerTypes =
    [
        ("police", "Police"),
        ("nhs-trust", "NHS trust"),
        ("gp-practice", "GP practice"),
        ("school", "School or college"),
        ("other-council", "Other council"),
        ("government-department", "Government department"),
        ("ofsted", "Ofsted"),
        ("court", "Court"),
        ("voluntary-sector", "Voluntary sector"),
        ("other", "Other"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Statuses =
    [
        (StatusDraft, "Draft"),
        (StatusActive, "Active"),
        (StatusUnderReview, "Under review"),
        (StatusEnded, "Ended"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Methods =
    [
        ("secure-email", "Secure email"),
        ("post", "Post"),
        ("phone", "Phone"),
        ("meeting", "In a meeting or in person"),
        ("portal", "Partner's system or portal"),
        ("other", "Other"),
    ];

    public static string Label(IReadOnlyList<(string Code, string Label)> list, string? code) =>
        list.FirstOrDefault(i => i.Code == code).Label ?? code ?? string.Empty;
}

public static class SharingAuditActions
{
    public const string Disclosed = "sharing.disclosed";
    public const string PartnerSaved = "sharing.partner_saved";
    public const string AgreementSaved = "sharing.agreement_saved";
    public const string LogViewed = "sharing.log_viewed";
    public const string LogExported = "sharing.log_exported";
}
