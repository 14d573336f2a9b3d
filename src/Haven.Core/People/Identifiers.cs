using System.Text;
using System.Text.RegularExpressions;

namespace Haven.Core.People;

/// <summary>
/// The outcome of checking an identifier typed into a form: either the value in the one form it is stored in
/// (null when an optional field was left blank), or an error message for the field.
/// </summary>
public sealed record IdentifierResult
{
    private IdentifierResult(string? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The normalised value, or null when the field was optional and left blank, or the input was not valid.</summary>
    public string? Value { get; }

    /// <summary>An error message in GOV.UK style naming the field, or null when the input is acceptable.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    /// <summary>True when the input was acceptable and blank (an optional field left empty).</summary>
    public bool IsEmpty => Error is null && Value is null;

    public static IdentifierResult Valid(string value) => new(value, null);

    public static IdentifierResult Blank { get; } = new(null, null);

    public static IdentifierResult Invalid(string error) => new(null, error);
}

/// <summary>
/// NHS numbers (England, Wales and the Isle of Man): 10 digits, the last a modulus 11 check digit.
/// The first 9 digits are weighted 10 down to 2 and summed; the check digit is 11 minus the remainder
/// after dividing by 11, where 11 becomes 0 and 10 means no valid number has those first 9 digits.
/// </summary>
public static class NhsNumber
{
    /// <summary>A well-known valid NHS number, in the way people write it. Used in messages.</summary>
    public const string Example = "943 476 5919";

    public const string RequiredMessage = "Enter the NHS number";
    public const string CharactersMessage = "NHS number must only include numbers 0 to 9, spaces and hyphens";
    public const string LengthMessage = "Enter the NHS number as 10 digits, like " + Example;
    public const string CheckDigitMessage = "NHS number is not valid: check the digits";
    public const string RepeatedDigitMessage = "NHS number is not valid: it cannot be the same digit 10 times";

    /// <summary>
    /// Checks an NHS number as typed: spaces and hyphens anywhere are ignored. On success the value is the 10 digits
    /// with nothing between them.
    /// </summary>
    /// <remarks>
    /// Numbers made of one digit repeated (0000000000, 1111111111 and so on) all pass the modulus 11 check, because the
    /// weights 10..2 sum to 54 and 54d ≡ −d (mod 11). They are placeholders, never real numbers, so they are refused.
    /// </remarks>
    public static IdentifierResult Check(string? input, bool required = false)
    {
        var digits = new StringBuilder(10);
        var sawAnything = false;
        foreach (var c in input ?? string.Empty)
        {
            if (char.IsWhiteSpace(c) || IsHyphen(c))
            {
                continue;
            }

            sawAnything = true;
            if (!char.IsAsciiDigit(c))
            {
                return IdentifierResult.Invalid(CharactersMessage);
            }

            digits.Append(c);
        }

        if (!sawAnything)
        {
            return required ? IdentifierResult.Invalid(RequiredMessage) : IdentifierResult.Blank;
        }

        if (digits.Length != 10)
        {
            return IdentifierResult.Invalid(LengthMessage);
        }

        var number = digits.ToString();
        if (number.All(c => c == number[0]))
        {
            return IdentifierResult.Invalid(RepeatedDigitMessage);
        }

        if (CheckDigit(number.AsSpan(0, 9)) != number[9] - '0')
        {
            return IdentifierResult.Invalid(CheckDigitMessage);
        }

        return IdentifierResult.Valid(number);
    }

    /// <summary>True when <paramref name="input"/> is a valid NHS number (blank is not valid).</summary>
    public static bool IsValid(string? input) => Check(input, required: true).IsValid;

    /// <summary>
    /// The modulus 11 check digit for the first 9 digits of an NHS number, or null when the remainder gives 10,
    /// which means no NHS number starts with those digits.
    /// </summary>
    public static int? CheckDigit(ReadOnlySpan<char> firstNineDigits)
    {
        if (firstNineDigits.Length != 9)
        {
            throw new ArgumentException("An NHS number check digit is worked out from exactly 9 digits.", nameof(firstNineDigits));
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var c = firstNineDigits[i];
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("An NHS number check digit is worked out from digits 0 to 9 only.", nameof(firstNineDigits));
            }

            sum += (c - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }

    /// <summary>
    /// Writes an NHS number the way people read it: 3, 3 and 4 digits, like 943 476 5919. Accepts the stored 10 digits or
    /// any input with spaces or hyphens; anything that is not 10 digits is returned unchanged, so showing a record never fails.
    /// </summary>
    public static string Format(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var digits = new string(value.Where(c => !char.IsWhiteSpace(c) && !IsHyphen(c)).ToArray());
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return value;
        }

        return $"{digits[..3]} {digits[3..6]} {digits[6..]}";
    }

    internal static bool IsHyphen(char c) => c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212';
}

/// <summary>
/// Unique pupil numbers (UPNs), allocated by the Department for Education's national formula: a check letter, then the
/// 3-digit local authority number, the 4-digit establishment number, the last 2 digits of the year of allocation and a
/// 3-digit serial. A temporary UPN replaces the last serial digit with a letter.
/// </summary>
/// <remarks>
/// The check letter: multiply the characters in positions 2 to 13 by their position (2 to 13), add the products, take the
/// remainder after dividing by 23, and map 0–22 onto A–Z without I, O and S. In a temporary UPN the letter in position 13
/// counts as its place in that same 23-letter alphabet (A = 0, B = 1 … Z = 22); I, O and S are never used there either.
/// </remarks>
public static class UniquePupilNumber
{
    /// <summary>The 23 letters used for the check letter and the last character of a temporary UPN, in value order.</summary>
    public const string Alphabet = "ABCDEFGHJKLMNPQRTUVWXYZ";

    /// <summary>A valid example (LA 801, establishment 2000, year 01, serial 001), used in messages.</summary>
    public const string Example = "H801200001001";

    public const string RequiredMessage = "Enter the unique pupil number (UPN)";
    public const string LengthMessage = "Enter the UPN as 13 characters, like " + Example;
    public const string FormatMessage = "UPN must be a letter followed by 12 numbers, like " + Example
        + " (a temporary UPN ends in a letter)";
    public const string LastLetterMessage = "UPN is not valid: the last character cannot be I, O or S";
    public const string CheckLetterMessage = "UPN is not valid: the first letter does not match the rest of the number. Check the UPN";

    /// <summary>
    /// Checks a UPN as typed: surrounding and inner spaces are ignored and letters may be lower case. On success the
    /// value is the 13 characters in upper case.
    /// </summary>
    public static IdentifierResult Check(string? input, bool required = false)
    {
        var upn = Normalise(input);
        if (upn.Length == 0)
        {
            return required ? IdentifierResult.Invalid(RequiredMessage) : IdentifierResult.Blank;
        }

        if (upn.Length != 13)
        {
            return IdentifierResult.Invalid(LengthMessage);
        }

        if (!char.IsAsciiLetterUpper(upn[0]) || !upn[1..12].All(char.IsAsciiDigit)
            || !(char.IsAsciiDigit(upn[12]) || char.IsAsciiLetterUpper(upn[12])))
        {
            return IdentifierResult.Invalid(FormatMessage);
        }

        var expected = CheckLetter(upn.AsSpan(1));
        if (expected is null)
        {
            return IdentifierResult.Invalid(LastLetterMessage);
        }

        return upn[0] == expected ? IdentifierResult.Valid(upn) : IdentifierResult.Invalid(CheckLetterMessage);
    }

    /// <summary>True when <paramref name="input"/> is a valid permanent or temporary UPN (blank is not valid).</summary>
    public static bool IsValid(string? input) => Check(input, required: true).IsValid;

    /// <summary>True for a valid temporary UPN (one ending in a letter).</summary>
    public static bool IsTemporary(string? input)
    {
        var result = Check(input, required: true);
        return result.Value is { } upn && char.IsAsciiLetter(upn[12]);
    }

    /// <summary>Upper case with all white space removed. Does not check anything.</summary>
    public static string Normalise(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The check letter for the 12 characters after it (11 digits, then a digit or, for a temporary UPN, a letter), or
    /// null when the last character is a letter outside the 23-letter alphabet.
    /// </summary>
    public static char? CheckLetter(ReadOnlySpan<char> lastTwelve)
    {
        if (lastTwelve.Length != 12)
        {
            throw new ArgumentException("A UPN check letter is worked out from exactly 12 characters.", nameof(lastTwelve));
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var c = char.ToUpperInvariant(lastTwelve[i]);
            int value;
            if (char.IsAsciiDigit(c))
            {
                value = c - '0';
            }
            else if (i == 11 && Alphabet.Contains(c, StringComparison.Ordinal))
            {
                value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            }
            else if (i == 11 && char.IsAsciiLetter(c))
            {
                return null;
            }
            else
            {
                throw new ArgumentException("A UPN has digits in positions 2 to 12 and a digit or letter in position 13.", nameof(lastTwelve));
            }

            sum += value * (i + 2);
        }

        return Alphabet[sum % 23];
    }
}

/// <summary>
/// UK postcodes in the standard Royal Mail formats: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA, and GIR 0AA.
/// </summary>
/// <remarks>
/// Besides the shape, the letter rules of the format are applied: Q, V and X are not used first; I, J and Z are not used
/// second; only A–H, J, K, P, S, T, U and W appear third in A9A districts; only A, B, E, H, M, N, P, R, V, W, X and Y
/// appear fourth in AA9A districts; the inward code never uses C, I, K, M, O or V. British overseas territories' codes
/// (like ASCN 1ZZ) and BFPO numbers are not accepted. The check is on the format only: it does not know whether the
/// postcode has been issued.
/// </remarks>
public static partial class Postcode
{
    public const string Example = "SW1A 2AA";

    public const string RequiredMessage = "Enter a postcode";
    public const string FormatMessage = "Enter a real postcode, like " + Example;

    /// <summary>Checks a postcode as typed, in any case and with or without spaces. On success the value is normalised.</summary>
    public static IdentifierResult Check(string? input, bool required = false)
    {
        var compact = Compact(input);
        if (compact.Length == 0)
        {
            return required ? IdentifierResult.Invalid(RequiredMessage) : IdentifierResult.Blank;
        }

        if (compact.Length is < 5 or > 7 || !Shape().IsMatch(compact))
        {
            return IdentifierResult.Invalid(FormatMessage);
        }

        return IdentifierResult.Valid($"{compact[..^3]} {compact[^3..]}");
    }

    /// <summary>True when <paramref name="input"/> is a postcode in a valid format (blank is not valid).</summary>
    public static bool IsValid(string? input) => Check(input, required: true).IsValid;

    /// <summary>
    /// The postcode in upper case with one space before the inward code (the last 3 characters), or null when the
    /// input is not a valid postcode.
    /// </summary>
    public static string? Normalise(string? input) => Check(input, required: true).Value;

    private static string Compact(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    // Outward code: A9, A99, AA9, AA99, A9A or AA9A with the letter rules above; inward code: 9AA. Plus GIR 0AA.
    [GeneratedRegex(
        "^(?:GIR0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
