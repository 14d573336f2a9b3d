using Haven.Core.People;

namespace Haven.Tests.Unit.People;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("9434765919", "9434765919")]
    [InlineData("943 476 5919", "9434765919")]
    [InlineData("943-476-5919", "9434765919")]
    [InlineData("  943 476 5919  ", "9434765919")]
    [InlineData("4010232137", "4010232137")]
    [InlineData("401 023 2137", "4010232137")]
    [InlineData("9876543210", "9876543210")] // remainder 0: the check digit 11 becomes 0
    public void Valid_NHS_numbers_are_normalised_to_10_digits(string input, string expected)
    {
        var result = NhsNumber.Check(input);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value);
        Assert.True(NhsNumber.IsValid(input));
    }

    [Theory]
    [InlineData("9434765918", NhsNumber.CheckDigitMessage)]
    [InlineData("9434765910", NhsNumber.CheckDigitMessage)]
    [InlineData("4010232138", NhsNumber.CheckDigitMessage)]
    [InlineData("1000000010", NhsNumber.CheckDigitMessage)] // the first 9 digits give check digit 10: never valid
    [InlineData("943476591", NhsNumber.LengthMessage)]
    [InlineData("94347659190", NhsNumber.LengthMessage)]
    [InlineData("943 476 591", NhsNumber.LengthMessage)]
    [InlineData("943476591X", NhsNumber.CharactersMessage)]
    [InlineData("NHS 943 476 5919", NhsNumber.CharactersMessage)]
    [InlineData("943.476.5919", NhsNumber.CharactersMessage)]
    [InlineData("٩٤٣٤٧٦٥٩١٩", NhsNumber.CharactersMessage)] // Arabic-Indic digits are not accepted
    [InlineData("0000000000", NhsNumber.RepeatedDigitMessage)]
    [InlineData("1111111111", NhsNumber.RepeatedDigitMessage)]
    [InlineData("999 999 9999", NhsNumber.RepeatedDigitMessage)]
    public void Invalid_NHS_numbers_say_what_is_wrong(string input, string expected)
    {
        var result = NhsNumber.Check(input);
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void Every_repeated_digit_number_passes_the_check_digit_but_is_refused()
    {
        for (var d = '0'; d <= '9'; d++)
        {
            var number = new string(d, 10);
            Assert.Equal(d - '0', NhsNumber.CheckDigit(number.AsSpan(0, 9)));
            Assert.Equal(NhsNumber.RepeatedDigitMessage, NhsNumber.Check(number).Error);
        }
    }

    [Fact]
    public void Blank_NHS_numbers_are_fine_unless_required()
    {
        Assert.True(NhsNumber.Check(null).IsEmpty);
        Assert.True(NhsNumber.Check("  ").IsEmpty);
        Assert.True(NhsNumber.Check(" - ").IsEmpty);
        Assert.Equal(NhsNumber.RequiredMessage, NhsNumber.Check("", required: true).Error);
        Assert.False(NhsNumber.IsValid(null));
    }

    [Fact]
    public void Messages_are_distinct_and_the_example_is_valid()
    {
        string[] messages =
        [
            NhsNumber.RequiredMessage, NhsNumber.CharactersMessage, NhsNumber.LengthMessage, NhsNumber.CheckDigitMessage,
            NhsNumber.RepeatedDigitMessage,
        ];
        Assert.Equal(messages.Length, messages.Distinct().Count());
        Assert.All(messages, m => Assert.Contains("NHS number", m, StringComparison.Ordinal));
        Assert.True(NhsNumber.IsValid(NhsNumber.Example));
    }

    [Theory]
    [InlineData("9434765919", "943 476 5919")]
    [InlineData("943-476-5919", "943 476 5919")]
    [InlineData("12345", "12345")]
    [InlineData(null, "")]
    public void NHS_numbers_are_formatted_3_3_4(string? input, string expected) => Assert.Equal(expected, NhsNumber.Format(input));

    [Fact]
    public void Random_valid_NHS_numbers_validate_and_any_single_digit_change_is_caught()
    {
        var random = new Random(20240917);
        var generated = 0;
        while (generated < 2000)
        {
            var first9 = string.Concat(Enumerable.Range(0, 9).Select(_ => (char)('0' + random.Next(10))));
            if (NhsNumber.CheckDigit(first9) is not { } check)
            {
                continue;
            }

            var number = first9 + (char)('0' + check);
            if (number.All(c => c == number[0]))
            {
                continue;
            }

            generated++;
            Assert.True(NhsNumber.IsValid(number), number);
            Assert.Equal(number, NhsNumber.Check(NhsNumber.Format(number)).Value);

            for (var position = 0; position < 10; position++)
            {
                for (var digit = '0'; digit <= '9'; digit++)
                {
                    if (digit == number[position])
                    {
                        continue;
                    }

                    var changed = string.Concat(number.AsSpan(0, position), [digit], number.AsSpan(position + 1));
                    Assert.False(NhsNumber.IsValid(changed), $"{number} changed to {changed} still validates");
                }
            }
        }
    }

    [Fact]
    public void NHS_check_digit_needs_exactly_nine_digits()
    {
        Assert.Throws<ArgumentException>(() => NhsNumber.CheckDigit("12345678"));
        Assert.Throws<ArgumentException>(() => NhsNumber.CheckDigit("12345678X"));
        Assert.Null(NhsNumber.CheckDigit("100000001"));
    }

    // Check letters worked by hand: H801200001001 sums 2×8 + 4×1 + 5×2 + 10×1 + 13×1 = 53 = 2×23 + 7 → H.
    // A950000178301 and H243278544154 are the valid examples from the children in need census validator's tests.
    [Theory]
    [InlineData("H801200001001")]
    [InlineData("h801200001001")]
    [InlineData(" H801 2000 01001 ")]
    [InlineData("A950000178301")]
    [InlineData("H243278544154")]
    public void Valid_UPNs_are_normalised_to_upper_case(string input)
    {
        var result = UniquePupilNumber.Check(input);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(UniquePupilNumber.Normalise(input), result.Value);
        Assert.Equal(13, result.Value!.Length);
        Assert.False(UniquePupilNumber.IsTemporary(input));
    }

    // Temporary UPNs: the last letter counts as its place in the 23-letter alphabet.
    // U80120000100A: 2×8 + 4×1 + 5×2 + 10×1 + 13×0 = 40 = 23 + 17 → U.
    // E80120000100Z: 40 + 13×22 = 326 = 14×23 + 4 → E.
    [Theory]
    [InlineData("U80120000100A")]
    [InlineData("e80120000100z")]
    public void Temporary_UPNs_end_in_a_letter(string input)
    {
        Assert.True(UniquePupilNumber.IsValid(input));
        Assert.True(UniquePupilNumber.IsTemporary(input));
    }

    [Theory]
    [InlineData("A801200001001", UniquePupilNumber.CheckLetterMessage)]
    [InlineData("R247962919251", UniquePupilNumber.CheckLetterMessage)]
    [InlineData("X428558133462", UniquePupilNumber.CheckLetterMessage)]
    [InlineData("I801200001001", UniquePupilNumber.CheckLetterMessage)]
    [InlineData("A80120000100B", UniquePupilNumber.CheckLetterMessage)]
    [InlineData("H80120000100I", UniquePupilNumber.LastLetterMessage)]
    [InlineData("H80120000100O", UniquePupilNumber.LastLetterMessage)]
    [InlineData("H80120000100S", UniquePupilNumber.LastLetterMessage)]
    [InlineData("H80120000100", UniquePupilNumber.LengthMessage)]
    [InlineData("H8012000010011", UniquePupilNumber.LengthMessage)]
    [InlineData("8801200001001", UniquePupilNumber.FormatMessage)]
    [InlineData("H8012000A1001", UniquePupilNumber.FormatMessage)]
    [InlineData("H80120000100-", UniquePupilNumber.FormatMessage)]
    public void Invalid_UPNs_say_what_is_wrong(string input, string expected) =>
        Assert.Equal(expected, UniquePupilNumber.Check(input).Error);

    [Fact]
    public void UPN_example_in_the_messages_is_valid_and_blank_is_fine_unless_required()
    {
        Assert.True(UniquePupilNumber.IsValid(UniquePupilNumber.Example));
        Assert.Contains(UniquePupilNumber.Example, UniquePupilNumber.LengthMessage, StringComparison.Ordinal);
        Assert.Equal('H', UniquePupilNumber.CheckLetter("801200001001"));
        Assert.True(UniquePupilNumber.Check(" ").IsEmpty);
        Assert.Equal(UniquePupilNumber.RequiredMessage, UniquePupilNumber.Check(null, required: true).Error);
        Assert.Equal(23, UniquePupilNumber.Alphabet.Length);
        Assert.DoesNotContain('I', UniquePupilNumber.Alphabet);
        Assert.DoesNotContain('O', UniquePupilNumber.Alphabet);
        Assert.DoesNotContain('S', UniquePupilNumber.Alphabet);
    }

    [Fact]
    public void Every_UPN_check_letter_changes_when_one_digit_changes()
    {
        var random = new Random(801);
        for (var n = 0; n < 500; n++)
        {
            var digits = string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + random.Next(10))));
            var upn = $"{UniquePupilNumber.CheckLetter(digits)}{digits}";
            Assert.True(UniquePupilNumber.IsValid(upn), upn);
            var position = random.Next(1, 13);
            var replacement = (char)('0' + ((upn[position] - '0' + random.Next(1, 10)) % 10));
            var changed = string.Concat(upn.AsSpan(0, position), [replacement], upn.AsSpan(position + 1));
            Assert.False(UniquePupilNumber.IsValid(changed), $"{upn} changed to {changed} still validates");
        }
    }

    [Theory]
    [InlineData("M1 1AE", "M1 1AE")] // A9 9AA
    [InlineData("B33 8TH", "B33 8TH")] // A99 9AA
    [InlineData("CR2 6XH", "CR2 6XH")] // AA9 9AA
    [InlineData("DN55 1PT", "DN55 1PT")] // AA99 9AA
    [InlineData("W1A 0AX", "W1A 0AX")] // A9A 9AA
    [InlineData("EC1A 1BB", "EC1A 1BB")] // AA9A 9AA
    [InlineData("SW1A 2AA", "SW1A 2AA")]
    [InlineData("sw1a2aa", "SW1A 2AA")]
    [InlineData("  sw1a   2aa ", "SW1A 2AA")]
    [InlineData("ls11ab", "LS1 1AB")]
    [InlineData("GIR 0AA", "GIR 0AA")]
    [InlineData("gir0aa", "GIR 0AA")]
    public void Valid_postcodes_are_normalised(string input, string expected)
    {
        var result = Postcode.Check(input);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value);
        Assert.Equal(expected, Postcode.Normalise(input));
    }

    [Theory]
    [InlineData("SW1A2AAA")]
    [InlineData("12345")]
    [InlineData("ZZ")]
    [InlineData("SW1A")]
    [InlineData("SW1A 2A")]
    [InlineData("QA1 1AA")] // Q is not used first
    [InlineData("AZ1 1AA")] // Z is not used second
    [InlineData("W1I 1AA")] // I is not used third in A9A
    [InlineData("EC1C 1BB")] // C is not used fourth in AA9A
    [InlineData("SW1A 2CA")] // C is not used in the inward code
    [InlineData("SW1A-2AA")]
    [InlineData("SW1A 2AA 1")]
    [InlineData("ASCN 1ZZ")]
    public void Invalid_postcodes_ask_for_a_real_one(string input)
    {
        Assert.Equal(Postcode.FormatMessage, Postcode.Check(input).Error);
        Assert.Null(Postcode.Normalise(input));
    }

    [Fact]
    public void Postcode_messages_follow_the_pattern()
    {
        Assert.Equal("Enter a real postcode, like SW1A 2AA", Postcode.FormatMessage);
        Assert.True(Postcode.IsValid(Postcode.Example));
        Assert.True(Postcode.Check("").IsEmpty);
        Assert.Equal(Postcode.RequiredMessage, Postcode.Check("", required: true).Error);
    }
}
