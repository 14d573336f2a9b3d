using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Rights;

/// <summary>A request by a person (or someone acting for them) to use their data protection rights.</summary>
public sealed class RightsRequest
{
    public Guid Id { get; set; }
    public string Reference { get; set; } = string.Empty;
    public Guid OrganisationId { get; set; }
    public string Channel { get; set; } = RightsCodes.ChannelOnline;
    public DateOnly ReceivedOn { get; set; }
    public string[] Rights { get; set; } = [];
    public string RequesterName { get; set; } = string.Empty;
    public string? RequesterEmail { get; set; }
    public string? RequesterPhone { get; set; }
    public string? RequesterAddress { get; set; }
    public string Relationship { get; set; } = RightsCodes.RelationshipSelf;
    public string SubjectName { get; set; } = string.Empty;
    public string? SubjectOtherNames { get; set; }
    public DateOnly? SubjectDateOfBirth { get; set; }
    public string? SubjectAddress { get; set; }
    public string? Details { get; set; }
    public string Status { get; set; } = RightsCodes.StatusOpen;
    public string IdentityStatus { get; set; } = "not_checked";
    public string? IdentityMethod { get; set; }
    public Guid? IdentityCheckedByUserId { get; set; }
    public DateTimeOffset? IdentityCheckedAt { get; set; }
    public string AuthorityStatus { get; set; } = "not_needed";
    public string? AuthorityEvidence { get; set; }
    public Guid? AuthorityCheckedByUserId { get; set; }
    public DateTimeOffset? AuthorityCheckedAt { get; set; }
    public int ExtensionMonths { get; set; }
    public string? ExtensionReason { get; set; }
    public DateOnly? ExtensionToldOn { get; set; }
    public Guid? AssignedUserId { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public string? Outcome { get; set; }
    public byte[] StatusCodeHash { get; set; } = [];
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? LastReminder { get; set; }

    public bool IsClosed => ClosedOn is not null;
}

public sealed class RightsRequestSubject
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public Guid PersonId { get; set; }
    public Guid? MatchedByUserId { get; set; }
    public DateTimeOffset MatchedAt { get; set; }
}

public sealed class RightsRequestPause
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public string Reason { get; set; } = "identity";
    public string? Note { get; set; }
    public DateOnly PausedOn { get; set; }
    public DateOnly? ResumedOn { get; set; }
    public Guid? PausedByUserId { get; set; }
}

public sealed class RightsRequestEvent
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? UserId { get; set; }
    public string Kind { get; set; } = string.Empty;
    public string Text { get; set; } = string.Empty;
}

public sealed class RightsRequestRedaction
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public string Kind { get; set; } = "term";
    public string? Term { get; set; }
    public string? ItemKey { get; set; }
    public string Ground { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class RightsRequestBundle
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public string Status { get; set; } = "awaiting_sign_off";
    public Guid PreparedByUserId { get; set; }
    public DateTimeOffset PreparedAt { get; set; }
    public Guid? SignedOffByUserId { get; set; }
    public DateTimeOffset? SignedOffAt { get; set; }
    public string? ReturnedReason { get; set; }
    public int EntryCount { get; set; }
    public int RedactionCount { get; set; }
    public int WithheldCount { get; set; }
    public byte[] Pdf { get; set; } = [];
    public byte[] LetterPdf { get; set; } = [];
    public byte[] Json { get; set; } = [];
    public byte[] Csv { get; set; } = [];
    public string Sha256 { get; set; } = string.Empty;
}

public sealed class RightsRequestDecision
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public string RightCode { get; set; } = string.Empty;
    public string Outcome { get; set; } = "granted";
    public string? Ground { get; set; }
    public string Reason { get; set; } = string.Empty;
    public string? Details { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

public sealed class ProcessingRestriction
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid? RequestId { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTimeOffset StartedAt { get; set; }
    public Guid? StartedByUserId { get; set; }
    public DateOnly? SubjectToldOn { get; set; }
    public string? SubjectToldHow { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedByUserId { get; set; }
    public string? LiftReason { get; set; }
}

public sealed class PersonConsent
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid OrganisationId { get; set; }
    public string ServiceCode { get; set; } = string.Empty;
    public string Purpose { get; set; } = string.Empty;
    public DateOnly GivenOn { get; set; }
    public Guid? RecordedByUserId { get; set; }
    public DateOnly? WithdrawnOn { get; set; }
    public Guid? WithdrawnRequestId { get; set; }
}

public sealed class RecordStatement
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid? RequestId { get; set; }
    public string Text { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }
}

public sealed class OutboundMessage
{
    public Guid Id { get; set; }
    public Guid? RequestId { get; set; }
    public string Kind { get; set; } = string.Empty;
    public string Recipient { get; set; } = string.Empty;
    public string? Address { get; set; }
    public string Subject { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>One disclosure of information about a person to a recipient, for the disclosure log.</summary>
public sealed class Disclosure
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public string RecipientCode { get; set; } = string.Empty;
    public string RecipientName { get; set; } = string.Empty;
    public string? RecipientAddress { get; set; }
    public string ServiceCode { get; set; } = string.Empty;
    public string ActivityCode { get; set; } = string.Empty;
    public string Purpose { get; set; } = string.Empty;
    public string LawfulBasis { get; set; } = string.Empty;
    public string[] Categories { get; set; } = [];
    public string Summary { get; set; } = string.Empty;
    public DateOnly DisclosedOn { get; set; }
    public Guid? RecordedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Added by the sharing module (0012_sharing.sql).
    public Guid? PartnerId { get; set; }
    public Guid? AgreementId { get; set; }
    public string? Method { get; set; }
    /// <summary>True when the disclosure was made through Haven's sharing check; false when it was recorded after the fact.</summary>
    public bool MadeThroughHaven { get; set; }
    public string? Country { get; set; }
}

/// <summary>One thing the subject says is wrong in their record (rectification), and what was decided about it.</summary>
public sealed class RectificationItem
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public Guid PersonId { get; set; }
    public string Field { get; set; } = "other";
    public string Information { get; set; } = string.Empty;
    public string? CurrentValue { get; set; }
    public string ProposedValue { get; set; } = string.Empty;
    public string Status { get; set; } = "proposed";
    public bool Applied { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

public sealed class RectificationItemConfiguration : IEntityTypeConfiguration<RectificationItem>
{
    public void Configure(EntityTypeBuilder<RectificationItem> builder)
    {
        builder.ToTable("rectification_items");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(i => i.RequestId);
        builder.HasOne<Person>().WithMany().HasForeignKey(i => i.PersonId);
    }
}

public sealed class RightsEntitiesConfiguration :
    IEntityTypeConfiguration<RightsRequest>, IEntityTypeConfiguration<RightsRequestSubject>, IEntityTypeConfiguration<RightsRequestPause>,
    IEntityTypeConfiguration<RightsRequestEvent>, IEntityTypeConfiguration<RightsRequestRedaction>, IEntityTypeConfiguration<RightsRequestBundle>,
    IEntityTypeConfiguration<RightsRequestDecision>, IEntityTypeConfiguration<ProcessingRestriction>, IEntityTypeConfiguration<PersonConsent>,
    IEntityTypeConfiguration<RecordStatement>, IEntityTypeConfiguration<OutboundMessage>, IEntityTypeConfiguration<Disclosure>
{
    public void Configure(EntityTypeBuilder<RightsRequest> builder)
    {
        builder.ToTable("rights_requests");
        builder.Ignore(r => r.IsClosed);
    }

    // The foreign keys are declared so that EF saves a new request before the rows that belong to it.
    public void Configure(EntityTypeBuilder<RightsRequestSubject> builder)
    {
        builder.ToTable("rights_request_subjects");
        builder.HasOne<Person>().WithMany().HasForeignKey(s => s.PersonId);
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(s => s.RequestId);
    }

    public void Configure(EntityTypeBuilder<RightsRequestPause> builder)
    {
        builder.ToTable("rights_request_pauses");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(p => p.RequestId);
    }

    public void Configure(EntityTypeBuilder<RightsRequestEvent> builder)
    {
        builder.ToTable("rights_request_events");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(e => e.RequestId);
    }

    public void Configure(EntityTypeBuilder<RightsRequestRedaction> builder)
    {
        builder.ToTable("rights_request_redactions");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(r => r.RequestId);
    }

    public void Configure(EntityTypeBuilder<RightsRequestBundle> builder)
    {
        builder.ToTable("rights_request_bundles");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(b => b.RequestId);
    }

    public void Configure(EntityTypeBuilder<RightsRequestDecision> builder)
    {
        builder.ToTable("rights_request_decisions");
        builder.Property(d => d.Details).HasColumnType("jsonb");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(d => d.RequestId);
    }

    public void Configure(EntityTypeBuilder<ProcessingRestriction> builder) => builder.ToTable("processing_restrictions");

    public void Configure(EntityTypeBuilder<PersonConsent> builder) => builder.ToTable("person_consents");

    public void Configure(EntityTypeBuilder<RecordStatement> builder) => builder.ToTable("record_statements");

    public void Configure(EntityTypeBuilder<OutboundMessage> builder)
    {
        builder.ToTable("outbound_messages");
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(m => m.RequestId);
    }

    public void Configure(EntityTypeBuilder<Disclosure> builder) => builder.ToTable("disclosures");
}
