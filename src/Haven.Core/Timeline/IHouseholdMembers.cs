namespace Haven.Core.Timeline;

/// <summary>Who lived in the same household as a person on a date (supplied by the family module).</summary>
public interface IHouseholdMembers
{
    Task<IReadOnlyList<Guid>> MembersAsync(Guid personId, DateOnly onDate, CancellationToken cancellationToken);
}
