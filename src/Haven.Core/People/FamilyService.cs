using Haven.Core.Access;
using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.People;

/// <summary>"[RelatedPersonId] is this person's [RelationshipType]". Dates are already parsed; codes are raw.</summary>
[CollectionPoint("family.composition")]
public sealed record RelationshipInput(Guid? RelatedPersonId, string? RelationshipType, bool? ParentalResponsibility, DateOnly? StartedOn,
    DateOnly? EndedOn, [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

/// <summary>Adds this person to an existing household (HouseholdId) or to a new one (NewHouseholdLabel).</summary>
[CollectionPoint("family.household")]
public sealed record HouseholdMembershipInput(Guid? HouseholdId, string? NewHouseholdLabel, DateOnly? LivedFrom, DateOnly? LivedTo,
    [property: NotPersonalData("The kind of source a fact came from (family, GP, police, school); the register lists sources separately")] string? Source);

/// <summary>The outcome of recording one fact: field-keyed errors, or the new row's id.</summary>
public sealed record FactResult(IReadOnlyDictionary<string, string> Errors, Guid? Id)
{
    public bool Saved => Id is not null && Errors.Count == 0;

    public static FactResult Invalid(IReadOnlyDictionary<string, string> errors) => new(errors, null);
}

public sealed record RelationshipItem(Guid Id, Guid PersonId, string PersonName, Guid RelatedPersonId, string RelatedPersonName, string RelationshipType,
    bool ParentalResponsibility, DateOnly? StartedOn, DateOnly? EndedOn, string Source, uint Version) : ICorrectableFact<RelationshipInput>
{
    public string RelationshipLabel => ReferenceData.FamilyRelationships.LabelFor(RelationshipType) ?? RelationshipType;

    public bool Current(DateOnly today) => EndedOn is null || EndedOn >= today;

    /// <summary>Reads the same from either person's record, like "Danielle Clarke is Amara Clarke's mother".</summary>
    public string Describe() => RelationshipType == "other"
        ? $"{RelatedPersonName} has another family relationship with {PersonName}"
        : $"{RelatedPersonName} is {PersonName}'s {RelationshipLabel.ToLowerInvariant()}";

    /// <summary>The fact as the form or API would enter it, to prefill a correction.</summary>
    public RelationshipInput ToInput() => new(RelatedPersonId, RelationshipType, ParentalResponsibility, StartedOn, EndedOn, Source);
}

public sealed record HouseholdMemberItem(Guid MembershipId, Guid PersonId, string Name, DateOnly? DateOfBirth, DateOnly LivedFrom, DateOnly? LivedTo, string Source);

public sealed record HouseholdOnDate(Guid HouseholdId, string Label, DateOnly Date, IReadOnlyList<HouseholdMemberItem> Members);

public sealed record MembershipItem(Guid Id, Guid HouseholdId, string Label, DateOnly LivedFrom, DateOnly? LivedTo, string Source, uint Version) : ICorrectableFact<HouseholdMembershipInput>
{
    /// <summary>The fact as the form or API would enter it, to prefill a correction.</summary>
    public HouseholdMembershipInput ToInput() => new(HouseholdId, null, LivedFrom, LivedTo, Source);
}

public sealed record FamilyView(IReadOnlyList<RelationshipItem> Relationships, IReadOnlyList<HouseholdOnDate> HouseholdNow, IReadOnlyList<MembershipItem> Memberships);

/// <summary>
/// Family composition (relationships between two people) and household membership over time, so Haven can say who lived
/// in a household on any date. Callers open the person's record first (RecordAccessService); linking to a second person
/// also needs a working relationship with that person. Every change is audited with the ids of everyone concerned.
/// </summary>
public sealed class FamilyService(HavenDbContext db, AuditWriter audit, RecordAccessService access, CollectionGuard guard, TimeProvider clock)
{
    /// <summary>What a restricted record is called to someone who may not see restricted records.</summary>
    public const string RestrictedName = "Restricted record";

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public Task<IReadOnlyDictionary<string, string>> ValidateRelationshipAsync(Guid actorId, Guid personId, RelationshipInput input, CancellationToken cancellationToken = default)
        => ValidateRelationshipAsync(actorId, personId, input, null, cancellationToken);

    /// <summary>Checks a relationship; when correcting one (<paramref name="correctingId"/>), that row is not a duplicate of itself.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValidateRelationshipAsync(Guid actorId, Guid personId, RelationshipInput input, Guid? correctingId,
        CancellationToken cancellationToken = default)
    {
        var checks = new FactChecks(Today);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == personId, cancellationToken);
        if (input.RelatedPersonId is null)
        {
            checks.Add("RelatedPersonId", "Enter the Haven record number of the related person");
        }
        else if (input.RelatedPersonId == personId)
        {
            checks.Add("RelatedPersonId", "A person cannot be related to themselves. Enter the other person's Haven record number");
        }
        else
        {
            var related = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == input.RelatedPersonId && p.OrganisationId == person.OrganisationId, cancellationToken);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == actorId, cancellationToken);
            if (related is null)
            {
                checks.Add("RelatedPersonId", "No record with this Haven record number was found in this organisation");
            }
            else if (!(await access.DecideAsync(user, related, cancellationToken)).Allowed)
            {
                checks.Add("RelatedPersonId", "You can only link records you can open. Ask someone who works with this person to record the relationship");
            }
        }

        var type = checks.Code("RelationshipType", ReferenceData.FamilyRelationships, input.RelationshipType, "Relationship");
        if (input.ParentalResponsibility is null)
        {
            checks.Add("ParentalResponsibility", "Select whether this person has parental responsibility");
        }

        checks.Period("StartedOn", input.StartedOn, "EndedOn", input.EndedOn, startRequired: false);
        checks.Source(input.Source);

        if (type is not null && input.RelatedPersonId is { } relatedId && relatedId != personId && input.EndedOn is null
            && await db.Set<Relationship>().AnyAsync(r => r.PersonId == personId && r.RelatedPersonId == relatedId && r.RelationshipType == type && r.EndedOn == null
                && r.Id != correctingId, cancellationToken))
        {
            checks.Add("RelationshipType", "This relationship is already recorded");
        }

        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));

        return checks.Errors;
    }

    public async Task<FactResult> AddRelationshipAsync(Guid actorId, Guid personId, RelationshipInput input, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateRelationshipAsync(actorId, personId, input, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        var row = new Relationship
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            PersonId = personId,
            RelatedPersonId = input.RelatedPersonId!.Value,
            RelationshipType = input.RelationshipType!,
            ParentalResponsibility = input.ParentalResponsibility!.Value,
            StartedOn = input.StartedOn,
            EndedOn = input.EndedOn,
            Source = input.Source!,
            CreatedByUserId = actorId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<Relationship>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.RelationshipRecorded, [personId, row.RelatedPersonId], "case work",
            $"{row.RelationshipType}; parental responsibility {(row.ParentalResponsibility ? "yes" : "no")}; source {row.Source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, row.Id);
    }

    /// <summary>
    /// Corrects a relationship recorded on this person's record, checked like a new one. Saves only onto the version the
    /// user started from: if someone else saved in between, nothing is stored and the current relationship comes back.
    /// The audit names the fields that changed (not their values) and both people, before and after.
    /// </summary>
    public async Task<CorrectionResult<RelationshipItem>> UpdateRelationshipAsync(Guid actorId, Guid personId, Guid relationshipId, RelationshipInput input, uint startedFromVersion,
        CancellationToken cancellationToken = default)
    {
        var row = await db.Set<Relationship>().SingleOrDefaultAsync(r => r.Id == relationshipId && r.PersonId == personId, cancellationToken);
        if (row is null)
        {
            return CorrectionResult.Missing<RelationshipItem>();
        }

        var errors = await ValidateRelationshipAsync(actorId, personId, input, relationshipId, cancellationToken);
        if (errors.Count > 0)
        {
            return CorrectionResult.Invalid<RelationshipItem>(errors);
        }

        if (row.Version != startedFromVersion)
        {
            return CorrectionResult.Conflicted((await GetRelationshipAsync(actorId, personId, relationshipId, cancellationToken))!);
        }

        var changed = new ChangedFields();
        changed.Compare("RelatedPersonId", row.RelatedPersonId, input.RelatedPersonId!.Value);
        changed.Compare("RelationshipType", row.RelationshipType, input.RelationshipType!);
        changed.Compare("ParentalResponsibility", row.ParentalResponsibility, input.ParentalResponsibility!.Value);
        changed.Compare("StartedOn", row.StartedOn, input.StartedOn);
        changed.Compare("EndedOn", row.EndedOn, input.EndedOn);
        changed.Compare("Source", row.Source, input.Source!);
        if (changed.Count > 0)
        {
            var formerRelatedId = row.RelatedPersonId;
            db.Entry(row).Property(r => r.Version).OriginalValue = startedFromVersion;
            row.RelatedPersonId = input.RelatedPersonId.Value;
            row.RelationshipType = input.RelationshipType!;
            row.ParentalResponsibility = input.ParentalResponsibility.Value;
            row.StartedOn = input.StartedOn;
            row.EndedOn = input.EndedOn;
            row.Source = input.Source!;
            var saved = await Corrections.SaveAsync(db, async () =>
            {
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.RelationshipCorrected, [personId, formerRelatedId, row.RelatedPersonId], "case work",
                    $"relationship {row.Id}; {changed.Describe()}"), cancellationToken);
            }, cancellationToken);
            if (!saved)
            {
                return CorrectionResult.Conflicted((await GetRelationshipAsync(actorId, personId, relationshipId, cancellationToken))!);
            }
        }

        return CorrectionResult.Done((await GetRelationshipAsync(actorId, personId, relationshipId, cancellationToken))!, changed.Fields);
    }

    /// <summary>Households this person, or anyone recorded as related to them, has lived in: the choices on the household form.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Label)>> HouseholdChoicesAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var related = await db.Set<Relationship>().Where(r => r.PersonId == personId || r.RelatedPersonId == personId)
            .Select(r => r.PersonId == personId ? r.RelatedPersonId : r.PersonId).ToListAsync(cancellationToken);
        related.Add(personId);
        var rows = await (from m in db.Set<HouseholdMember>()
                          join h in db.Set<Household>() on m.HouseholdId equals h.Id
                          where related.Contains(m.PersonId)
                          select new { h.Id, h.Label }).Distinct().ToListAsync(cancellationToken);
        return rows.OrderBy(h => h.Label, StringComparer.Ordinal).Select(h => (h.Id, h.Label)).ToList();
    }

    public Task<IReadOnlyDictionary<string, string>> ValidateMembershipAsync(Guid personId, HouseholdMembershipInput input, CancellationToken cancellationToken = default)
        => ValidateMembershipAsync(personId, input, null, cancellationToken);

    /// <summary>Checks a household membership; when correcting one (<paramref name="correctingId"/>), its own dates do not overlap it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValidateMembershipAsync(Guid personId, HouseholdMembershipInput input, Guid? correctingId,
        CancellationToken cancellationToken = default)
    {
        var (errors, _) = await CheckMembershipAsync(personId, input, correctingId, cancellationToken);
        return errors;
    }

    /// <summary>
    /// Checks every field. A new membership that starts after an open one ends that one (a move); a correction never
    /// changes another membership, so any overlap with another one is an error.
    /// </summary>
    private async Task<(Dictionary<string, string> Errors, HouseholdMember? ToEnd)> CheckMembershipAsync(Guid personId, HouseholdMembershipInput input, Guid? correctingId,
        CancellationToken cancellationToken)
    {
        var checks = new FactChecks(Today);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == personId, cancellationToken);
        var label = checks.Text("NewHouseholdLabel", input.NewHouseholdLabel, "New household", 200);
        if (input.HouseholdId is null && label is null && !checks.Errors.ContainsKey("NewHouseholdLabel"))
        {
            checks.Add("HouseholdId", "Select a household, or enter the address of a new household");
        }
        else if (input.HouseholdId is not null && label is not null)
        {
            checks.Add("NewHouseholdLabel", "Either select a household or enter a new one, not both");
        }
        else if (input.HouseholdId is { } householdId
            && !await db.Set<Household>().AnyAsync(h => h.Id == householdId && h.OrganisationId == person.OrganisationId, cancellationToken))
        {
            checks.Add("HouseholdId", "Select a household from the list");
        }

        if (person.PersonType == "unborn")
        {
            checks.Add("HouseholdId", "An unborn child is not a household member. Record the household from the date of birth");
        }

        checks.Period("LivedFrom", input.LivedFrom, "LivedTo", input.LivedTo, startRequired: true, startLabel: "Date moved in", endLabel: "Date moved out");
        checks.Source(input.Source);

        HouseholdMember? toEnd = null;
        if (checks.Errors.Count == 0)
        {
            var from = input.LivedFrom!.Value;
            var to = input.LivedTo ?? DateOnly.MaxValue;
            var existing = await db.Set<HouseholdMember>().Where(m => m.PersonId == personId && m.Id != correctingId).ToListAsync(cancellationToken);
            foreach (var m in existing.Where(m => m.LivedFrom <= to && (m.LivedTo ?? DateOnly.MaxValue) >= from))
            {
                // Moving house: the household they lived in until now ends the day before the move.
                if (correctingId is null && m.LivedTo is null && m.LivedFrom < from && input.LivedTo is null && m.HouseholdId != input.HouseholdId && toEnd is null)
                {
                    toEnd = m;
                    continue;
                }

                checks.Add("LivedFrom", m.HouseholdId == input.HouseholdId
                    ? $"This person is already recorded as living in this household from {m.LivedFrom:d MMMM yyyy}"
                    : $"This person is already recorded as living in another household from {m.LivedFrom:d MMMM yyyy}{(m.LivedTo is { } t ? $" to {t:d MMMM yyyy}" : string.Empty)}. The dates must not overlap");
            }
        }

        checks.AddAll(await guard.CheckForPersonAsync(personId, input, cancellationToken));
        return (checks.Errors, checks.Errors.Count == 0 ? toEnd : null);
    }

    public async Task<FactResult> AddMembershipAsync(Guid actorId, Guid personId, HouseholdMembershipInput input, CancellationToken cancellationToken = default)
    {
        var (errors, toEnd) = await CheckMembershipAsync(personId, input, null, cancellationToken);
        if (errors.Count > 0)
        {
            return FactResult.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var householdId = input.HouseholdId;
        if (householdId is null)
        {
            var household = new Household
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisationId,
                Label = Validation.TextInput.Clean(input.NewHouseholdLabel!),
                CreatedByUserId = actorId,
                CreatedAt = now,
            };
            db.Set<Household>().Add(household);
            householdId = household.Id;
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdCreated, [personId], "case work", $"household {household.Id}"), cancellationToken);
        }

        if (toEnd is not null)
        {
            toEnd.LivedTo = input.LivedFrom!.Value.AddDays(-1);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdMemberEnded, [personId], "case work",
                $"household {toEnd.HouseholdId}; moved out {toEnd.LivedTo:yyyy-MM-dd}"), cancellationToken);
        }

        var member = new HouseholdMember
        {
            Id = Guid.NewGuid(),
            HouseholdId = householdId.Value,
            PersonId = personId,
            LivedFrom = input.LivedFrom!.Value,
            LivedTo = input.LivedTo,
            Source = input.Source!,
            CreatedByUserId = actorId,
            CreatedAt = now,
        };
        db.Set<HouseholdMember>().Add(member);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdMemberAdded, [personId], "case work",
            $"household {householdId}; from {member.LivedFrom:yyyy-MM-dd}; to {member.LivedTo?.ToString("yyyy-MM-dd") ?? "current"}; source {member.Source}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactResult(errors, member.Id);
    }

    /// <summary>
    /// Corrects one of this person's household memberships: another household (or a new one), other dates, another
    /// source. Unlike a new membership it never ends another one, so the dates must not overlap any other. Saves only
    /// onto the version the user started from; the audit names the fields that changed, not their values.
    /// </summary>
    public async Task<CorrectionResult<MembershipItem>> UpdateMembershipAsync(Guid actorId, Guid personId, Guid membershipId, HouseholdMembershipInput input, uint startedFromVersion,
        CancellationToken cancellationToken = default)
    {
        var row = await db.Set<HouseholdMember>().SingleOrDefaultAsync(m => m.Id == membershipId && m.PersonId == personId, cancellationToken);
        if (row is null)
        {
            return CorrectionResult.Missing<MembershipItem>();
        }

        var (errors, _) = await CheckMembershipAsync(personId, input, membershipId, cancellationToken);
        if (errors.Count > 0)
        {
            return CorrectionResult.Invalid<MembershipItem>(errors);
        }

        if (row.Version != startedFromVersion)
        {
            return CorrectionResult.Conflicted((await GetMembershipAsync(personId, membershipId, cancellationToken))!);
        }

        var changed = new ChangedFields();
        changed.Compare("HouseholdId", row.HouseholdId, input.HouseholdId ?? Guid.Empty);

        changed.Compare("LivedFrom", row.LivedFrom, input.LivedFrom!.Value);
        changed.Compare("LivedTo", row.LivedTo, input.LivedTo);
        changed.Compare("Source", row.Source, input.Source!);
        if (changed.Count > 0)
        {
            db.Entry(row).Property(m => m.Version).OriginalValue = startedFromVersion;
            var saved = await Corrections.SaveAsync(db, async () =>
            {
                if (input.HouseholdId is { } householdId)
                {
                    row.HouseholdId = householdId;
                }
                else
                {
                    var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(cancellationToken);
                    var household = new Household
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        Label = Validation.TextInput.Clean(input.NewHouseholdLabel!),
                        CreatedByUserId = actorId,
                        CreatedAt = clock.GetUtcNow(),
                    };
                    db.Set<Household>().Add(household);
                    row.HouseholdId = household.Id;
                    await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdCreated, [personId], "case work", $"household {household.Id}"), cancellationToken);
                }

                row.LivedFrom = input.LivedFrom.Value;
                row.LivedTo = input.LivedTo;
                row.Source = input.Source!;
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdMemberCorrected, [personId], "case work",
                    $"membership {row.Id}; {changed.Describe()}"), cancellationToken);
            }, cancellationToken);
            if (!saved)
            {
                return CorrectionResult.Conflicted((await GetMembershipAsync(personId, membershipId, cancellationToken))!);
            }
        }

        return CorrectionResult.Done((await GetMembershipAsync(personId, membershipId, cancellationToken))!, changed.Fields);
    }

    /// <summary>
    /// Who lived in the household (or households) this person lived in on a date. The caller has opened this person's
    /// record; the other members seen are recorded in the audit chain too.
    /// </summary>
    public async Task<IReadOnlyList<HouseholdOnDate>> HouseholdOnAsync(Guid viewerId, Guid personId, DateOnly date, CancellationToken cancellationToken = default)
    {
        var result = await HouseholdsOnAsync(viewerId, personId, date, cancellationToken);
        var seen = result.SelectMany(h => h.Members.Select(m => m.PersonId)).Append(personId).ToList();
        await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.HouseholdViewed, seen, "household on a date", $"date {date:yyyy-MM-dd}"), cancellationToken);
        return result;
    }

    private async Task<List<HouseholdOnDate>> HouseholdsOnAsync(Guid viewerId, Guid personId, DateOnly date, CancellationToken cancellationToken)
    {
        var canSeeRestricted = await CanSeeRestrictedAsync(viewerId, cancellationToken);
        var households = await (from m in db.Set<HouseholdMember>()
                                join h in db.Set<Household>() on m.HouseholdId equals h.Id
                                where m.PersonId == personId && m.LivedFrom <= date && (m.LivedTo == null || m.LivedTo >= date)
                                select h).AsNoTracking().ToListAsync(cancellationToken);
        var result = new List<HouseholdOnDate>();
        foreach (var household in households)
        {
            var members = await (from m in db.Set<HouseholdMember>()
                                 join p in db.People on m.PersonId equals p.Id
                                 where m.HouseholdId == household.Id && m.LivedFrom <= date && (m.LivedTo == null || m.LivedTo >= date)
                                 orderby p.DateOfBirth
                                 select new { m, p.GivenName, p.FamilyName, p.DateOfBirth, p.Restricted }).ToListAsync(cancellationToken);
            result.Add(new HouseholdOnDate(household.Id, household.Label, date, members.Select(x =>
            {
                var hidden = x.Restricted && !canSeeRestricted;
                return new HouseholdMemberItem(x.m.Id, x.m.PersonId, hidden ? RestrictedName : $"{x.GivenName} {x.FamilyName}", hidden ? null : x.DateOfBirth,
                    x.m.LivedFrom, x.m.LivedTo, x.m.Source);
            }).ToList()));
        }

        return result;
    }

    /// <summary>Relationships in both directions, today's household and the person's household history, for the record page and API.</summary>
    public async Task<FamilyView> FamilyAsync(Guid viewerId, Guid personId, CancellationToken cancellationToken = default)
    {
        var relationships = await RelationshipItemsAsync(viewerId, db.Set<Relationship>().Where(r => r.PersonId == personId || r.RelatedPersonId == personId), cancellationToken);
        var household = await HouseholdsOnAsync(viewerId, personId, Today, cancellationToken);
        var memberships = await (from m in db.Set<HouseholdMember>()
                                 join h in db.Set<Household>() on m.HouseholdId equals h.Id
                                 where m.PersonId == personId
                                 orderby m.LivedFrom descending
                                 select new MembershipItem(m.Id, h.Id, h.Label, m.LivedFrom, m.LivedTo, m.Source, m.Version)).ToListAsync(cancellationToken);
        var others = relationships.SelectMany(r => new[] { r.PersonId, r.RelatedPersonId })
            .Concat(household.SelectMany(h => h.Members.Select(m => m.PersonId))).Where(id => id != personId).Distinct().ToList();
        if (others.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.FamilyViewed, [personId, .. others], "family composition"), cancellationToken);
        }

        return new FamilyView(relationships, household, memberships);
    }

    /// <summary>
    /// One relationship recorded on this person's record (not one recorded on the related person's), or null. The
    /// caller has opened the record; the related person, named here, is recorded in the audit chain too.
    /// </summary>
    public async Task<RelationshipItem?> GetRelationshipAsync(Guid viewerId, Guid personId, Guid relationshipId, CancellationToken cancellationToken = default)
    {
        var item = (await RelationshipItemsAsync(viewerId, db.Set<Relationship>().Where(r => r.Id == relationshipId && r.PersonId == personId), cancellationToken)).SingleOrDefault();
        if (item is not null)
        {
            await audit.RecordAsync(new AuditEntry(CaseRecordAuditActions.FamilyViewed, [personId, item.RelatedPersonId], "family composition", $"relationship {item.Id}"), cancellationToken);
        }

        return item;
    }

    /// <summary>One of this person's household memberships, or null.</summary>
    public Task<MembershipItem?> GetMembershipAsync(Guid personId, Guid membershipId, CancellationToken cancellationToken = default) =>
        (from m in db.Set<HouseholdMember>()
         join h in db.Set<Household>() on m.HouseholdId equals h.Id
         where m.Id == membershipId && m.PersonId == personId
         select new MembershipItem(m.Id, h.Id, h.Label, m.LivedFrom, m.LivedTo, m.Source, m.Version)).AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    private async Task<List<RelationshipItem>> RelationshipItemsAsync(Guid viewerId, IQueryable<Relationship> relationships, CancellationToken cancellationToken)
    {
        var canSeeRestricted = await CanSeeRestrictedAsync(viewerId, cancellationToken);
        var rows = await (from r in relationships
                          join p in db.People on r.PersonId equals p.Id
                          join q in db.People on r.RelatedPersonId equals q.Id
                          orderby r.EndedOn != null, r.StartedOn
                          select new { r, PersonName = p.GivenName + " " + p.FamilyName, PersonRestricted = p.Restricted, RelatedName = q.GivenName + " " + q.FamilyName, RelatedRestricted = q.Restricted })
            .AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(x => new RelationshipItem(x.r.Id, x.r.PersonId, x.PersonRestricted && !canSeeRestricted ? RestrictedName : x.PersonName,
            x.r.RelatedPersonId, x.RelatedRestricted && !canSeeRestricted ? RestrictedName : x.RelatedName, x.r.RelationshipType, x.r.ParentalResponsibility,
            x.r.StartedOn, x.r.EndedOn, x.r.Source, x.r.Version)).ToList();
    }

    private async Task<bool> CanSeeRestrictedAsync(Guid viewerId, CancellationToken cancellationToken)
    {
        var roles = await db.Users.Where(u => u.Id == viewerId).Select(u => u.Roles).SingleAsync(cancellationToken);
        return Permissions.Grants(roles, Permissions.ViewRestrictedRecords);
    }
}
