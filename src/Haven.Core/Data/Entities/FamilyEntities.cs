using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Data.Entities;

/// <summary>How two people are related, read as "[RelatedPerson] is [Person]'s [Relationship]".</summary>
public sealed class Relationship
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public Guid RelatedPersonId { get; set; }
    public string RelationshipType { get; set; } = string.Empty;
    public bool ParentalResponsibility { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two workers correcting the same fact cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }
}

/// <summary>A household, known by an address-like label; who lived in it, and when, is in <see cref="HouseholdMember"/>.</summary>
public sealed class Household
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Label { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One person living in one household from a date, and to a date (the last day they lived there) if they have left.</summary>
public sealed class HouseholdMember
{
    public Guid Id { get; set; }
    public Guid HouseholdId { get; set; }
    public Guid PersonId { get; set; }
    public DateOnly LivedFrom { get; set; }
    public DateOnly? LivedTo { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two workers correcting the same fact cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }
}

public sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> builder)
    {
        builder.ToTable("relationships");
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.RelatedPersonId);
        builder.Property(r => r.Version).HasColumnName(Haven.Core.Data.HavenDbContext.RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }
}

public sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> builder) => builder.ToTable("households");
}

public sealed class HouseholdMemberConfiguration : IEntityTypeConfiguration<HouseholdMember>
{
    public void Configure(EntityTypeBuilder<HouseholdMember> builder)
    {
        builder.ToTable("household_members");
        builder.HasOne<Household>().WithMany().HasForeignKey(m => m.HouseholdId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId);
        builder.Property(m => m.Version).HasColumnName(Haven.Core.Data.HavenDbContext.RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }
}
