using System.Globalization;
using System.Text;

namespace Haven.Core.Validation;

/// <summary>Checks applied to every free-text value before it is stored: length, control characters, broken Unicode.</summary>
public static class TextInput
{
    /// <summary>Returns an error message naming the field, or null when the value is acceptable.</summary>
    public static string? Check(string? value, string fieldLabel, int maxLength, bool required = true, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? $"Enter {fieldLabel.ToLowerInvariant()}" : null;
        }

        if (value.Length > maxLength)
        {
            return $"{fieldLabel} must be {maxLength} characters or fewer";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return $"{fieldLabel} contains a character that cannot be stored";
                }

                i++;
                continue;
            }

            if (char.IsLowSurrogate(c) || c is '\uFFFD' or '\uFFFE' or '\uFFFF')
            {
                return $"{fieldLabel} contains a character that cannot be stored";
            }

            var allowedControl = multiline && c is '\n' or '\r' or '\t';
            var category = char.GetUnicodeCategory(c);
            if (!allowedControl && c != '\u200D' && category is UnicodeCategory.Control or UnicodeCategory.Format)
            {
                return $"{fieldLabel} must not contain control or invisible formatting characters";
            }
        }

        return null;
    }

    /// <summary>Trims and normalises to Unicode NFC, so the same text is always stored the same way.</summary>
    public static string Clean(string value) => value.Trim().Normalize(NormalizationForm.FormC);

    public static string? CheckEmail(string? value, string fieldLabel = "Email address")
    {
        var error = Check(value, fieldLabel, 254);
        if (error is not null)
        {
            return error;
        }

        var trimmed = value!.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1
            || !trimmed[(at + 1)..].Contains('.', StringComparison.Ordinal) || trimmed.Any(char.IsWhiteSpace))
        {
            return "Enter an email address in the correct format, like name@example.org";
        }

        return null;
    }

    public static string NormaliseEmail(string email) => Clean(email).ToUpperInvariant();
}
