using Haven.Core.Demo;
using Npgsql;
using NpgsqlTypes;

/// <summary>What the retention benchmark loaded, and what a run on <see cref="AsOf"/> must find.</summary>
internal sealed record RetentionPlan(DateOnly AsOf, int People, int Destroy, int Held, int ReviewPending, Guid[] DisposedIds, Dictionary<string, long> Rows);

/// <summary>
/// Synthetic records of mixed types across the demo organisations, written with COPY. The people fall into groups
/// whose dates of birth, involvements and review decisions make a run on <c>asOf</c> reach a known result:
/// <list type="bullet">
/// <item>South Essex Extended Services early-help records of people over 25 (destroy, 25 years from birth): 80% of the disposals,
/// plus a few more under a legal hold on the person;</item>
/// <item>Achieving for Children child-in-need records of people over 25 whose review was approved (destroy): the other 20%;</item>
/// <item>duplicates merged into some of those records (destroyed with them, not counted);</item>
/// <item>AfC records due whose review is pending or was extended (no action), and younger records of every type
/// (child protection, child in need, looked after, adoption, disability, referral, early help, family group conference)
/// that are not yet due, parents' records that wait for an event, and training organisations' records.</item>
/// </list>
/// Around them: addresses, previous names, case notes (some naming a due parent as a participant), relationships,
/// households, access grants and a few legal holds, as a live system would have.
/// </summary>
internal static class RetentionData
{
    private enum Kind : byte
    {
        SeesDue,
        AfcApproved,
        Duplicate,
        SeesYoung,
        AfcPending,
        AfcExtended,
        AfcAdult,
        Ecc,
        Escb,
        Sscp,
        AfcChild,
    }

    private sealed class Row(Guid id, Kind kind, Guid organisation, DateOnly dob)
    {
        public Guid Id { get; } = id;
        public Kind Kind { get; } = kind;
        public Guid Organisation { get; } = organisation;
        public DateOnly Dob { get; } = dob;
        public int Mother { get; set; } = -1;
        public int MergedInto { get; set; } = -1;
        public bool Held { get; set; }
    }

    private static readonly string[] Given = ["Oliver", "George", "Amelia", "Isla", "Noah", "Freya", "Leo", "Ivy", "Muhammad", "Ava", "Harry", "Zara",
        "Jayden", "Lily", "Ellis", "Ruby", "Kacper", "Priya", "Chidi", "Niamh", "Theo", "Sophia", "Callum", "Megan"];

    private static readonly string[] Family = ["Smith", "Jones", "Patel", "Khan", "Clarke", "Brennan", "Whitfield", "Marsh", "Hart", "Okafor", "Nowak",
        "Nguyen", "Taylor", "Evans", "Begum", "Murphy", "Wilson", "Hughes", "Ahmed", "Kowalski", "Mensah", "Chen", "Reid", "Fox"];

    private static readonly string[] Categories = ["NEG", "PHY", "SAB", "EMO", "MUL"];
    private static readonly string[] ContactTypes = ["visit", "phone_call", "letter", "email", "meeting"];
    private static readonly string[] Sources = ["family", "carer", "gp", "police", "school", "health_visitor", "other_agency", "child"];

    public static async Task<RetentionPlan> LoadAsync(NpgsqlConnection connection, int records, int disposals, DateOnly asOf, Random random)
    {
        var orgs = new Dictionary<string, Guid>();
        await using (var command = new NpgsqlCommand("SELECT short_name, id FROM organisations", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                orgs[reader.GetString(0)] = reader.GetGuid(1);
            }
        }

        Guid user;
        await using (var command = new NpgsqlCommand("SELECT id FROM users WHERE email = 'sam.worker@demo.haven.test'", connection))
        {
            user = (Guid)(await command.ExecuteScalarAsync())!;
        }

        var (afc, sees, ecc, escb, sscp) = (orgs["afc"], orgs["sees"], orgs["ecc-fgc"], orgs["escb"], orgs["sscp"]);
        var held = Math.Max(1, disposals / 1000);
        var seesDue = (disposals * 4 / 5) + held;
        var afcApproved = disposals - (disposals * 4 / 5);
        var duplicates = disposals / 200;
        var counts = new (Kind Kind, int Count)[]
        {
            (Kind.SeesDue, seesDue), (Kind.AfcApproved, afcApproved), (Kind.Duplicate, duplicates), (Kind.SeesYoung, records * 15 / 100),
            (Kind.AfcPending, records * 2 / 100), (Kind.AfcExtended, records / 100), (Kind.AfcAdult, records * 15 / 100), (Kind.Ecc, records * 8 / 100),
            (Kind.Escb, records / 100), (Kind.Sscp, records / 100),
        };
        var remainder = records - counts.Sum(c => c.Count);
        if (remainder < records / 10)
        {
            throw new ArgumentException($"{disposals:N0} disposals are too many for {records:N0} records: use at most a third as many disposals as records.");
        }

        DateOnly Between(DateOnly oldest, DateOnly youngest) => oldest.AddDays(random.Next(youngest.DayNumber - oldest.DayNumber + 1));
        DateOnly Age(int years, int days = 0) => asOf.AddYears(-years).AddDays(-days);

        // People.
        var rows = new List<Row>(records);
        var byKind = new Dictionary<Kind, List<int>>();
        void Add(Kind kind, int count, Guid organisation, DateOnly oldest, DateOnly youngest)
        {
            var list = byKind[kind] = new List<int>(count);
            for (var i = 0; i < count; i++)
            {
                list.Add(rows.Count);
                rows.Add(new Row(Guid.NewGuid(), kind, organisation, Between(oldest, youngest)));
            }
        }

        // Due on asOf: 25 years from birth has passed (two days' margin for 29 February).
        Add(Kind.SeesDue, seesDue, sees, Age(40), Age(25, 2));
        Add(Kind.AfcApproved, afcApproved, afc, Age(45), Age(25, 2));
        var survivors = byKind[Kind.SeesDue].Skip(held).Concat(byKind[Kind.AfcApproved]).ToList();
        foreach (var i in byKind[Kind.SeesDue].Take(held))
        {
            rows[i].Held = true;
        }

        byKind[Kind.Duplicate] = [];
        for (var i = 0; i < duplicates; i++)
        {
            var survivor = survivors[random.Next(survivors.Count)];
            byKind[Kind.Duplicate].Add(rows.Count);
            rows.Add(new Row(Guid.NewGuid(), Kind.Duplicate, rows[survivor].Organisation, rows[survivor].Dob) { MergedInto = survivor });
        }

        // Not due: younger than 25, or due with a review pending or extended.
        Add(Kind.SeesYoung, records * 15 / 100, sees, Age(25, -2), asOf);
        Add(Kind.AfcPending, records * 2 / 100, afc, Age(35), Age(25, 2));
        Add(Kind.AfcExtended, records / 100, afc, Age(35), Age(25, 2));
        Add(Kind.AfcAdult, records * 15 / 100, afc, Age(60), Age(20));
        Add(Kind.Ecc, records * 8 / 100, ecc, Age(18), asOf);
        Add(Kind.Escb, records / 100, escb, Age(18), asOf);
        Add(Kind.Sscp, records / 100, sscp, Age(18), asOf);
        Add(Kind.AfcChild, remainder, afc, Age(23), asOf);

        // Mothers: some young SEES children's mothers are due SEES records; some AfC children's are AfC parents.
        void Mothers(Kind children, List<int> mothers, int percent)
        {
            foreach (var c in byKind[children])
            {
                if (random.Next(100) >= percent)
                {
                    continue;
                }

                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var m = mothers[random.Next(mothers.Count)];
                    if (rows[m].Dob.AddYears(16) <= rows[c].Dob)
                    {
                        rows[c].Mother = m;
                        break;
                    }
                }
            }
        }

        Mothers(Kind.SeesYoung, survivors.Where(i => rows[i].Kind == Kind.SeesDue).ToList(), 10);
        Mothers(Kind.AfcChild, byKind[Kind.AfcAdult], 20);

        var serial = 100;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY people (id, organisation_id, person_type, given_name, family_name, date_of_birth, nhs_number, gender, mother_id, merged_into_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Organisation, NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Kind == Kind.AfcAdult ? "adult" : "child", NpgsqlDbType.Text);
                await writer.WriteAsync(Given[random.Next(Given.Length)], NpgsqlDbType.Text);
                await writer.WriteAsync(Family[random.Next(Family.Length)], NpgsqlDbType.Text);
                await writer.WriteAsync(row.Dob, NpgsqlDbType.Date);
                await writer.WriteAsync(DemoSeeder.DemoNhsNumber(serial++), NpgsqlDbType.Text);
                await writer.WriteAsync(random.Next(2) == 0 ? "female" : "male", NpgsqlDbType.Text);
                await WriteIdAsync(writer, row.Mother < 0 ? null : rows[row.Mother].Id);
                await WriteIdAsync(writer, row.MergedInto < 0 ? null : rows[row.MergedInto].Id);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        // Addresses for everyone; previous names for some.
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY addresses (id, person_id, line1, town, postcode, lived_from, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{random.Next(1, 200)} {Family[random.Next(Family.Length)]} Road", NpgsqlDbType.Text);
                await writer.WriteAsync(row.Organisation == sees ? "Rochford" : row.Organisation == afc ? "Kingston upon Thames" : "Chelmsford", NpgsqlDbType.Text);
                await writer.WriteAsync($"{(row.Organisation == afc ? "KT" : "SS")}{random.Next(1, 20)} {random.Next(1, 9)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}", NpgsqlDbType.Text);
                await writer.WriteAsync(row.Dob, NpgsqlDbType.Date);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY person_names (id, person_id, kind, given_name, family_name) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows.Where(_ => random.Next(20) == 0))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync("previous", NpgsqlDbType.Text);
                await writer.WriteAsync(Given[random.Next(Given.Length)], NpgsqlDbType.Text);
                await writer.WriteAsync(Family[random.Next(Family.Length)], NpgsqlDbType.Text);
            }

            await writer.CompleteAsync();
        }

        // Involvements.
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY involvements (id, organisation_id, person_id, involvement_type, started_on, ended_on, referral_source, category_of_abuse, legal_status, adoption_order_on, source, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            async Task Involvement(Row row, string type, DateOnly started, DateOnly? ended, DateOnly? adoptionOrder = null)
            {
                if (started > asOf)
                {
                    started = asOf;
                }

                if (ended is { } e && (e > asOf || e < started))
                {
                    ended = e > asOf ? null : started;
                }

                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Organisation, NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(type, NpgsqlDbType.Text);
                await writer.WriteAsync(started, NpgsqlDbType.Date);
                await WriteDateAsync(writer, ended);
                await WriteTextAsync(writer, type == "referral" ? "2A" : null);
                await WriteTextAsync(writer, type == "child_protection" ? Categories[random.Next(Categories.Length)] : null);
                await WriteTextAsync(writer, type == "looked_after" ? "C2" : null);
                await WriteDateAsync(writer, adoptionOrder);
                await writer.WriteAsync(Sources[random.Next(Sources.Length)], NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            string[] afcTypes = ["referral", "referral", "referral", "child_in_need", "child_in_need", "child_in_need", "child_protection", "child_protection",
                "looked_after", "looked_after", "disability", "adoption", "youth_justice"];
            foreach (var row in rows)
            {
                switch (row.Kind)
                {
                    case Kind.SeesDue:
                        {
                            var started = row.Dob.AddYears(8).AddDays(random.Next(365 * 6));
                            await Involvement(row, "early_help", started, started.AddDays(180 + random.Next(540)));
                            break;
                        }

                    case Kind.SeesYoung:
                        {
                            var started = Between(row.Dob.DayNumber > asOf.AddYears(-6).DayNumber ? row.Dob : asOf.AddYears(-6), asOf);
                            await Involvement(row, "early_help", started, random.Next(10) < 6 ? started.AddDays(90 + random.Next(540)) : null);
                            break;
                        }

                    case Kind.AfcApproved or Kind.AfcPending or Kind.AfcExtended:
                        {
                            var started = row.Dob.AddYears(5).AddDays(random.Next(365 * 7));
                            await Involvement(row, "child_in_need", started, started.AddDays(365 + random.Next(365)));
                            break;
                        }

                    case Kind.Ecc when random.Next(2) == 0:
                        {
                            var started = Between(row.Dob, asOf);
                            await Involvement(row, "child_in_need", started, started.AddDays(180 + random.Next(365)));
                            break;
                        }

                    case Kind.AfcChild:
                        {
                            var types = new HashSet<string>();
                            for (var n = 1 + random.Next(3); types.Count < n;)
                            {
                                types.Add(afcTypes[random.Next(afcTypes.Length)]);
                            }

                            foreach (var type in types)
                            {
                                var started = Between(row.Dob, asOf);
                                if (type == "adoption")
                                {
                                    var order = started.AddDays(180 + random.Next(365));
                                    if (order <= asOf)
                                    {
                                        await Involvement(row, type, started, order, order);
                                        continue;
                                    }
                                }

                                await Involvement(row, type, started, random.Next(10) < 6 ? started.AddDays(90 + random.Next(900)) : null);
                            }

                            break;
                        }
                }
            }

            await writer.CompleteAsync();
        }

        // Case notes: the last contact with each child; a young child's note names their mother as a participant.
        const string Text = "Visited the family at home. The children were present and appeared well. Agreed the next steps with the parent.";
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY case_notes (id, person_id, contact_type, contact_date, participant_person_ids, text, source, created_by_user_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows)
            {
                var (notes, from, to) = row.Kind switch
                {
                    Kind.SeesDue => (1 + random.Next(3), row.Dob.AddYears(8), row.Dob.AddYears(16)),
                    Kind.AfcApproved or Kind.AfcPending or Kind.AfcExtended => (1 + random.Next(2), row.Dob.AddYears(5), row.Dob.AddYears(17)),
                    Kind.SeesYoung => (random.Next(3), row.Dob, asOf),
                    Kind.AfcChild => (random.Next(4), row.Dob, asOf),
                    Kind.Ecc => (random.Next(2), row.Dob, asOf),
                    _ => (0, asOf, asOf),
                };
                for (var n = 0; n < notes; n++)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(ContactTypes[random.Next(ContactTypes.Length)], NpgsqlDbType.Text);
                    await writer.WriteAsync(Between(from, to < asOf ? to : asOf), NpgsqlDbType.Date);
                    await writer.WriteAsync(n == 0 && row.Mother >= 0 ? new[] { rows[row.Mother].Id } : [], NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                    await writer.WriteAsync(Text, NpgsqlDbType.Text);
                    await writer.WriteAsync(Sources[random.Next(Sources.Length)], NpgsqlDbType.Text);
                    await writer.WriteAsync(user, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                }
            }

            await writer.CompleteAsync();
        }

        // Relationships and households: due siblings share a household (left empty when both go); a child lives with
        // their mother (the household stays when a due mother's record goes).
        var relationships = new List<(Row Person, Row Related, string Type)>();
        foreach (var chunk in byKind[Kind.SeesDue].Skip(held).Chunk(2).Where(c => c.Length == 2 && random.Next(10) < 3))
        {
            relationships.Add((rows[chunk[0]], rows[chunk[1]], "sibling"));
        }

        foreach (var row in rows.Where(r => r.Mother >= 0))
        {
            relationships.Add((row, rows[row.Mother], "mother"));
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY relationships (id, organisation_id, person_id, related_person_id, relationship_type, parental_responsibility, source, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var (person, related, type) in relationships)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(person.Organisation, NpgsqlDbType.Uuid);
                await writer.WriteAsync(person.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(related.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(type, NpgsqlDbType.Text);
                await writer.WriteAsync(type == "mother", NpgsqlDbType.Boolean);
                await writer.WriteAsync("family", NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        var households = relationships.Where(r => r.Type == "sibling" || random.Next(2) == 0).Select(r => (Id: Guid.NewGuid(), r.Person, r.Related)).ToList();
        await using (var writer = await connection.BeginBinaryImportAsync("COPY households (id, organisation_id, label, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var (id, person, _) in households)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(person.Organisation, NpgsqlDbType.Uuid);
                await writer.WriteAsync("Family home", NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY household_members (id, household_id, person_id, lived_from, source, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var (id, person, related) in households)
            {
                foreach (var member in new[] { person, related })
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(member.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(person.Dob, NpgsqlDbType.Date);
                    await writer.WriteAsync("family", NpgsqlDbType.Text);
                    await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                }
            }

            await writer.CompleteAsync();
        }

        // Access grants: a worker allocated to a third of the children (ended for the old records).
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY record_access_grants (id, person_id, user_id, basis, starts_at, ends_at, reason, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows.Where(r => r.Kind is not (Kind.AfcAdult or Kind.Duplicate or Kind.Escb or Kind.Sscp) && random.Next(3) == 0))
            {
                var starts = row.Dob.AddYears(row.Kind is Kind.SeesDue or Kind.AfcApproved or Kind.AfcPending or Kind.AfcExtended ? 10 : 0).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var old = starts < DateTime.UtcNow.AddYears(-5);
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(user, NpgsqlDbType.Uuid);
                await writer.WriteAsync("allocated_worker", NpgsqlDbType.Text);
                await writer.WriteAsync(starts, NpgsqlDbType.TimestampTz);
                if (old)
                {
                    await writer.WriteAsync(starts.AddYears(1), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await writer.WriteNullAsync();
                }

                await writer.WriteAsync("Allocated worker", NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        // Review decisions: approved (so the record is destroyed), pending, or extended for a few more years.
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY retention_reviews (id, person_id, organisation_id, rule_code, record_type, due_on, status, created_at, decided_by_user_id, decided_at, reason, keep_until) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var row in rows.Where(r => r.Kind is Kind.AfcApproved or Kind.AfcPending or Kind.AfcExtended))
            {
                var status = row.Kind switch { Kind.AfcApproved => "approved", Kind.AfcPending => "pending", _ => "extended" };
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(afc, NpgsqlDbType.Uuid);
                await writer.WriteAsync("child-in-need", NpgsqlDbType.Text);
                await writer.WriteAsync("child-in-need", NpgsqlDbType.Text);
                await writer.WriteAsync(row.Dob.AddYears(25), NpgsqlDbType.Date);
                await writer.WriteAsync(status, NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow.AddDays(-30), NpgsqlDbType.TimestampTz);
                if (status == "pending")
                {
                    await writer.WriteNullAsync();
                    await writer.WriteNullAsync();
                    await writer.WriteNullAsync();
                    await writer.WriteNullAsync();
                }
                else
                {
                    await writer.WriteAsync(user, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(DateTime.UtcNow.AddDays(-7), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(status == "approved" ? "No further need to keep the record" : "Sibling's proceedings are still open", NpgsqlDbType.Text);
                    await WriteDateAsync(writer, status == "extended" ? asOf.AddDays(365 + random.Next(365 * 4)) : null);
                }
            }

            await writer.CompleteAsync();
        }

        // Merges: each duplicate was merged into its surviving record.
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY person_merges (id, survivor_id, duplicate_id, merged_by_user_id, merged_at, reason) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            foreach (var i in byKind[Kind.Duplicate])
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(rows[rows[i].MergedInto].Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(rows[i].Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(user, NpgsqlDbType.Uuid);
                await writer.WriteAsync(DateTime.UtcNow.AddYears(-12), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync("Same person recorded twice", NpgsqlDbType.Text);
            }

            await writer.CompleteAsync();
        }

        // Legal holds: one on each of a few due records, and holds the engine must check but that cover none of them.
        var familyCase = rows[byKind[Kind.AfcChild].First(i => rows[i].Mother >= 0)];
        var holds = byKind[Kind.SeesDue].Take(held).Select(i => ("person", (Guid?)rows[i].Id, (Guid?)sees, (string?)null, (string?)null))
            .Append(("case", familyCase.Id, afc, null, null))
            .Append(("record_type", null, afc, "adoption", null))
            .Append(("criterion", null, afc, null, "category-of-abuse:SAB"));
        foreach (var (scope, person, organisation, recordType, criterion) in holds)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO legal_holds (id, organisation_id, scope, person_id, record_type, criterion, reason, authority, starts_on, created_at)
                VALUES (gen_random_uuid(), @o, @s, @p, @r, @c, 'Litigation: disclosure may be required', 'Legal services', @starts, now())
                """, connection);
            command.Parameters.AddWithValue("o", NpgsqlDbType.Uuid, (object?)organisation ?? DBNull.Value);
            command.Parameters.AddWithValue("s", scope);
            command.Parameters.AddWithValue("p", NpgsqlDbType.Uuid, (object?)person ?? DBNull.Value);
            command.Parameters.AddWithValue("r", NpgsqlDbType.Text, (object?)recordType ?? DBNull.Value);
            command.Parameters.AddWithValue("c", NpgsqlDbType.Text, (object?)criterion ?? DBNull.Value);
            command.Parameters.AddWithValue("starts", asOf.AddYears(-1));
            await command.ExecuteNonQueryAsync();
        }

        var disposed = survivors.Select(i => rows[i].Id).Concat(byKind[Kind.Duplicate].Select(i => rows[i].Id)).ToArray();
        return new RetentionPlan(asOf, records, disposals, held, records * 2 / 100, disposed, await CountRowsAsync(connection));
    }

    /// <summary>The tables a disposal touches, and how many rows each holds.</summary>
    public static readonly string[] Tables =
    [
        "people", "addresses", "person_names", "involvements", "case_notes", "relationships", "households", "household_members",
        "record_access_grants", "retention_reviews", "person_merges", "legal_holds",
    ];

    public static async Task<Dictionary<string, long>> CountRowsAsync(NpgsqlConnection connection)
    {
        var result = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            command.CommandTimeout = 0;
            result[table] = (long)(await command.ExecuteScalarAsync())!;
        }

        await using (var participants = new NpgsqlCommand("SELECT count(*) FROM case_notes WHERE cardinality(participant_person_ids) > 0", connection))
        {
            participants.CommandTimeout = 0;
            result["case notes with participants"] = (long)(await participants.ExecuteScalarAsync())!;
        }

        await using (var mothers = new NpgsqlCommand("SELECT count(*) FROM people WHERE mother_id IS NOT NULL", connection))
        {
            mothers.CommandTimeout = 0;
            result["people with a mother"] = (long)(await mothers.ExecuteScalarAsync())!;
        }

        return result;
    }

    private static async Task WriteIdAsync(NpgsqlBinaryImporter writer, Guid? value)
    {
        if (value is { } id)
        {
            await writer.WriteAsync(id, NpgsqlDbType.Uuid);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }

    private static async Task WriteDateAsync(NpgsqlBinaryImporter writer, DateOnly? value)
    {
        if (value is { } date)
        {
            await writer.WriteAsync(date, NpgsqlDbType.Date);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is not null)
        {
            await writer.WriteAsync(value, NpgsqlDbType.Text);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }
}
