using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.People;

public enum CorrectionOutcome
{
    /// <summary>The correction was stored and audited (or nothing had changed, and nothing was written).</summary>
    Saved,

    /// <summary>Something entered is wrong: Errors says what, per field, and nothing was stored.</summary>
    Invalid,

    /// <summary>There is no such fact on this person's record.</summary>
    NotFound,

    /// <summary>Someone else changed the fact after the user started: Current holds what is stored now, and nothing was stored.</summary>
    Conflict,
}

/// <summary>
/// The outcome of correcting one recorded fact (a relationship, a household membership, an involvement, a court
/// order, a professional). Current is the fact as stored after the correction, or as someone else left it on a conflict.
/// </summary>
public sealed record CorrectionResult<T>(CorrectionOutcome Outcome, IReadOnlyDictionary<string, string> Errors, T? Current, IReadOnlyList<string> ChangedFields)
    where T : class
{
    public bool Saved => Outcome == CorrectionOutcome.Saved;
}

/// <summary>Makes <see cref="CorrectionResult{T}"/> values.</summary>
public static class CorrectionResult
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    public static CorrectionResult<T> Invalid<T>(IReadOnlyDictionary<string, string> errors)
        where T : class => new(CorrectionOutcome.Invalid, errors, null, []);

    public static CorrectionResult<T> Missing<T>()
        where T : class => new(CorrectionOutcome.NotFound, NoErrors, null, []);

    public static CorrectionResult<T> Conflicted<T>(T current)
        where T : class => new(CorrectionOutcome.Conflict, NoErrors, current, []);

    public static CorrectionResult<T> Done<T>(T current, IReadOnlyList<string> changed)
        where T : class => new(CorrectionOutcome.Saved, NoErrors, current, changed);
}

/// <summary>Collects the names (never the values) of the fields a correction changes, for the audit chain.</summary>
internal sealed class ChangedFields
{
    private readonly List<string> _fields = [];

    public IReadOnlyList<string> Fields => _fields;

    public int Count => _fields.Count;

    public void Compare<TValue>(string field, TValue before, TValue after)
    {
        if (!EqualityComparer<TValue>.Default.Equals(before, after))
        {
            _fields.Add(field);
        }
    }

    /// <summary>The audit detail: "changed StartedOn, Source".</summary>
    public string Describe() => "changed " + string.Join(", ", _fields);
}

internal static class Corrections
{
    /// <summary>
    /// Runs <paramref name="writeAsync"/> (which saves the tracked correction and audits it) in one transaction. Returns
    /// false, with nothing stored, when the row's version no longer matches the one the user started from.
    /// </summary>
    public static async Task<bool> SaveAsync(HavenDbContext db, Func<Task> writeAsync, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await writeAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>A recorded fact that can be corrected: it gives back the input that would record it again, and its row version.</summary>
public interface ICorrectableFact<out TInput>
{
    uint Version { get; }

    TInput ToInput();
}

