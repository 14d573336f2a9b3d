using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Data.Entities;

/// <summary>
/// A period of involvement with a child (referral, plan, looked after, adoption…). Free-text details are sealed
/// with the organisation's data key under the purpose "involvements.[type]".
/// </summary>
public sealed class Involvement
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public string InvolvementType { get; set; } = string.Empty;
    public DateOnly StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string? ReferralSource { get; set; }
    public string? CategoryOfAbuse { get; set; }
    public string? LegalStatus { get; set; }
    public DateOnly? AdoptionOrderOn { get; set; }
    public bool PreBirth { get; set; }
    public byte[]? DetailsSealed { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two workers correcting the same fact cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }
}

public sealed class CourtOrder
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public string OrderType { get; set; } = string.Empty;
    public string Court { get; set; } = string.Empty;
    public DateOnly MadeOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two workers correcting the same fact cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }
}

/// <summary>A professional working with a child: the GP, the school, a police officer.</summary>
public sealed class ProfessionalInvolved
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public string Role { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string? ProfessionalOrganisation { get; set; }
    public string? Contact { get; set; }
    public DateOnly? InvolvedFrom { get; set; }
    public DateOnly? InvolvedTo { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two workers correcting the same fact cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }
}

public sealed class InvolvementConfiguration : IEntityTypeConfiguration<Involvement>
{
    public void Configure(EntityTypeBuilder<Involvement> builder)
    {
        builder.ToTable("involvements");
        builder.HasOne<Person>().WithMany().HasForeignKey(i => i.PersonId);
        builder.Property(i => i.Version).HasColumnName(Haven.Core.Data.HavenDbContext.RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }
}

public sealed class CourtOrderConfiguration : IEntityTypeConfiguration<CourtOrder>
{
    public void Configure(EntityTypeBuilder<CourtOrder> builder)
    {
        builder.ToTable("court_orders");
        builder.HasOne<Person>().WithMany().HasForeignKey(o => o.PersonId);
        builder.Property(o => o.Version).HasColumnName(Haven.Core.Data.HavenDbContext.RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }
}

public sealed class ProfessionalInvolvedConfiguration : IEntityTypeConfiguration<ProfessionalInvolved>
{
    public void Configure(EntityTypeBuilder<ProfessionalInvolved> builder)
    {
        builder.ToTable("professionals_involved");
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.PersonId);
        builder.Property(p => p.Version).HasColumnName(Haven.Core.Data.HavenDbContext.RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }
}
