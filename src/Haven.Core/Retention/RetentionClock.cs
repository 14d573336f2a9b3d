using Haven.Core.Privacy;

namespace Haven.Core.Retention;

/// <summary>
/// When a retention rule makes a record due. Pure: the dates of the anchor events go in, the due date comes out.
/// A clock whose anchor event has not happened (or is unknown) has not started, so the rule never makes a record
/// due early: "whichever is longer" and "all of" wait for every clock; "whichever is shorter" needs one.
/// </summary>
public static class RetentionClock
{
    public static DateOnly? DueDate(RetentionRule rule, Func<string, DateOnly?> anchorDate)
    {
        var ends = rule.Terms.Select(t => anchorDate(t.Anchor) is { } start ? t.Period.AddTo(start) : (DateOnly?)null).ToList();
        return rule.Combine switch
        {
            "shorter" => ends.Where(e => e is not null).Select(e => e!.Value).DefaultIfEmpty().Min() is var min && ends.Any(e => e is not null) ? min : null,
            _ when ends.Any(e => e is null) => null,
            _ => ends.Max(),
        };
    }
}
