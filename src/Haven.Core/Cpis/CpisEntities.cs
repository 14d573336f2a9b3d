using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Cpis;

/// <summary>The name and phone numbers a clinician is given for a child on the list: one per organisation.</summary>
public sealed class CpisAuthority
{
    public Guid OrganisationId { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public string OfficeHoursPhone { get; set; } = string.Empty;
    public string EmergencyDutyPhone { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}

/// <summary>An unscheduled-care setting that may look children up, with its own credential (only a hash is kept).</summary>
public sealed class CpisClient
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string SettingType { get; set; } = string.Empty;
    public string OdsCode { get; set; } = string.Empty;
    public string[] Scopes { get; set; } = [];
    public int RateLimitPerMinute { get; set; }
    public byte[] SecretHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedByUserId { get; set; }
}

/// <summary>One lookup of one listed person (or of nobody, when the number is not on the list).</summary>
public sealed class CpisAccess
{
    public Guid Id { get; set; }
    public Guid LookupId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid ClientId { get; set; }
    public Guid? PersonId { get; set; }
    public string? ClinicianRole { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public Guid? ReadByUserId { get; set; }
}

/// <summary>A concern a clinician sent back to the responsible team.</summary>
public sealed class CpisConcern
{
    public Guid Id { get; set; }
    public Guid LookupId { get; set; }
    public Guid PersonId { get; set; }
    public Guid ClientId { get; set; }
    public string? ClinicianRole { get; set; }
    public string Concern { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public Guid? ReadByUserId { get; set; }
}

internal sealed class CpisConfiguration : IEntityTypeConfiguration<CpisAuthority>, IEntityTypeConfiguration<CpisClient>,
    IEntityTypeConfiguration<CpisAccess>, IEntityTypeConfiguration<CpisConcern>
{
    public void Configure(EntityTypeBuilder<CpisAuthority> builder)
    {
        builder.ToTable("cpis_authorities");
        builder.HasKey(a => a.OrganisationId);
    }

    public void Configure(EntityTypeBuilder<CpisClient> builder) => builder.ToTable("cpis_clients");

    public void Configure(EntityTypeBuilder<CpisAccess> builder) => builder.ToTable("cpis_accesses");

    public void Configure(EntityTypeBuilder<CpisConcern> builder) => builder.ToTable("cpis_concerns");
}
