using Haven.Core.Privacy;
using Haven.Core.Retention;

namespace Haven.Tests.Unit;

/// <summary>The seed organisations' registers (config/register), parsed as Haven parses them, and their retention rules.</summary>
internal static class SeedRegisters
{
    private static readonly Lazy<IReadOnlyDictionary<string, RegisterDocument>> Documents = new(() =>
        RegisterParserTests.SeedFiles().Select(file =>
        {
            var (document, errors) = RegisterParser.Parse(Path.GetFileName(file), File.ReadAllText(file), Taxonomy.BuiltIn);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            return document!;
        }).ToDictionary(d => d.Organisation.Code, StringComparer.Ordinal));

    /// <summary>Organisation codes: escb, sscp, sees, ecc-fgc, afc.</summary>
    public static IReadOnlyDictionary<string, RegisterDocument> All => Documents.Value;

    public static RegisterDocument Document(string organisation) => All[organisation];

    /// <summary>The rule with this code in the organisation's register, exactly as configured.</summary>
    public static RetentionRule Rule(string organisation, string code) =>
        Document(organisation).Activities().SelectMany(a => a.Activity.Retention).Single(r => r.Code == code);

    public static OrganisationRules Rules(string organisation) => OrganisationRules.From(Document(organisation));
}

/// <summary>
/// When each configured retention rule makes a record due. The rules are read from the seed register files, so each
/// test proves the rule as the organisation configured it, not a copy of it. Periods never end early: a period that
/// lands on a day the month does not have (29 February in a common year, the 31st of a short month) ends on the
/// first day of the next month.
/// </summary>
public sealed class RetentionClockTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static DateOnly? Due(RetentionRule rule, params (string Anchor, DateOnly Date)[] events) =>
        RetentionClock.DueDate(rule, anchor => events.Where(e => e.Anchor == anchor).Select(e => (DateOnly?)e.Date).FirstOrDefault());

    // ---- Achieving for Children: social care records ----

    [Theory]
    [InlineData("2010-03-15", "2110-03-15")]
    [InlineData("2016-02-29", "2116-02-29")] // 2116 is a leap year: the day exists
    [InlineData("2000-02-29", "2100-03-01")] // 2100 is not a leap year (century): 1 March, never 28 February
    [InlineData("2023-12-31", "2123-12-31")]
    public void Adoption_records_are_kept_100_years_from_the_adoption_order(string order, string expected)
    {
        var rule = SeedRegisters.Rule("afc", "adoption");
        Assert.Equal("review", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("adoption-order", Parse(order))));
        // The date of birth is not the anchor: without an adoption order the clock has not started.
        Assert.Null(Due(rule, ("date-of-birth", D(1990, 1, 1))));
    }

    [Theory]
    [InlineData("2008-02-29", "2083-03-01")] // leap-day birth, common target year
    [InlineData("2009-02-28", "2084-02-28")]
    [InlineData("2012-02-29", "2087-03-01")]
    [InlineData("2010-06-30", "2085-06-30")]
    [InlineData("2010-12-31", "2085-12-31")]
    public void Looked_after_records_are_kept_75_years_from_birth(string dob, string expected)
    {
        var rule = SeedRegisters.Rule("afc", "looked-after");
        Assert.Equal("review", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("date-of-birth", Parse(dob))));
    }

    [Fact]
    public void Disability_records_are_kept_until_25_or_2_years_after_last_contact_whichever_is_longer()
    {
        var rule = SeedRegisters.Rule("afc", "disability");
        Assert.Equal("longer", rule.Combine);
        Assert.Equal("review", rule.Action);
        var dob = D(2005, 1, 10); // 25th birthday 2030-01-10

        // Last contact late in life: the 2 years after it end last.
        Assert.Equal(D(2031, 6, 1), Due(rule, ("date-of-birth", dob), ("last-contact", D(2029, 6, 1))));
        // Last contact in childhood: the 25th birthday ends last.
        Assert.Equal(D(2030, 1, 10), Due(rule, ("date-of-birth", dob), ("last-contact", D(2020, 3, 1))));
        // The same answers whichever order the terms are written in.
        var reversed = rule with { Terms = rule.Terms.Reverse().ToList() };
        Assert.Equal(D(2031, 6, 1), Due(reversed, ("date-of-birth", dob), ("last-contact", D(2029, 6, 1))));
        Assert.Equal(D(2030, 1, 10), Due(reversed, ("date-of-birth", dob), ("last-contact", D(2020, 3, 1))));
        // Both clocks ending the same day.
        Assert.Equal(D(2030, 1, 10), Due(rule, ("date-of-birth", dob), ("last-contact", D(2028, 1, 10))));
        // Leap days on either clock.
        Assert.Equal(D(2029, 3, 1), Due(rule, ("date-of-birth", D(2004, 2, 29)), ("last-contact", D(2020, 1, 1))));
        Assert.Equal(D(2026, 3, 1), Due(rule, ("date-of-birth", D(2000, 6, 1)), ("last-contact", D(2024, 2, 29))));
        // "Whichever is longer" cannot be decided while either clock has not started.
        Assert.Null(Due(rule, ("date-of-birth", dob)));
        Assert.Null(Due(rule, ("last-contact", D(2029, 6, 1))));
    }

    [Theory]
    [InlineData("2012-02-29", "2052-02-29")] // 2052 is a leap year
    [InlineData("2011-02-28", "2051-02-28")]
    [InlineData("2003-02-28", "2043-02-28")]
    [InlineData("2015-01-31", "2055-01-31")]
    public void Child_protection_records_are_kept_40_years_from_birth(string dob, string expected)
    {
        var rule = SeedRegisters.Rule("afc", "child-protection");
        Assert.Equal("review", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("date-of-birth", Parse(dob))));
    }

    [Theory]
    [InlineData("2004-02-29", "2029-03-01")]
    [InlineData("2008-02-29", "2033-03-01")]
    [InlineData("2010-09-30", "2035-09-30")]
    public void Child_in_need_records_are_kept_25_years_from_birth(string dob, string expected)
    {
        var rule = SeedRegisters.Rule("afc", "child-in-need");
        Assert.Equal("review", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("date-of-birth", Parse(dob))));
    }

    // ---- South Essex Extended Services, Essex County Council FGC ----

    [Theory]
    [InlineData("2000-12-31", "2025-12-31")]
    [InlineData("2000-02-29", "2025-03-01")]
    [InlineData("2003-02-28", "2028-02-28")]
    public void Early_help_records_are_destroyed_at_25(string dob, string expected)
    {
        var rule = SeedRegisters.Rule("sees", "early-help");
        Assert.Equal("destroy", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("date-of-birth", Parse(dob))));
        // The referral date is not the anchor.
        Assert.Null(Due(rule, ("referral", Parse(dob))));
    }

    [Theory]
    [InlineData("2020-02-29", "2055-03-01")]
    [InlineData("2019-10-31", "2054-10-31")]
    [InlineData("2024-02-29", "2059-03-01")]
    [InlineData("2028-02-29", "2063-03-01")]
    public void Family_group_conference_records_are_reviewed_35_years_after_the_case_closed(string closed, string expected)
    {
        var rule = SeedRegisters.Rule("ecc-fgc", "family-group-conference");
        Assert.Equal("review", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("case-closure", Parse(closed))));
        // An open case has no closure date: it is never due.
        Assert.Null(Due(rule, ("date-of-birth", D(1950, 1, 1))));
    }

    // ---- Safeguarding partnerships: training and communications ----

    [Theory]
    [InlineData("escb", "2020-05-14", "2025-05-14")]
    [InlineData("escb", "2024-02-29", "2029-03-01")]
    [InlineData("sscp", "2020-05-14", "2024-05-14")]
    [InlineData("sscp", "2024-02-29", "2028-02-29")] // 2028 is a leap year
    [InlineData("sscp", "2023-02-28", "2027-02-28")]
    public void Training_attendance_is_kept_5_years_in_Essex_and_4_in_Somerset_after_the_course(string organisation, string course, string expected)
    {
        var rule = SeedRegisters.Rule(organisation, "training-attendance");
        Assert.Equal(organisation == "escb" ? new Period(5, 0, 0) : new Period(4, 0, 0), rule.Terms.Single().Period);
        Assert.Equal("destroy", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("course-date", Parse(course))));
    }

    [Fact]
    public void Payment_details_go_once_payment_evaluation_and_certificate_are_all_done_in_any_order()
    {
        var rule = SeedRegisters.Rule("escb", "training-payment");
        Assert.Equal("all", rule.Combine);
        Assert.Equal(["payment-received", "evaluation-completed", "certificate-sent"], rule.Terms.Select(t => t.Anchor));
        Assert.All(rule.Terms, t => Assert.True(t.Period.IsZero));

        DateOnly[] dates = [D(2024, 3, 1), D(2024, 4, 12), D(2024, 5, 20)];
        var anchors = rule.Terms.Select(t => t.Anchor).ToArray();
        foreach (var order in Permutations([0, 1, 2]))
        {
            var events = anchors.Select((a, i) => (a, dates[order[i]])).ToArray();
            Assert.Equal(D(2024, 5, 20), Due(rule, events));
            // Not due while any one of the three has not happened.
            foreach (var missing in anchors)
            {
                Assert.Null(Due(rule, events.Where(e => e.a != missing).ToArray()));
            }
        }

        Assert.Equal(D(2024, 2, 29), Due(rule, anchors.Select(a => (a, D(2024, 2, 29))).ToArray()));
        Assert.Null(Due(rule));
    }

    [Theory]
    [InlineData("2024-02-29", "2025-03-01")]
    [InlineData("2023-03-31", "2024-03-31")]
    [InlineData("2023-12-31", "2024-12-31")]
    public void Evaluation_forms_are_kept_one_year_from_the_course(string course, string expected)
    {
        var rule = SeedRegisters.Rule("escb", "training-evaluation");
        Assert.Equal("destroy", rule.Action);
        Assert.Equal(Parse(expected), Due(rule, ("course-date", Parse(course))));
    }

    [Fact]
    public void Sign_in_sheets_go_once_the_register_of_attendees_is_updated()
    {
        var rule = SeedRegisters.Rule("escb", "training-sign-in-sheet");
        Assert.Equal(D(2024, 6, 3), Due(rule, ("register-updated", D(2024, 6, 3))));
        Assert.Null(Due(rule, ("course-date", D(2024, 6, 1))));
    }

    [Theory]
    [InlineData("escb")]
    [InlineData("sscp")]
    public void Mailing_list_details_go_on_unsubscribing(string organisation)
    {
        var rule = SeedRegisters.Rule(organisation, "mailing-list");
        Assert.Equal("destroy", rule.Action);
        Assert.Equal(D(2025, 1, 31), Due(rule, ("unsubscribe", D(2025, 1, 31))));
        Assert.Null(Due(rule));
    }

    // ---- The clock itself ----

    [Theory]
    [InlineData("2023-01-31", 0, 1, 0, "2023-03-01")] // no 31 February, no 28 February either: 1 March
    [InlineData("2024-01-31", 0, 1, 0, "2024-03-01")] // leap year: 29 February is still a day early
    [InlineData("2024-01-29", 0, 1, 0, "2024-02-29")]
    [InlineData("2023-01-29", 0, 1, 0, "2023-03-01")]
    [InlineData("2023-03-31", 0, 1, 0, "2023-05-01")]
    [InlineData("2023-08-31", 0, 6, 0, "2024-03-01")]
    [InlineData("2023-05-31", 0, 1, 0, "2023-07-01")]
    [InlineData("2023-01-15", 0, 1, 0, "2023-02-15")]
    [InlineData("2024-02-29", 1, 0, 0, "2025-03-01")]
    [InlineData("2024-02-29", 4, 0, 0, "2028-02-29")]
    [InlineData("2024-02-29", 0, 12, 0, "2025-03-01")]
    [InlineData("2023-12-31", 0, 2, 0, "2024-03-01")]
    [InlineData("2024-12-25", 0, 0, 10, "2025-01-04")]
    [InlineData("2024-01-31", 0, 1, 1, "2024-03-02")]
    [InlineData("2024-06-15", 0, 0, 0, "2024-06-15")]
    public void Periods_never_end_early(string start, int years, int months, int days, string expected)
    {
        var from = Parse(start);
        var end = new Period(years, months, days).AddTo(from);
        Assert.Equal(Parse(expected), end);
        // Never early: at least the calendar span that the naive calculation gives, and the same day of the month when it exists.
        Assert.True(end >= from.AddYears(years).AddMonths(months).AddDays(days));
    }

    [Fact]
    public void Whichever_is_longer_and_whichever_is_shorter_pick_the_right_clock()
    {
        var longer = Rule("longer", ("date-of-birth", new Period(18, 0, 0)), ("case-closure", new Period(6, 0, 0)));
        var shorter = longer with { Combine = "shorter" };
        var dob = D(2010, 4, 1); // 18 on 2028-04-01
        (string, DateOnly)[] early = [("date-of-birth", dob), ("case-closure", D(2015, 4, 1))]; // closure + 6 = 2021-04-01
        (string, DateOnly)[] late = [("date-of-birth", dob), ("case-closure", D(2026, 4, 1))]; // closure + 6 = 2032-04-01

        Assert.Equal(D(2028, 4, 1), Due(longer, early));
        Assert.Equal(D(2032, 4, 1), Due(longer, late));
        Assert.Equal(D(2021, 4, 1), Due(shorter, early));
        Assert.Equal(D(2028, 4, 1), Due(shorter, late));

        // With one clock not started: "longer" waits for it, "shorter" is decided by the one that has.
        Assert.Null(Due(longer, ("date-of-birth", dob)));
        Assert.Equal(D(2028, 4, 1), Due(shorter, ("date-of-birth", dob)));
        Assert.Equal(D(2021, 4, 1), Due(shorter, ("case-closure", D(2015, 4, 1))));
        Assert.Null(Due(shorter));
        Assert.Null(Due(longer));
    }

    [Fact]
    public void A_rule_whose_anchor_is_unknown_is_never_due()
    {
        var rule = Rule("single", ("when-the-moon-is-blue", new Period(1, 0, 0)));
        Assert.Null(Due(rule, ("date-of-birth", D(1900, 1, 1))));
        Assert.Null(RetentionClock.DueDate(rule, _ => null));

        // Case records know only their own anchors: training and mailing-list anchors are unknown to them.
        var facts = new RecordFacts(Guid.NewGuid(), Guid.NewGuid(), D(1900, 1, 1), ["early_help"], [], D(1950, 1, 1), false, D(1960, 1, 1),
            D(1955, 1, 1), D(1961, 1, 1), D(1970, 1, 1), null, false, false);
        foreach (var anchor in new[] { "course-date", "payment-received", "evaluation-completed", "certificate-sent", "register-updated", "unsubscribe", "nonsense" })
        {
            Assert.Null(facts.Anchor(anchor));
            Assert.Null(RetentionClock.DueDate(Rule("single", (anchor, new Period(0, 0, 0))), facts.Anchor));
        }
    }

    [Fact]
    public void Case_record_anchors_come_from_the_record()
    {
        var closed = new RecordFacts(Guid.NewGuid(), Guid.NewGuid(), D(2008, 2, 29), ["adoption", "referral", "child_protection"], ["NEG"], D(2012, 5, 1),
            AnyOpen: false, LastEnded: D(2015, 7, 1), Referral: D(2009, 1, 1), PlanEnded: D(2014, 1, 1), LastContact: D(2016, 1, 1), null, false, false);
        Assert.Equal(D(2008, 2, 29), closed.Anchor("date-of-birth"));
        Assert.Equal(D(2012, 5, 1), closed.Anchor("adoption-order"));
        Assert.Equal(D(2016, 1, 1), closed.Anchor("last-contact"));
        Assert.Equal(D(2015, 7, 1), closed.Anchor("case-closure"));
        Assert.Equal(D(2009, 1, 1), closed.Anchor("referral"));
        Assert.Equal(D(2014, 1, 1), closed.Anchor("plan-ended"));
        Assert.Equal(["adoption", "child-protection", "referral"], closed.RecordTypes.Order(StringComparer.Ordinal));

        // An open case has not closed; without a contact note its last contact is not known either.
        var open = closed with { AnyOpen = true, LastContact = null };
        Assert.Null(open.Anchor("case-closure"));
        Assert.Null(open.Anchor("last-contact"));
        // A closed case without notes: last contact is when it closed.
        Assert.Equal(D(2015, 7, 1), (closed with { LastContact = null }).Anchor("last-contact"));
    }

    [Fact]
    public void The_engine_applies_the_configured_rule_for_each_record_type_on_the_right_day()
    {
        var afc = SeedRegisters.Rules("afc");
        var leapling = Facts(["looked_after"], dob: D(2008, 2, 29));
        Assert.Equal(Assessment.NotYetDue, Assess(leapling, afc, D(2083, 2, 28)).Outcome);
        var due = Assess(leapling, afc, D(2083, 3, 1));
        Assert.Equal((Assessment.Review, (DateOnly?)D(2083, 3, 1), "looked-after"), (due.Outcome, due.DueOn, due.Rule!.Code));

        // Looked after and child protection: kept until the longer of the two (75 years from birth).
        var both = Facts(["looked_after", "child_protection"], dob: D(2010, 1, 1), categories: ["NEG"]);
        var assessed = Assess(both, afc, D(2060, 1, 1));
        Assert.Equal((Assessment.NotYetDue, (DateOnly?)D(2085, 1, 1), "looked-after"), (assessed.Outcome, assessed.DueOn, assessed.Rule!.Code));

        // Adoption without the order's date recorded: waiting for the event, however old the person.
        Assert.Equal(Assessment.Waiting, Assess(Facts(["adoption"], dob: D(1900, 1, 1)), afc, D(2100, 1, 1)).Outcome);
        Assert.Equal(D(2110, 3, 15), Assess(Facts(["adoption"], dob: D(1900, 1, 1), adoptionOrder: D(2010, 3, 15)), afc, D(2100, 1, 1)).DueOn);

        // Early help at SEES is destroyed, not reviewed, on the 25th birthday.
        var sees = SeedRegisters.Rules("sees");
        Assert.Equal(Assessment.NotYetDue, Assess(Facts(["early_help"], dob: D(2000, 2, 29)), sees, D(2025, 2, 28)).Outcome);
        Assert.Equal(Assessment.Destroy, Assess(Facts(["early_help"], dob: D(2000, 2, 29)), sees, D(2025, 3, 1)).Outcome);
        // A SEES record with no involvement of a type SEES has a rule for falls under its case-record service's rule.
        Assert.Equal(Assessment.Destroy, Assess(Facts(["child_protection"], dob: D(1990, 1, 1), categories: ["NEG"]), sees, D(2025, 3, 1)).Outcome);

        // An open family group conference case is never due; closed, it is reviewed 35 years on.
        var fgc = SeedRegisters.Rules("ecc-fgc");
        Assert.Equal(Assessment.Waiting, Assess(Facts([], dob: D(1950, 1, 1), open: true), fgc, D(2200, 1, 1)).Outcome);
        Assert.Equal(Assessment.Review, Assess(Facts([], dob: D(1950, 1, 1), lastEnded: D(2020, 2, 29)), fgc, D(2055, 3, 1)).Outcome);
        Assert.Equal(Assessment.NotYetDue, Assess(Facts([], dob: D(1950, 1, 1), lastEnded: D(2020, 2, 29)), fgc, D(2055, 2, 28)).Outcome);

        // No register, or no rule for the record: nothing happens.
        Assert.Equal(Assessment.NoRule, Assess(Facts(["early_help"], dob: D(1900, 1, 1)), null, D(2100, 1, 1)).Outcome);
        Assert.Equal(Assessment.NoRule, Assess(Facts([], dob: D(1900, 1, 1)), SeedRegisters.Rules("escb"), D(2100, 1, 1)).Outcome);
    }

    [Fact]
    public void A_decision_to_keep_moves_the_due_date_to_the_day_after()
    {
        var sees = SeedRegisters.Rules("sees");
        var kept = Facts(["early_help"], dob: D(1990, 1, 1)) with { KeepUntil = D(2030, 6, 30) };
        Assert.Equal((Assessment.NotYetDue, (DateOnly?)D(2030, 7, 1)), (Assess(kept, sees, D(2030, 6, 30)).Outcome, Assess(kept, sees, D(2030, 6, 30)).DueOn));
        Assert.Equal(Assessment.Destroy, Assess(kept, sees, D(2030, 7, 1)).Outcome);
        // A decision to keep that ended before the rule's own date does not bring it forward.
        var early = kept with { KeepUntil = D(2010, 1, 1) };
        Assert.Equal(D(2015, 1, 1), Assess(early, sees, D(2020, 1, 1)).DueOn);
    }

    internal static RecordFacts Facts(string[] involvements, DateOnly? dob = null, string[]? categories = null, DateOnly? adoptionOrder = null,
        bool open = false, DateOnly? lastEnded = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), dob, involvements, categories ?? [], adoptionOrder, open, lastEnded, null, null, null, null, false, false);

    private static Assessment Assess(RecordFacts facts, OrganisationRules? rules, DateOnly asOf) =>
        RetentionEngine.Assess(facts, rules, [], new HashSet<Guid>(), asOf);

    private static RetentionRule Rule(string combine, params (string Anchor, Period Period)[] terms) => new()
    {
        Code = "test",
        RecordType = "test",
        Combine = combine,
        Terms = terms.Select(t => new RetentionTerm(t.Anchor, t.Period)).ToList(),
        Action = "destroy",
    };

    private static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<int[]> Permutations(int[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany(first => Permutations(items.Where(i => i != first).ToArray()).Select(rest => new[] { first }.Concat(rest).ToArray()));
}
