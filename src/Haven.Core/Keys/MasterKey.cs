using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Core.Keys;

/// <summary>
/// The master key from configuration (<c>Haven:Keys:MasterKey</c>, 32 bytes in base64). It never goes into the
/// database: it wraps the keys that are stored there, so a database dump alone opens nothing.
/// </summary>
public sealed class MasterKey
{
    public const string ConfigurationKey = "Haven:Keys:MasterKey";

    /// <summary>Earlier master keys, separated by semicolons: still accepted for opening while keys are re-wrapped.</summary>
    public const string PreviousKeysConfigurationKey = "Haven:Keys:PreviousMasterKeys";

    private readonly IReadOnlyList<byte[]> _previous = [];

    public MasterKey(string? base64, string? previousBase64 = null)
        : this(base64)
    {
        _previous = (previousBase64 ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new MasterKey(p).Bytes).ToList();
    }

    public MasterKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is not set. Give Haven 32 random bytes in base64 (for example from 'openssl rand -base64 32') through configuration or the environment variable Haven__Keys__MasterKey. The embedded default makes one for you.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{ConfigurationKey} is not valid base64.");
        }

        if (bytes.Length != 32)
        {
            throw new InvalidOperationException($"{ConfigurationKey} must be exactly 32 bytes; it is {bytes.Length}.");
        }

        Bytes = bytes;
    }

    internal byte[] Bytes { get; }

    /// <summary>A short, non-secret name for the current key, stored beside what it wraps.</summary>
    public string Id => Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16];

    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Authenticated encryption (AES-256-GCM). The associated data binds a value to what it is for.</summary>
    public byte[] Seal(byte[] plaintext, string purpose)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plaintext.Length];
        using (var aes = new AesGcm(Bytes, 16))
        {
            aes.Encrypt(nonce, plaintext, cipher, tag, Encoding.UTF8.GetBytes(purpose));
        }

        return [.. nonce, .. tag, .. cipher];
    }

    /// <summary>Opens a value sealed with the current key or, during a rotation, with a previous one.</summary>
    public byte[] Open(byte[] sealedBytes, string purpose)
    {
        if (sealedBytes.Length < 28)
        {
            throw new CryptographicException("The sealed value is too short.");
        }

        foreach (var key in _previous.Prepend(Bytes))
        {
            var plaintext = new byte[sealedBytes.Length - 28];
            try
            {
                using var aes = new AesGcm(key, 16);
                aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plaintext, Encoding.UTF8.GetBytes(purpose));
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Try the next key.
            }
        }

        throw new AuthenticationTagMismatchException("The value was not sealed with any configured master key, or it has been altered.");
    }
}

/// <summary>Encrypts each data-protection key (cookies, antiforgery, stored authenticator keys) with the master key before it is stored.</summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "Haven.DataProtectionKey.v1";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedBytes = masterKey.Seal(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose);
        var element = new XElement("havenSealedKey", new XAttribute("alg", "AES-256-GCM"), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>Created by the data-protection system when it reads a key back.</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var masterKey = services.GetRequiredService<MasterKey>();
        var plaintext = masterKey.Open(Convert.FromBase64String(encryptedElement.Value), MasterKeyXmlEncryptor.Purpose);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
