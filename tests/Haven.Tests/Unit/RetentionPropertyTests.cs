using System.Globalization;
using Haven.Core.Privacy;
using Haven.Core.Retention;

namespace Haven.Tests.Unit;

/// <summary>
/// Properties of the retention decision over thousands of random records, rules, legal holds and dates. Each case
/// has its own fixed seed, reported on failure, so a failing case can be replayed with <see cref="Case"/>. The
/// expected decision is worked out here from the rules' definitions, independently of the engine's code.
/// </summary>
public sealed class RetentionPropertyTests
{
    private const int Cases = 2500;
    private const int FirstSeed = 20_080_229;

    private static readonly string[] InvolvementTypes =
        ["referral", "early_help", "child_in_need", "child_protection", "looked_after", "police_protection", "care_leaver", "adoption", "disability", "youth_justice"];

    private static readonly string[] Categories = ["NEG", "PHY", "SAB", "EMO", "MUL"];
    private static readonly string[] Anchors = ["date-of-birth", "adoption-order", "last-contact", "case-closure", "referral", "plan-ended", "course-date", "unsubscribe"];
    private static readonly string[] Outcomes = [Assessment.Review, Assessment.ReviewPending, Assessment.Destroy, Assessment.Anonymise];

    [Fact]
    public void Nothing_held_is_disposed_of_nothing_goes_before_it_is_due_and_the_due_date_is_the_latest_rule()
    {
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var seed = FirstSeed; seed < FirstSeed + Cases && failures.Count < 10; seed++)
        {
            try
            {
                var outcome = Case(seed);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
            {
                failures.Add($"seed {seed}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // The generator reaches every kind of decision, so the properties were tested where they matter.
        foreach (var outcome in new[] { Assessment.NoRule, Assessment.Waiting, Assessment.NotYetDue, Assessment.Held, Assessment.Review, Assessment.ReviewPending, Assessment.Destroy, Assessment.Anonymise })
        {
            Assert.True(outcomes.GetValueOrDefault(outcome) >= 20, $"only {outcomes.GetValueOrDefault(outcome)} cases ended '{outcome}': " + string.Join(", ", outcomes));
        }
    }

    /// <summary>One random case: builds it from the seed, asks the engine, checks the properties. Returns the outcome.</summary>
    internal static string Case(int seed)
    {
        var random = new Random(seed);
        var subject = Guid.NewGuid();
        var organisationId = Guid.NewGuid();
        var asOf = Date(random, 1990, 2200);

        // The organisation's rules: one of the seed registers, a random register, or none at all.
        RegisterDocument? document = random.Next(10) switch
        {
            0 => null,
            < 5 => RandomRegister(random),
            var n => SeedRegisters.All.Values.ElementAt(n % SeedRegisters.All.Count),
        };
        var rules = document is null ? null : OrganisationRules.From(document);

        var involvements = Pick(random, InvolvementTypes, random.Next(4));
        var facts = new RecordFacts(subject, organisationId,
            Maybe(random, 8, () => Date(random, 1900, 2100)),
            involvements,
            involvements.Contains("child_protection") ? Pick(random, Categories, 1 + random.Next(2)) : Maybe(random, 5, () => Pick(random, Categories, 1)) ?? [],
            Maybe(random, 5, () => Date(random, 1900, 2100)),
            AnyOpen: random.Next(3) == 0,
            LastEnded: Maybe(random, 7, () => Date(random, 1900, 2150)),
            Referral: Maybe(random, 5, () => Date(random, 1900, 2100)),
            PlanEnded: Maybe(random, 5, () => Date(random, 1900, 2100)),
            LastContact: Maybe(random, 6, () => Date(random, 1900, 2150)),
            KeepUntil: Maybe(random, 3, () => Date(random, 1990, 2200)),
            ReviewPending: random.Next(3) == 0,
            ReviewApproved: random.Next(4) == 0);

        var holds = Enumerable.Range(0, random.Next(4)).Select(_ => RandomHold(random, subject, organisationId, asOf)).ToList();
        var family = new HashSet<Guid>(Enumerable.Range(0, random.Next(3)).Select(_ => Guid.NewGuid()));
        if (random.Next(4) == 0)
        {
            family.Add(subject);
        }

        // As AssessAsync does: the holds active on the date are passed in.
        var active = holds.Where(h => h.ActiveOn(asOf)).ToList();
        var assessment = RetentionEngine.Assess(facts, rules, active, family, asOf);

        string Describe() => $"as of {asOf:yyyy-MM-dd}, facts {facts}, rules [{string.Join("; ", document?.Activities().SelectMany(a => a.Activity.Retention.Select(r => $"{r.Code}:{r.RecordType}:{r.Combine}:{string.Join("+", r.Terms.Select(t => t.Anchor + " " + t.Period))}:{r.Action}:{(a.Service.HoldsCaseRecords ? "case" : "-")}")) ?? [])}], " +
            $"holds [{string.Join("; ", holds.Select(h => $"{h.Scope} person={(h.PersonId == subject ? "subject" : h.PersonId?.ToString() ?? "-")} org={(h.OrganisationId == organisationId ? "subject's" : h.OrganisationId?.ToString() ?? "-")} type={h.RecordType} criterion={h.Criterion} {h.StartsOn:yyyy-MM-dd}..{h.EndsOn:yyyy-MM-dd} released={h.ReleasedAt is not null}"))}], " +
            $"subject in family {family.Contains(subject)}; engine said {assessment.Outcome} due {assessment.DueOn:yyyy-MM-dd} under {assessment.Rule?.Code}";

        void Check(bool condition, string property)
        {
            if (!condition)
            {
                throw new Xunit.Sdk.XunitException(property + "\n" + Describe());
            }
        }

        var applicable = ApplicableRules(document, facts);
        var ruleDues = applicable.Select(r => (Rule: r, Due: DueDate(r, facts))).ToList();
        var held = holds.Any(h => Active(h, asOf) && Covers(h, subject, organisationId, facts, family));

        // 1. Nothing held is ever disposed of or put up for disposal.
        Check(!(held && Outcomes.Contains(assessment.Outcome)), "a record under an active legal hold was given a disposal outcome");

        // 2. Nothing is destroyed, anonymised or reviewed before its due date, or before every applicable rule has run out,
        //    or while a decision to keep it lasts.
        if (Outcomes.Contains(assessment.Outcome))
        {
            Check(assessment.DueOn is { } due && due <= asOf, "disposal outcome without a due date on or before the run date");
            Check(ruleDues.Count > 0 && ruleDues.All(r => r.Due is { } d && d <= asOf), "disposal outcome before an applicable rule's own due date");
            Check(facts.KeepUntil is null || facts.KeepUntil < asOf, "disposal outcome while a decision to keep the record lasts");
        }

        // 3. The due date is on or after every applicable rule's own due date (and after any decision to keep).
        if (assessment.DueOn is { } dueOn)
        {
            Check(ruleDues.All(r => r.Due is { } d && dueOn >= d), "due date earlier than an applicable rule's own due date");
            Check(facts.KeepUntil is null || dueOn > facts.KeepUntil, "due date inside a decision to keep");
        }

        // 4. The whole decision, worked out independently.
        string expected;
        DateOnly? expectedDue = null;
        if (applicable.Count == 0)
        {
            expected = Assessment.NoRule;
        }
        else if (ruleDues.Any(r => r.Due is null))
        {
            expected = Assessment.Waiting;
        }
        else
        {
            expectedDue = ruleDues.Max(r => r.Due!.Value);
            if (facts.KeepUntil is { } keep && keep >= expectedDue)
            {
                expectedDue = keep.AddDays(1);
            }

            if (expectedDue > asOf)
            {
                expected = Assessment.NotYetDue;
            }
            else if (held)
            {
                expected = Assessment.Held;
            }
            else
            {
                // Rules ending on the same day may differ in action; the decision must follow one of them.
                var latest = ruleDues.Max(r => r.Due!.Value);
                var possible = ruleDues.Where(r => r.Due == latest).Select(r => r.Rule.Action switch
                {
                    "review" when facts.ReviewApproved => Assessment.Destroy,
                    "review" when facts.ReviewPending => Assessment.ReviewPending,
                    "review" => Assessment.Review,
                    "anonymise" => Assessment.Anonymise,
                    _ => Assessment.Destroy,
                }).ToHashSet();
                Check(possible.Contains(assessment.Outcome), $"expected one of {string.Join("/", possible)}");
                expected = assessment.Outcome;
            }
        }

        Check(assessment.Outcome == expected, $"expected {expected}");
        Check(assessment.DueOn == expectedDue, $"expected due {expectedDue:yyyy-MM-dd}");
        return assessment.Outcome;
    }

    // ---- The oracle: the rules' definitions, written out again ----

    /// <summary>The rules for the record's types; with none, the rules of the services that hold case records.</summary>
    private static List<RetentionRule> ApplicableRules(RegisterDocument? document, RecordFacts facts)
    {
        if (document is null)
        {
            return [];
        }

        var types = facts.InvolvementTypes.Select(t => t.Replace('_', '-')).ToHashSet(StringComparer.Ordinal);
        var all = document.Services.SelectMany(s => s.Activities.SelectMany(a => a.Retention.Select(r => (Rule: r, s.HoldsCaseRecords)))).ToList();
        var specific = all.Where(r => types.Contains(r.Rule.RecordType)).Select(r => r.Rule).ToList();
        return specific.Count > 0 ? specific : all.Where(r => r.HoldsCaseRecords).Select(r => r.Rule).ToList();
    }

    private static DateOnly? DueDate(RetentionRule rule, RecordFacts facts)
    {
        var ends = rule.Terms.Select(t => AnchorOf(t.Anchor, facts) is { } start ? NeverEarly(start, t.Period) : (DateOnly?)null).ToList();
        if (rule.Combine == "shorter")
        {
            return ends.Where(e => e is not null).Min();
        }

        return ends.Any(e => e is null) ? null : ends.Max();
    }

    private static DateOnly? AnchorOf(string anchor, RecordFacts f) => anchor switch
    {
        "date-of-birth" => f.DateOfBirth,
        "adoption-order" => f.AdoptionOrder,
        "last-contact" => f.LastContact is not null ? f.LastContact : f.AnyOpen ? null : f.LastEnded,
        "case-closure" => f.AnyOpen ? null : f.LastEnded,
        "referral" => f.Referral,
        "plan-ended" => f.PlanEnded,
        _ => null,
    };

    /// <summary>The period after the start; a day the target month lacks becomes the 1st of the month after.</summary>
    internal static DateOnly NeverEarly(DateOnly start, Period period)
    {
        var months = (start.Year * 12) + start.Month - 1 + (period.Years * 12) + period.Months;
        int year = months / 12, month = (months % 12) + 1;
        var end = start.Day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, start.Day) : new DateOnly(year, month, 1).AddMonths(1);
        return end.AddDays(period.Days);
    }

    // A hold protects from the moment it is placed until it ends or is released, even before its start date.
    private static bool Active(LegalHold hold, DateOnly on) =>
        hold.ReleasedAt is null && (hold.EndsOn is null || on <= hold.EndsOn);

    private static bool Covers(LegalHold hold, Guid subject, Guid organisation, RecordFacts facts, HashSet<Guid> family)
    {
        var types = facts.InvolvementTypes.Select(t => t.Replace('_', '-')).ToHashSet(StringComparer.Ordinal);
        var sameOrganisation = hold.OrganisationId is null || hold.OrganisationId == organisation;
        return hold.Scope switch
        {
            "person" => hold.PersonId == subject,
            "case" => hold.PersonId == subject || family.Contains(subject),
            "organisation" => hold.OrganisationId == organisation,
            "record_type" => sameOrganisation && types.Contains(hold.RecordType!),
            "criterion" when hold.Criterion!.StartsWith("category-of-abuse:", StringComparison.Ordinal) =>
                sameOrganisation && facts.CategoriesOfAbuse.Contains(hold.Criterion["category-of-abuse:".Length..]),
            "criterion" when hold.Criterion!.StartsWith("involvement:", StringComparison.Ordinal) =>
                sameOrganisation && types.Contains(hold.Criterion["involvement:".Length..].Replace('_', '-')),
            _ => true,
        };
    }

    // ---- Generators ----

    private static LegalHold RandomHold(Random random, Guid subject, Guid organisation, DateOnly asOf)
    {
        var scope = LegalHoldService.Scopes[random.Next(LegalHoldService.Scopes.Count)];
        var starts = asOf.AddDays(random.Next(-4000, 400));
        var hold = new LegalHold
        {
            Id = Guid.NewGuid(),
            Scope = scope,
            OrganisationId = random.Next(3) switch { 0 => null, 1 => organisation, _ => Guid.NewGuid() },
            PersonId = scope is "person" or "case" ? (random.Next(2) == 0 ? subject : Guid.NewGuid()) : null,
            RecordType = scope == "record_type" ? InvolvementTypes[random.Next(InvolvementTypes.Length)].Replace('_', '-') : null,
            Criterion = scope == "criterion"
                ? random.Next(2) == 0 ? "category-of-abuse:" + Categories[random.Next(Categories.Length)] : "involvement:" + InvolvementTypes[random.Next(InvolvementTypes.Length)]
                : null,
            Reason = "Litigation hold for the test",
            Authority = "Test",
            StartsOn = starts,
            EndsOn = random.Next(3) == 0 ? starts.AddDays(random.Next(0, 4000)) : null,
            ReleasedAt = random.Next(5) == 0 ? DateTimeOffset.UnixEpoch : null,
        };
        if (scope == "organisation" && hold.OrganisationId is null)
        {
            hold.OrganisationId = organisation;
        }

        return hold;
    }

    /// <summary>A register with one case-record service and one other service, each with random rules.</summary>
    private static RegisterDocument RandomRegister(Random random)
    {
        RetentionRule RandomRule(int n)
        {
            var terms = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => new RetentionTerm(
                Anchors[random.Next(Anchors.Length)],
                random.Next(4) switch
                {
                    0 => new Period(0, 0, 0),
                    1 => new Period(random.Next(0, 101), 0, 0),
                    2 => new Period(random.Next(0, 30), random.Next(0, 24), 0),
                    _ => new Period(random.Next(0, 10), random.Next(0, 13), random.Next(0, 60)),
                })).ToList();
            return new RetentionRule
            {
                Code = "rule-" + n.ToString(CultureInfo.InvariantCulture),
                RecordType = InvolvementTypes[random.Next(InvolvementTypes.Length)].Replace('_', '-'),
                Combine = terms.Count == 1 ? "single" : new[] { "longer", "shorter", "all" }[random.Next(3)],
                Terms = terms,
                Action = new[] { "destroy", "anonymise", "review" }[random.Next(3)],
            };
        }

        ServiceEntry Service(string code, bool caseRecords, int rules) => new()
        {
            Code = code,
            Name = code,
            HoldsCaseRecords = caseRecords,
            Activities = [new ActivityEntry { Code = code, Purpose = code, LawfulBases = [], Categories = [], Retention = Enumerable.Range(0, rules).Select(RandomRule).ToList() }],
        };

        return new RegisterDocument
        {
            Organisation = new OrganisationEntry
            {
                Code = "random",
                Name = "Random",
                Controller = "Random",
                DataProtectionOfficer = new ContactEntry(),
                Complaints = "-",
                Ico = new IcoContact { Postal = "-", Phone = "-" },
            },
            Notice = new NoticeEntry { Title = "-", EffectiveFrom = new DateOnly(2024, 4, 1) },
            Services = [Service("care", true, random.Next(0, 4)), Service("other", false, random.Next(0, 4))],
        };
    }

    private static DateOnly Date(Random random, int fromYear, int toYear)
    {
        // Month ends and 29 February turn up far more often than by chance.
        var year = random.Next(fromYear, toYear + 1);
        var month = random.Next(1, 13);
        var day = random.Next(4) == 0 ? DateTime.DaysInMonth(year, month) : random.Next(1, DateTime.DaysInMonth(year, month) + 1);
        if (random.Next(20) == 0 && DateTime.IsLeapYear(year))
        {
            (month, day) = (2, 29);
        }

        return new DateOnly(year, month, day);
    }

    private static T? Maybe<T>(Random random, int inTen, Func<T> value) where T : class => random.Next(10) < inTen ? value() : null;

    private static DateOnly? Maybe(Random random, int inTen, Func<DateOnly> value) => random.Next(10) < inTen ? value() : null;

    private static string[] Pick(Random random, string[] from, int count) => from.OrderBy(_ => random.Next()).Take(count).ToArray();

    [Fact]
    public void The_oracle_agrees_with_the_examples()
    {
        Assert.Equal(new DateOnly(2083, 3, 1), NeverEarly(new DateOnly(2008, 2, 29), new Period(75, 0, 0)));
        Assert.Equal(new DateOnly(2023, 3, 1), NeverEarly(new DateOnly(2023, 1, 31), new Period(0, 1, 0)));
        Assert.Equal(new DateOnly(2024, 2, 29), NeverEarly(new DateOnly(2024, 1, 29), new Period(0, 1, 0)));
    }

    [Fact]
    public void Period_arithmetic_matches_the_oracle_on_every_day_of_four_years()
    {
        var random = new Random(FirstSeed);
        for (var day = new DateOnly(2023, 1, 1); day < new DateOnly(2027, 1, 1); day = day.AddDays(1))
        {
            var period = new Period(random.Next(0, 101), random.Next(0, 24), random.Next(0, 40));
            Assert.True(NeverEarly(day, period) == period.AddTo(day), $"{day:yyyy-MM-dd} + {period}");
        }
    }
}
