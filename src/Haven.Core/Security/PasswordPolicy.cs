using System.Security.Cryptography;

namespace Haven.Core.Security;

/// <summary>NCSC-style password rules: length over complexity, and no well-known passwords.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password1234", "passwordpassword", "123456789012", "qwertyuiopas", "letmein12345", "welcome12345",
        "iloveyou1234", "administrator", "changeme1234", "password123!", "safeguarding", "safeguarding1",
    };

    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Enter a password";
        }

        if (password.Length < MinimumLength)
        {
            return $"Password must be {MinimumLength} characters or more";
        }

        if (password.Length > MaximumLength)
        {
            return $"Password must be {MaximumLength} characters or fewer";
        }

        if (Common.Contains(password) || password.Distinct().Count() < 4)
        {
            return "Choose a password that is harder to guess";
        }

        return null;
    }

    /// <summary>A random temporary password for resets: 4 groups of 4 from an unambiguous alphabet.</summary>
    public static string GenerateTemporary()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 4, 4)));
    }
}
