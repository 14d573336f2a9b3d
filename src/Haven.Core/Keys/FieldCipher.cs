using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Haven.Core.Keys;

/// <summary>
/// Encrypts special-category and criminal-offence values (and documents) with the owning organisation's data key:
/// AES-256-GCM, with the organisation and the field's purpose as associated data so a value cannot be moved to
/// another field or organisation. Data keys are stored wrapped by the master key; unwrapped keys live only in memory.
/// Sealed layout: key version (4 bytes, big-endian) · nonce (12) · tag (16) · ciphertext.
/// </summary>
public sealed class FieldCipher(NpgsqlDataSource dataSource, MasterKey masterKey)
{
    private readonly ConcurrentDictionary<(Guid Organisation, int Version), byte[]> _keys = new();
    private readonly ConcurrentDictionary<Guid, int> _current = new();

    public static string WrapPurpose(Guid organisationId) => $"Haven.DataKey.v1:{organisationId:D}";

    public async Task<byte[]?> SealAsync(Guid organisationId, string purpose, string? plaintext, CancellationToken cancellationToken = default)
    {
        if (plaintext is null)
        {
            return null;
        }

        var (version, key) = await CurrentKeyAsync(organisationId, cancellationToken);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[4 + 12 + 16 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(output, version);
        RandomNumberGenerator.Fill(output.AsSpan(4, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(4, 12), data, output.AsSpan(32), output.AsSpan(16, 16), Aad(organisationId, purpose));
        return output;
    }

    public async Task<string?> OpenAsync(Guid organisationId, string purpose, byte[]? sealedValue, CancellationToken cancellationToken = default)
    {
        if (sealedValue is null)
        {
            return null;
        }

        if (sealedValue.Length < 32)
        {
            throw new CryptographicException("The sealed value is too short.");
        }

        var version = BinaryPrimitives.ReadInt32BigEndian(sealedValue);
        var key = await KeyAsync(organisationId, version, cancellationToken);
        var plaintext = new byte[sealedValue.Length - 32];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedValue.AsSpan(4, 12), sealedValue.AsSpan(32), sealedValue.AsSpan(16, 16), plaintext, Aad(organisationId, purpose));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Seals bytes (a document's content) in the same layout as a sealed text value.</summary>
    public async Task<byte[]> SealBytesAsync(Guid organisationId, string purpose, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var (version, key) = await CurrentKeyAsync(organisationId, cancellationToken);
        var output = new byte[4 + 12 + 16 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(output, version);
        RandomNumberGenerator.Fill(output.AsSpan(4, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(4, 12), data.Span, output.AsSpan(32), output.AsSpan(16, 16), Aad(organisationId, purpose));
        return output;
    }

    /// <summary>Opens bytes sealed by <see cref="SealBytesAsync"/>; a changed value, purpose or organisation fails to open.</summary>
    public async Task<byte[]> OpenBytesAsync(Guid organisationId, string purpose, byte[] sealedValue, CancellationToken cancellationToken = default)
    {
        if (sealedValue.Length < 32)
        {
            throw new CryptographicException("The sealed value is too short.");
        }

        var version = BinaryPrimitives.ReadInt32BigEndian(sealedValue);
        var key = await KeyAsync(organisationId, version, cancellationToken);
        var plaintext = new byte[sealedValue.Length - 32];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedValue.AsSpan(4, 12), sealedValue.AsSpan(32), sealedValue.AsSpan(16, 16), plaintext, Aad(organisationId, purpose));
        return plaintext;
    }

    private static byte[] Aad(Guid organisationId, string purpose) => Encoding.UTF8.GetBytes($"{organisationId:D}|{purpose}");

    private async Task<(int Version, byte[] Key)> CurrentKeyAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(organisationId, out var known))
        {
            return (known, await KeyAsync(organisationId, known, cancellationToken));
        }

        await using var command = dataSource.CreateCommand("SELECT max(version) FROM organisation_data_keys WHERE organisation_id = @o");
        command.Parameters.AddWithValue("o", organisationId);
        var latest = await command.ExecuteScalarAsync(cancellationToken);
        var version = latest is int v ? v : await CreateKeyAsync(organisationId, 1, cancellationToken);
        _current[organisationId] = version;
        return (version, await KeyAsync(organisationId, version, cancellationToken));
    }

    private async Task<byte[]> KeyAsync(Guid organisationId, int version, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue((organisationId, version), out var cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand("SELECT wrapped_key FROM organisation_data_keys WHERE organisation_id = @o AND version = @v");
        command.Parameters.AddWithValue("o", organisationId);
        command.Parameters.AddWithValue("v", version);
        var wrapped = await command.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new CryptographicException($"Data key version {version} for this organisation is missing.");
        var key = masterKey.Open(wrapped, WrapPurpose(organisationId));
        _keys[(organisationId, version)] = key;
        return key;
    }

    /// <summary>Makes a new data key. Two instances racing to make the first key both end up using the one that was stored.</summary>
    private async Task<int> CreateKeyAsync(Guid organisationId, int version, CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO organisation_data_keys (organisation_id, version, wrapped_key, master_key_id) VALUES (@o, @v, @k, @m) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("o", organisationId);
        command.Parameters.AddWithValue("v", version);
        command.Parameters.AddWithValue("k", masterKey.Seal(key, WrapPurpose(organisationId)));
        command.Parameters.AddWithValue("m", masterKey.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return version;
    }

    /// <summary>
    /// Re-wraps every data key (and every stored data-protection key) with the current master key. Each key is
    /// re-wrapped in its own short transaction and old wrappings stay readable while PreviousMasterKeys lists the
    /// old key, so Haven keeps running throughout. Returns the number of keys re-wrapped.
    /// </summary>
    public static async Task<int> RewrapAllAsync(NpgsqlDataSource dataSource, MasterKey masterKey, CancellationToken cancellationToken = default)
    {
        var rows = new List<(Guid Organisation, int Version, byte[] Wrapped)>();
        await using (var read = dataSource.CreateCommand("SELECT organisation_id, version, wrapped_key FROM organisation_data_keys WHERE master_key_id <> @m"))
        {
            read.Parameters.AddWithValue("m", masterKey.Id);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), reader.GetInt32(1), (byte[])reader[2]));
            }
        }

        foreach (var (organisation, version, wrapped) in rows)
        {
            var key = masterKey.Open(wrapped, WrapPurpose(organisation));
            await using var update = dataSource.CreateCommand(
                "UPDATE organisation_data_keys SET wrapped_key = @k, master_key_id = @m WHERE organisation_id = @o AND version = @v");
            update.Parameters.AddWithValue("k", masterKey.Seal(key, WrapPurpose(organisation)));
            update.Parameters.AddWithValue("m", masterKey.Id);
            update.Parameters.AddWithValue("o", organisation);
            update.Parameters.AddWithValue("v", version);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return rows.Count + await RewrapDataProtectionKeysAsync(dataSource, masterKey, cancellationToken);
    }

    private static async Task<int> RewrapDataProtectionKeysAsync(NpgsqlDataSource dataSource, MasterKey masterKey, CancellationToken cancellationToken)
    {
        var rows = new List<(int Id, string Xml)>();
        await using (var read = dataSource.CreateCommand("SELECT id, xml FROM data_protection_keys"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt32(0), reader.GetString(1)));
            }
        }

        var count = 0;
        foreach (var (id, xml) in rows)
        {
            var document = System.Xml.Linq.XElement.Parse(xml);
            var changed = false;
            foreach (var sealedElement in document.Descendants("havenSealedKey").ToList())
            {
                var plaintext = masterKey.Open(Convert.FromBase64String(sealedElement.Value), MasterKeyXmlEncryptor.Purpose);
                sealedElement.Value = Convert.ToBase64String(masterKey.Seal(plaintext, MasterKeyXmlEncryptor.Purpose));
                changed = true;
            }

            if (changed)
            {
                await using var update = dataSource.CreateCommand("UPDATE data_protection_keys SET xml = @x WHERE id = @i");
                update.Parameters.AddWithValue("x", document.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
                update.Parameters.AddWithValue("i", id);
                await update.ExecuteNonQueryAsync(cancellationToken);
                count++;
            }
        }

        return count;
    }
}
