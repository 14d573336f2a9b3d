using System.Security.Cryptography;
using System.Text;

namespace Haven.Core.Cpis;

/// <summary>Settings, scopes, plan types and audit actions of CP-IS.</summary>
public static class CpisCodes
{
    public const string ScopeLookup = "cpis.lookup";
    public const string ScopeConcern = "cpis.concern";
    public static readonly IReadOnlyList<string> Scopes = [ScopeLookup, ScopeConcern];

    public const string LookupAction = "cpis.lookup";
    public const string ConcernAction = "cpis.concern_sent";
    public const string ClientRegisteredAction = "cpis.client_registered";
    public const string ClientRevokedAction = "cpis.client_revoked";
    public const string AuthorityChangedAction = "cpis.authority_changed";
    public const string NotificationsViewedAction = "cpis.notifications_viewed";

    /// <summary>How long a child stays on the list after the plan or looked-after status ends.</summary>
    public const int MonthsListedAfterEnd = 12;

    /// <summary>How many earlier accesses a lookup shows.</summary>
    public const int RecentAccesses = 25;

    public static readonly IReadOnlyDictionary<string, string> SettingTypes = new Dictionary<string, string>
    {
        ["emergency_department"] = "Emergency department",
        ["out_of_hours_gp"] = "Out-of-hours GP",
        ["walk_in_centre"] = "Walk-in centre",
        ["minor_injury_unit"] = "Minor injury unit",
        ["paediatric_ward"] = "Paediatric ward",
        ["ambulance_service"] = "Ambulance service",
        ["maternity_unit"] = "Maternity unit",
    };

    public static string SettingName(string code) => SettingTypes.GetValueOrDefault(code, code);

    /// <summary>Plan types as answered: a child protection plan, looked after, or a pre-birth plan for an unborn child.</summary>
    public const string ChildProtectionPlan = "CPP";
    public const string LookedAfter = "LAC";
    public const string UnbornChildProtectionPlan = "UCPP";

    public static string PlanName(string code) => code switch
    {
        ChildProtectionPlan => "Child protection plan",
        LookedAfter => "Looked after child",
        UnbornChildProtectionPlan => "Unborn child protection plan",
        _ => code,
    };
}

/// <summary>
/// Credentials of CP-IS clients: <c>Authorization: Bearer &lt;client id (32 hex digits)&gt;.&lt;secret&gt;</c>, the
/// secret being 32 random bytes in base64url. Only SHA-256 of the secret is stored: with 256 bits of randomness a
/// slow password hash would add nothing, and lookups must be fast.
/// </summary>
public static class CpisCredentials
{
    public static (string Secret, byte[] Hash) NewSecret()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Hash(secret));
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string Token(Guid clientId, string secret) => clientId.ToString("N") + "." + secret;

    /// <summary>Splits a bearer token into the client id and the secret; false for anything malformed.</summary>
    public static bool TryParse(string? authorization, out Guid clientId, out string secret)
    {
        clientId = Guid.Empty;
        secret = string.Empty;
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || authorization.Length > 200)
        {
            return false;
        }

        var token = authorization.AsSpan(prefix.Length).Trim();
        var dot = token.IndexOf('.');
        if (dot != 32 || !Guid.TryParseExact(token[..dot], "N", out clientId) || token.Length - dot - 1 < 20)
        {
            return false;
        }

        secret = token[(dot + 1)..].ToString();
        return true;
    }

    /// <summary>Compares the hash of a presented secret with the stored one in constant time.</summary>
    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
