using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.CaseWork;

/// <summary>What every case-work entry has: the person it is about, where the information came from, who recorded it and when.</summary>
public abstract class CaseWorkEntry
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A case note recording a contact: a visit, phone call, letter, email or meeting.</summary>
public sealed class CaseNote : CaseWorkEntry
{
    public string ContactType { get; set; } = string.Empty;
    public DateOnly ContactDate { get; set; }
    public TimeOnly? ContactTime { get; set; }
    public string? Participants { get; set; }
    public Guid[] ParticipantPersonIds { get; set; } = [];
    public string Text { get; set; } = string.Empty;
}

/// <summary>One line of the worries / what is working well / next steps lists.</summary>
public sealed class CaseWorry : CaseWorkEntry
{
    public string Kind { get; set; } = string.Empty;
    public string Text { get; set; } = string.Empty;
    public DateOnly RecordedOn { get; set; }
}

public sealed class CasePlan : CaseWorkEntry
{
    public string PlanType { get; set; } = string.Empty;
    public DateOnly StartedOn { get; set; }
    public DateOnly? CompletedOn { get; set; }
    public DateOnly? ReviewOn { get; set; }
    public string? Outcome { get; set; }
}

public sealed class CaseService : CaseWorkEntry
{
    public string Name { get; set; } = string.Empty;
    public string? Provider { get; set; }
    public DateOnly FromDate { get; set; }
    public DateOnly? ToDate { get; set; }
}

/// <summary>Criminal-offence data: every value is sealed with the organisation's data key.</summary>
public sealed class CaseOffence : CaseWorkEntry
{
    public byte[] DescriptionSealed { get; set; } = [];
    public byte[] StatusSealed { get; set; } = [];
    public byte[]? OffenceDateSealed { get; set; }
    public byte[]? ProceedingsSealed { get; set; }
}

/// <summary>An uploaded document or photo. The file name is kept for display and download only, never as a path.</summary>
public sealed class CaseDocument : CaseWorkEntry
{
    public string? Title { get; set; }
    public string FileName { get; set; } = string.Empty;
    public string ContentType { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public long SizeBytes { get; set; }
    public byte[] ContentSealed { get; set; } = [];
}

internal static class CaseWorkMapping
{
    public static void MapEntry<T>(EntityTypeBuilder<T> builder, string table)
        where T : CaseWorkEntry
    {
        builder.ToTable(table);
        builder.HasKey(e => e.Id);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
    }
}

public sealed class CaseNoteConfiguration : IEntityTypeConfiguration<CaseNote>
{
    public void Configure(EntityTypeBuilder<CaseNote> builder) => CaseWorkMapping.MapEntry(builder, "case_notes");
}

public sealed class CaseWorryConfiguration : IEntityTypeConfiguration<CaseWorry>
{
    public void Configure(EntityTypeBuilder<CaseWorry> builder) => CaseWorkMapping.MapEntry(builder, "case_worries");
}

public sealed class CasePlanConfiguration : IEntityTypeConfiguration<CasePlan>
{
    public void Configure(EntityTypeBuilder<CasePlan> builder) => CaseWorkMapping.MapEntry(builder, "case_plans");
}

public sealed class CaseServiceConfiguration : IEntityTypeConfiguration<CaseService>
{
    public void Configure(EntityTypeBuilder<CaseService> builder) => CaseWorkMapping.MapEntry(builder, "case_services");
}

public sealed class CaseOffenceConfiguration : IEntityTypeConfiguration<CaseOffence>
{
    public void Configure(EntityTypeBuilder<CaseOffence> builder) => CaseWorkMapping.MapEntry(builder, "case_offences");
}

public sealed class CaseDocumentConfiguration : IEntityTypeConfiguration<CaseDocument>
{
    public void Configure(EntityTypeBuilder<CaseDocument> builder) => CaseWorkMapping.MapEntry(builder, "case_documents");
}
