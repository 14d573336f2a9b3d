using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Data.Entities;

/// <summary>A school, college or nursery a child attended.</summary>
public sealed class EducationProvider
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string ProviderName { get; set; } = string.Empty;
    public string? Urn { get; set; }
    public DateOnly AttendedFrom { get; set; }
    public DateOnly? AttendedTo { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Special educational needs provision (EHC plan or SEN support) from a date.</summary>
public sealed class SendProvisionRecord
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Provision { get; set; } = string.Empty;
    public DateOnly StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A personal education plan or pastoral support plan, with its last and next reviews.</summary>
public sealed class EducationPlan
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string PlanType { get; set; } = string.Empty;
    public DateOnly StartedOn { get; set; }
    public DateOnly? LastReviewedOn { get; set; }
    public DateOnly? NextReviewOn { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class AttendanceRecord
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public int PossibleSessions { get; set; }
    public int AttendedSessions { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class SchoolExclusion
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string ExclusionType { get; set; } = string.Empty;
    public DateOnly StartedOn { get; set; }
    public decimal? Days { get; set; }
    public string Reason { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Achievement
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public DateOnly AchievedOn { get; set; }
    public string Description { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class EducationProviderConfiguration : IEntityTypeConfiguration<EducationProvider>
{
    public void Configure(EntityTypeBuilder<EducationProvider> builder)
    {
        builder.ToTable("education_providers");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}

public sealed class SendProvisionRecordConfiguration : IEntityTypeConfiguration<SendProvisionRecord>
{
    public void Configure(EntityTypeBuilder<SendProvisionRecord> builder)
    {
        builder.ToTable("send_provisions");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}

public sealed class EducationPlanConfiguration : IEntityTypeConfiguration<EducationPlan>
{
    public void Configure(EntityTypeBuilder<EducationPlan> builder)
    {
        builder.ToTable("education_plans");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}

public sealed class AttendanceRecordConfiguration : IEntityTypeConfiguration<AttendanceRecord>
{
    public void Configure(EntityTypeBuilder<AttendanceRecord> builder)
    {
        builder.ToTable("attendance_records");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}

public sealed class SchoolExclusionConfiguration : IEntityTypeConfiguration<SchoolExclusion>
{
    public void Configure(EntityTypeBuilder<SchoolExclusion> builder)
    {
        builder.ToTable("school_exclusions");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
        builder.Property(e => e.Days).HasPrecision(4, 1);
    }
}

public sealed class AchievementConfiguration : IEntityTypeConfiguration<Achievement>
{
    public void Configure(EntityTypeBuilder<Achievement> builder)
    {
        builder.ToTable("achievements");
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}
