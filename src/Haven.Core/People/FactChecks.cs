using Haven.Core.Validation;

namespace Haven.Core.People;

/// <summary>
/// Collects field-keyed, GOV.UK-style errors for a recorded fact (a relationship, an involvement, a school…) and
/// returns the cleaned values, so a service checks every field and reports every problem at once.
/// </summary>
public sealed class FactChecks(DateOnly today)
{
    public Dictionary<string, string> Errors { get; } = [];

    public DateOnly Today => today;

    public void Add(string field, string? message)
    {
        if (message is not null)
        {
            Errors.TryAdd(field, message);
        }
    }

    /// <summary>Adds errors found elsewhere (such as the privacy register's collection check), keeping any already on a field.</summary>
    public void AddAll(IReadOnlyDictionary<string, string> errors)
    {
        foreach (var (field, message) in errors)
        {
            Add(field, message);
        }
    }

    public string? Text(string field, string? value, string label, int max, bool required = false, bool multiline = false)
    {
        Add(field, TextInput.Check(value, label, max, required, multiline));
        return string.IsNullOrWhiteSpace(value) ? null : TextInput.Clean(value);
    }

    public string? Code(string field, CodeList list, string? value, string label, bool required = true)
    {
        Add(field, list.Check(string.IsNullOrWhiteSpace(value) ? null : value, label, required));
        return list.IsValid(value) ? value : null;
    }

    /// <summary>Every fact records where it came from.</summary>
    public string? Source(string? value)
    {
        if (!ReferenceData.InformationSources.IsValid(value))
        {
            Add("Source", "Select where this information came from");
            return null;
        }

        return value;
    }

    public void Required(string field, DateOnly? date, string label)
    {
        if (date is null)
        {
            Add(field, $"Enter {label.ToLowerInvariant()}");
        }
    }

    /// <summary>For things that have already happened: a start, an end, an order made.</summary>
    public void NotFuture(string field, DateOnly? date, string label)
    {
        if (date is { } d && d > today)
        {
            Add(field, $"{label} must be today or in the past");
        }
    }

    public void NotTooOld(string field, DateOnly? date, string label)
    {
        if (date is { } d && d < today.AddYears(-130))
        {
            Add(field, $"{label} must be within the last 130 years");
        }
    }

    public void EndNotBeforeStart(string endField, DateOnly? start, DateOnly? end, string message = "End date must be the same as or after the start date")
    {
        if (start is { } s && end is { } e && e < s)
        {
            Add(endField, message);
        }
    }

    /// <summary>The usual pair: a start that has happened, and an end, if any, that has happened and is not before the start.</summary>
    public void Period(string startField, DateOnly? start, string endField, DateOnly? end, bool startRequired = true,
        string startLabel = "Start date", string endLabel = "End date")
    {
        if (startRequired)
        {
            Required(startField, start, startLabel);
        }

        NotFuture(startField, start, startLabel);
        NotTooOld(startField, start, startLabel);
        NotFuture(endField, end, endLabel);
        EndNotBeforeStart(endField, start, end, $"{endLabel} must be the same as or after the {startLabel.ToLowerInvariant()}");
    }
}
