using Npgsql;
using NpgsqlTypes;

namespace Haven.Core.Demo;

public sealed record GeneratedPerson(Guid Id, string GivenName, string FamilyName, DateOnly DateOfBirth);

/// <summary>
/// Large volumes of synthetic people and case notes for benchmarks and load tests, written with COPY. Every name is
/// drawn from common-name lists and combined at random; NHS numbers come from the 999 range the NHS never issues.
/// Generated people belong to no team, so they appear on nobody's caseload.
/// </summary>
public static class VolumeGenerator
{
    private static readonly string[] ContactTypes = ["visit", "phone_call", "letter", "email", "meeting"];
    private static readonly string[] Sources = ["family", "carer", "gp", "police", "school", "health_visitor", "other_agency", "child"];

    private const string NoteText = "Visited the family at home. The children were present and appeared well; the kitchen had food and the home was warm. "
        + "Discussed school attendance and the plan for the coming weeks with the parent, who agreed to the next steps.";

    private static readonly string[] Given =
    [
        "Oliver", "George", "Arthur", "Noah", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Theo",
        "Alfie", "Jacob", "Thomas", "Finley", "Arlo", "William", "Lucas", "Roman", "Tommy", "Isaac", "Teddy", "Alexander", "Luca", "Edward", "James",
        "Joshua", "Albie", "Elijah", "Max", "Mohammed", "Reuben", "Mason", "Sebastian", "Rory", "Jude", "Louie", "Benjamin", "Ethan", "Adam", "Hugo",
        "Joseph", "Reggie", "Ronnie", "Louis", "Frankie", "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie",
        "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper",
        "Millie", "Matilda", "Maya", "Sophie", "Alice", "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila", "Bonnie", "Eva",
        "Hallie", "Scarlett", "Layla", "Violet", "Nancy", "Aisha", "Fatima", "Zara", "Amara", "Chloe", "Jessica", "Hannah", "Katie", "Lauren", "Megan",
        "Rebecca", "Samantha", "Bethany", "Danielle", "Kayleigh", "Jordan", "Connor", "Kyle", "Liam", "Callum", "Reece", "Bradley", "Jake", "Lewis", "Ryan",
        "Aleksander", "Kacper", "Zuzanna", "Oluwaseun", "Chidi", "Adebayo", "Priya", "Arjun", "Rohan", "Ananya", "Ayesha", "Bilal", "Hamza", "Yusuf",
        "Mariam", "Siobhan", "Ciaran", "Niamh", "Aoife", "Eilidh", "Catherine", "Katherine", "Elizabeth", "Margaret", "Robert", "Stephen", "Steven",
    ];

    private static readonly string[] Family =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright",
        "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper",
        "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
        "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
        "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster",
        "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
        "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
        "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford",
        "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts",
        "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster",
        "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins",
        "Nowak", "Kowalski", "Wiśniewski", "Okafor", "Adeyemi", "Mensah", "Osei", "Nguyen", "Chen", "Wang", "Rahman", "Chowdhury", "Mahmood", "Iqbal",
        "Brennan", "Whitfield", "Achebe", "Fernandes", "Novak", "Moreau", "Haddad", "Kowalczyk", "Lindqvist", "Castellano", "Oyelaran", "Raman",
    ];

    /// <summary>Adds people (and, optionally, case notes for them). Returns up to <paramref name="sample"/> of the people made, for benchmarks to look for.</summary>
    public static async Task<IReadOnlyList<GeneratedPerson>> GenerateAsync(NpgsqlConnection connection, Guid organisationId, Guid authorUserId, int people,
        int notesPerPerson, Random random, int sample = 5000, int serialOffset = 0, CancellationToken cancellationToken = default)
    {
        var chosen = new List<GeneratedPerson>(Math.Min(sample, people));
        var ids = new Guid[people];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY people (id, organisation_id, person_type, given_name, family_name, date_of_birth, nhs_number, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            for (var i = 0; i < people; i++)
            {
                var id = Guid.NewGuid();
                ids[i] = id;
                var given = Given[random.Next(Given.Length)];
                var family = Family[random.Next(Family.Length)];
                if (random.Next(3) == 0)
                {
                    family += "-" + Family[random.Next(Family.Length)];
                }

                var dob = today.AddDays(-random.Next(0, 365 * 60));
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(organisationId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(random.Next(4) == 0 ? "adult" : "child", NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(given, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(family, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(dob, NpgsqlDbType.Date, cancellationToken);
                await writer.WriteAsync(DemoSeeder.DemoNhsNumber(serialOffset + i + 1), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz, cancellationToken);
                if (chosen.Count < sample && random.Next(Math.Max(1, people / sample)) == 0)
                {
                    chosen.Add(new GeneratedPerson(id, given, family, dob));
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        if (notesPerPerson > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY case_notes (id, person_id, contact_type, contact_date, text, source, created_by_user_id, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
            writer.Timeout = TimeSpan.FromHours(1);
            var start = today.AddYears(-10);
            foreach (var person in ids)
            {
                for (var n = 0; n < notesPerPerson; n++)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(person, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(ContactTypes[random.Next(ContactTypes.Length)], NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(start.AddDays(random.Next(3650)), NpgsqlDbType.Date, cancellationToken);
                    await writer.WriteAsync(NoteText, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(Sources[random.Next(Sources.Length)], NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(authorUserId, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return chosen;
    }
}
