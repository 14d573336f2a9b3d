namespace Haven.Core.Rights;

/// <summary>A period during which Haven waited for something from the requester.</summary>
public sealed record ClockPause(string Reason, DateOnly PausedOn, DateOnly? ResumedOn);

/// <summary>Where a request stands against its deadline on a given day.</summary>
public sealed record ClockState(DateOnly ReceivedOn, DateOnly DueOn, DateOnly FirstMonthEndsOn, bool Stopped, int DaysLeft, bool Overdue, int PausedDays)
{
    public bool CanExtend(DateOnly today) => today <= FirstMonthEndsOn;
}

/// <summary>
/// The statutory clock for rights requests (UK GDPR Art. 12(3) and Art. 12A, added by the Data (Use and Access) Act
/// 2025):
/// <list type="bullet">
/// <item>a request is due one calendar month from the day it is received: the same date in the next month, or that
/// month's last day where there is no such date;</item>
/// <item>while Haven waits for proof of identity, proof of authority or clarification the clock does not run; it
/// resumes when the answer arrives, and the days waited are added to the deadline;</item>
/// <item>an extension adds one or two further months; it must be made, and the requester told, within the first
/// month.</item>
/// </list>
/// </summary>
public static class StatutoryClock
{
    public static DateOnly AddMonths(DateOnly date, int months) => date.AddMonths(months); // .NET clamps to the month's last day

    public static ClockState Evaluate(DateOnly receivedOn, IReadOnlyCollection<ClockPause> pauses, int extensionMonths, DateOnly today)
    {
        if (extensionMonths is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(extensionMonths), "A request can be extended by one or two months only.");
        }

        var pausedDays = 0;
        var stopped = false;
        foreach (var pause in pauses)
        {
            var end = pause.ResumedOn ?? (today > pause.PausedOn ? today : pause.PausedOn);
            stopped |= pause.ResumedOn is null;
            pausedDays += Math.Max(0, end.DayNumber - pause.PausedOn.DayNumber);
        }

        var firstMonth = AddMonths(receivedOn, 1).AddDays(pausedDays);
        var due = AddMonths(receivedOn, 1 + extensionMonths).AddDays(pausedDays);
        var daysLeft = due.DayNumber - today.DayNumber;
        return new ClockState(receivedOn, due, firstMonth, stopped, daysLeft, daysLeft < 0 && !stopped, pausedDays);
    }
}
