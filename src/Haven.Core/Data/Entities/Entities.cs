namespace Haven.Core.Data.Entities;

public sealed class Organisation
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string ShortName { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Team
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Name { get; set; } = string.Empty;
    public Guid? ManagerUserId { get; set; }
    /// <summary>The service in the organisation's privacy register that this team's work falls under.</summary>
    public string? ServiceCode { get; set; }
}

public sealed class User
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid? TeamId { get; set; }
    public string Email { get; set; } = string.Empty;
    public string NormalizedEmail { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public string? JobTitle { get; set; }
    public List<string> Roles { get; set; } = [];
    public string PasswordHash { get; set; } = string.Empty;
    public bool MustChangePassword { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public int FailedSignInCount { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string? TotpSecretProtected { get; set; }
    public long TotpLastStep { get; set; }
    public DateOnly? LastDataProtectionTrainingOn { get; set; }
    public string SecurityStamp { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignedInAt { get; set; }

    public bool TwoFactorEnabled => TotpSecretProtected is not null;
}

public sealed class Person
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid? OwningTeamId { get; set; }
    public string PersonType { get; set; } = "child";
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public string? KnownAs { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public bool DateOfBirthEstimated { get; set; }
    public DateOnly? ExpectedDateOfBirth { get; set; }
    public Guid? MotherId { get; set; }
    public DateOnly? DateOfDeath { get; set; }
    public string? Gender { get; set; }
    public string? FirstLanguage { get; set; }
    public byte[]? EthnicitySealed { get; set; }
    public byte[]? ReligionSealed { get; set; }
    public byte[]? DisabilitySealed { get; set; }
    public byte[]? SexualOrientationSealed { get; set; }
    public string? NhsNumber { get; set; }
    public string? Upn { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public bool Restricted { get; set; }
    public string? RestrictionReason { get; set; }
    /// <summary>Processing restricted at the subject's request (UK GDPR Art. 18): only the DPO may read it; nothing is added, changed or shared.</summary>
    public bool ProcessingRestricted { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Set when this record was merged into another; the record is kept so the merge can be undone.</summary>
    public Guid? MergedIntoId { get; set; }
    /// <summary>Set when the retention engine anonymised the record: identifying values are gone, statistics remain.</summary>
    public DateTimeOffset? AnonymisedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two people saving the same record cannot overwrite each other unseen.</summary>
    public uint Version { get; set; }

    public string FullName => $"{GivenName} {FamilyName}";
}

public sealed class PersonName
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Kind { get; set; } = "previous";
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public DateOnly? UsedFrom { get; set; }
    public DateOnly? UsedTo { get; set; }
}

public sealed class Address
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Line1 { get; set; } = string.Empty;
    public string? Line2 { get; set; }
    public string? Town { get; set; }
    public string Postcode { get; set; } = string.Empty;
    public DateOnly? LivedFrom { get; set; }
    public DateOnly? LivedTo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class RecordAccessGrant
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid UserId { get; set; }
    public string Basis { get; set; } = string.Empty;
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public Guid? GrantedByUserId { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class BreakGlassEvent
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid PersonId { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public Guid? ManagerUserId { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public string? ReviewOutcome { get; set; }
}

public sealed class AuditEvent
{
    public long Seq { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? ActorUserId { get; set; }
    public string? ActorRole { get; set; }
    public string Action { get; set; } = string.Empty;
    public Guid[] PersonIds { get; set; } = [];
    public string? Purpose { get; set; }
    public string? ClientAddress { get; set; }
    public string? RequestId { get; set; }
    public string? Details { get; set; }
    public string PrevHash { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
}

public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string FriendlyName { get; set; } = string.Empty;
    public string Xml { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}
