using Haven.Core.People;

namespace Haven.Tests.Unit.People;

public sealed class NameMatchingTests
{
    [Theory]
    [InlineData("Zoë", "zoe")]
    [InlineData("  Siobhán   Ní Bhriain ", "siobhan ni bhriain")]
    [InlineData("José María", "jose maria")]
    [InlineData("Zoe\u0308", "zoe")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("D\u2019Souza", "dsouza")]
    [InlineData("Smith - Jones", "smith-jones")]
    [InlineData("Anne--Marie", "anne-marie")]
    [InlineData("St. John", "st john")]
    [InlineData("Smith,John", "smith john")]
    [InlineData("Straße", "strasse")]
    [InlineData("ŁUKASZ Wiśniewski", "lukasz wisniewski")]
    [InlineData("Søren Ødegård", "soren odegard")]
    [InlineData("Олександр", "олександр")]
    [InlineData("-Bob-", "bob")]
    [InlineData("\U0001F600 Smile", "smile")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Names_are_normalised(string? input, string expected) => Assert.Equal(expected, NameMatching.Normalise(input));

    [Fact]
    public void Broken_unicode_does_not_stop_normalising()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate.
        var broken = string.Concat("Bro", char.ConvertFromUtf32(0x1F600)[..1], "ken");
        Assert.Equal("broken", NameMatching.Normalise(broken));
        Assert.Equal("BRKN", NameMatching.SoundKey(broken));
    }

    [Theory]
    [InlineData("Bill", "William")]
    [InlineData("William", "Liam")]
    [InlineData("Liz", "Elizabeth")]
    [InlineData("Betty", "Elizabeth")]
    [InlineData("Peggy", "Margaret")]
    [InlineData("Bob", "Robert")]
    [InlineData("Kate", "Catherine")]
    [InlineData("Catherine", "Kathryn")]
    [InlineData("Sandy", "Alexander")]
    [InlineData("Oleksandr", "Aleksander")]
    [InlineData("Jack", "John")]
    [InlineData("Jonathan", "Jon")]
    [InlineData("Mohammed", "Muhammad")]
    [InlineData("Mohamed", "Mohammad")]
    [InlineData("Stephen", "Steven")]
    [InlineData("Aisha", "Ayesha")]
    [InlineData("Yusuf", "Youssef")]
    [InlineData("Zoë", "Zoey")]
    public void Nicknames_and_spellings_match_in_both_directions(string a, string b)
    {
        Assert.True(NameMatching.AreVariants(a, b));
        Assert.True(NameMatching.AreVariants(b, a));
        Assert.Contains(NameMatching.Normalise(b), NameMatching.Variants(a));
        Assert.Contains(NameMatching.Normalise(a), NameMatching.Variants(b));
    }

    [Fact]
    public void Variants_include_the_name_itself_and_do_not_chain_through_shared_short_forms()
    {
        Assert.Contains("william", NameMatching.Variants("William"));
        Assert.Equal("zebedee", Assert.Single(NameMatching.Variants("Zebedee")));
        Assert.Empty(NameMatching.Variants("  "));
        Assert.Contains("alexander", NameMatching.Variants("Alex"));
        Assert.Contains("alexandra", NameMatching.Variants("Alex"));
        Assert.False(NameMatching.AreVariants("Alexander", "Alexandra"));
        Assert.False(NameMatching.AreVariants("John", "Ian"));
        Assert.False(NameMatching.AreVariants("Bill", "Robert"));
    }

    [Fact]
    public void The_variant_table_is_normalised_and_big_enough()
    {
        Assert.True(NameMatching.VariantGroups.Count >= 80, $"{NameMatching.VariantGroups.Count} groups");
        Assert.All(NameMatching.VariantGroups, group =>
        {
            Assert.True(group.Count >= 2);
            Assert.Equal(group.Count, group.Distinct().Count());
            Assert.All(group, name => Assert.Equal(NameMatching.Normalise(name), name));
        });
    }

    [Theory]
    [InlineData("Smith", "Smyth", "SMT")]
    [InlineData("Catherine", "Kathryn", "KTRN")]
    [InlineData("Mohammed", "Muhammad", "MHMT")]
    [InlineData("Mohamed", "Mohammad", "MHMT")]
    [InlineData("Stephen", "Steven", "STFN")]
    [InlineData("Philip", "Filip", "FLP")]
    [InlineData("Thomas", "Tomasz", "TMS")]
    [InlineData("Christopher", "Kristopher", "KRSTFR")]
    [InlineData("Aisha", "Ayesha", "AX")]
    [InlineData("Knight", "Night", "NT")]
    [InlineData("Smidt", "Smith", "SMT")]
    public void Sound_alike_names_share_a_key(string a, string b, string key)
    {
        Assert.Equal(key, NameMatching.SoundKey(a));
        Assert.Equal(key, NameMatching.SoundKey(b));
    }

    [Theory]
    [InlineData("Smith", "Jones")]
    [InlineData("Tate", "Tait-Thomas")]
    [InlineData("Khan", "Kane-Smith")]
    [InlineData("Ali", "Allen")]
    public void Different_sounding_names_have_different_keys(string a, string b) =>
        Assert.NotEqual(NameMatching.SoundKey(a), NameMatching.SoundKey(b));

    [Fact]
    public void Sound_keys_are_per_word_and_ignore_other_scripts()
    {
        Assert.Equal("MR JN", NameMatching.SoundKey("Mary-Jane"));
        Assert.Equal(string.Empty, NameMatching.SoundKey("Олександр"));
        Assert.Equal(string.Empty, NameMatching.SoundKey(null));
    }

    // Expected values from PostgreSQL 15's pg_trgm similarity(), which returns a float4.
    [Theory]
    [InlineData("word", "two words", 0.36363637)]
    [InlineData("hello", "hallo", 0.33333334)]
    [InlineData("Smith", "Smyth", 0.33333334)]
    [InlineData("cat", "cats", 0.5)]
    [InlineData("Catherine", "Kathryn", 0.05882353)]
    [InlineData("Mohammed", "Muhammad", 0.2)]
    [InlineData("O'Brien", "OBrien", 0.5)]
    [InlineData("Zoë", "Zoe", 0.33333334)]
    [InlineData("a", "a", 1)]
    [InlineData("", "abc", 0)]
    [InlineData("!!", "!!", 0)]
    public void Trigram_similarity_matches_pg_trgm(string a, string b, double expected)
    {
        Assert.Equal(expected, NameMatching.Similarity(a, b), 6);
        Assert.Equal(expected, NameMatching.Similarity(b, a), 6);
    }

    [Fact]
    public void Exact_and_normalised_matches_score_one()
    {
        Assert.Equal(1.0, NameMatching.Score("Zoë", "O'Neill", "zoe", "ONeill"));
        Assert.Equal(1.0, NameMatching.Score("Anne-Marie", "Smith", "Anne Marie", "SMITH"));
    }

    [Theory]
    [InlineData("Bill", "Smith", "William", "Smith")]
    [InlineData("Kate", "Brown", "Catherine", "Brown")]
    [InlineData("Mohammed", "Khan", "Muhammad", "Khan")]
    [InlineData("Steven", "Clarke", "Stephen", "Clark")]
    [InlineData("Jon", "Smith", "Jonathan", "Smyth")]
    [InlineData("Aleksander", "Nowak", "Oleksandr", "Nowak")]
    public void Nicknames_and_sound_alikes_score_high(string qg, string qf, string cg, string cf) =>
        Assert.InRange(NameMatching.Score(qg, qf, cg, cf), 0.8, 1.0);

    [Fact]
    public void Swapped_given_and_family_names_score_high()
    {
        var swapped = NameMatching.Score("Ahmed", "Hussain", "Hussain", "Ahmed");
        Assert.InRange(swapped, 0.85, 0.95);
        Assert.True(NameMatching.Score("Ahmed", "Hussain", "Ahmed", "Hussain") > swapped);
    }

    [Theory]
    [InlineData("John", "Smith", "Aisha", "Khan")]
    [InlineData("Olivia", "Brown", "Tomasz", "Kowalski")]
    [InlineData("Amelia", "Jones", "Kwame", "Mensah")]
    public void Unrelated_names_score_low(string qg, string qf, string cg, string cf) =>
        Assert.InRange(NameMatching.Score(qg, qf, cg, cf), 0.0, 0.2);

    [Fact]
    public void Partial_matches_rank_between()
    {
        var sameFamilyOnly = NameMatching.Score("John", "Smith", "Peter", "Smith");
        Assert.InRange(sameFamilyOnly, 0.5, 0.7);
        var initial = NameMatching.Score("J", "Smith", "John", "Smith");
        Assert.True(initial > sameFamilyOnly && initial < 1);
        var doubleBarrelled = NameMatching.Score("Mary", "Smith", "Mary", "Smith-Jones");
        Assert.InRange(doubleBarrelled, 0.9, 0.99);
    }

    [Fact]
    public void One_part_searches_score_that_part_and_blank_searches_score_zero()
    {
        Assert.Equal(1.0, NameMatching.Score(null, "Smith", "Anyone", "Smith"));
        Assert.Equal(NameMatching.SoundAlikeScore, NameMatching.Score(null, "Smith", "Anyone", "Smyth"));
        Assert.Equal(NameMatching.VariantScore, NameMatching.Score("Bill", " ", "William", "Jones"));
        Assert.Equal(0, NameMatching.Score(" ", null, "John", "Smith"));
        Assert.Equal(0, NameMatching.Score("John", "Smith", null, null));
    }
}
