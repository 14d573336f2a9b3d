using Haven.Core.Rights;

namespace Haven.Tests.Unit;

/// <summary>The statutory clock of rights requests: one calendar month, pauses, extensions.</summary>
public sealed class StatutoryClockTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-01-15", "2026-02-15")] // the same date next month
    [InlineData("2026-01-31", "2026-02-28")] // no 31 February: that month's last day
    [InlineData("2028-01-31", "2028-02-29")] // leap year
    [InlineData("2026-03-31", "2026-04-30")]
    [InlineData("2026-12-31", "2027-01-31")] // over the year end
    [InlineData("2026-02-28", "2026-03-28")]
    public void A_request_is_due_one_calendar_month_after_receipt(string received, string due)
    {
        var state = StatutoryClock.Evaluate(D(received), [], 0, D(received));
        Assert.Equal(D(due), state.DueOn);
        Assert.Equal(D(due), state.FirstMonthEndsOn);
        Assert.False(state.Stopped);
        Assert.False(state.Overdue);
    }

    [Fact]
    public void Days_left_count_down_and_a_request_past_its_date_is_overdue()
    {
        var received = D("2026-03-10");
        Assert.Equal(31, StatutoryClock.Evaluate(received, [], 0, received).DaysLeft);
        Assert.Equal(0, StatutoryClock.Evaluate(received, [], 0, D("2026-04-10")).DaysLeft);
        var late = StatutoryClock.Evaluate(received, [], 0, D("2026-04-13"));
        Assert.Equal(-3, late.DaysLeft);
        Assert.True(late.Overdue);
    }

    [Fact]
    public void Waiting_for_identity_stops_the_clock_and_the_days_waited_are_added()
    {
        var received = D("2026-03-10");
        var waiting = new ClockPause("identity", D("2026-03-12"), null);
        var stopped = StatutoryClock.Evaluate(received, [waiting], 0, D("2026-05-01"));
        Assert.True(stopped.Stopped);
        Assert.False(stopped.Overdue); // a stopped clock is never overdue
        // While stopped, the deadline moves a day for each day waited, so the days left stay where they were.
        Assert.Equal(StatutoryClock.Evaluate(received, [waiting], 0, D("2026-03-20")).DaysLeft, stopped.DaysLeft);

        var resumed = StatutoryClock.Evaluate(received, [waiting with { ResumedOn = D("2026-03-22") }], 0, D("2026-03-22"));
        Assert.False(resumed.Stopped);
        Assert.Equal(10, resumed.PausedDays);
        Assert.Equal(D("2026-04-20"), resumed.DueOn);
    }

    [Fact]
    public void Several_pauses_for_identity_authority_and_clarification_all_count()
    {
        var pauses = new[]
        {
            new ClockPause("identity", D("2026-01-05"), D("2026-01-08")),
            new ClockPause("authority", D("2026-01-10"), D("2026-01-12")),
            new ClockPause("clarification", D("2026-01-20"), D("2026-01-25")),
        };
        var state = StatutoryClock.Evaluate(D("2026-01-05"), pauses, 0, D("2026-01-26"));
        Assert.Equal(10, state.PausedDays);
        Assert.Equal(D("2026-02-15"), state.DueOn);
    }

    [Fact]
    public void An_extension_adds_one_or_two_months_and_only_within_the_first_month()
    {
        var received = D("2026-01-31");
        Assert.Equal(D("2026-03-31"), StatutoryClock.Evaluate(received, [], 1, received).DueOn);
        Assert.Equal(D("2026-04-30"), StatutoryClock.Evaluate(received, [], 2, received).DueOn);
        var state = StatutoryClock.Evaluate(received, [], 0, received);
        Assert.True(state.CanExtend(D("2026-02-28")));
        Assert.False(state.CanExtend(D("2026-03-01")));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatutoryClock.Evaluate(received, [], 3, received));
    }
}
