using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Haven.Core.Data.Entities;

namespace Haven.Core.Audit;

/// <summary>The canonical form of an audit event and its hash. Writing and verifying share this one definition.</summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(e.Seq);
            writer.WriteStringValue(e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStringValue(e.ActorUserId?.ToString("D") ?? string.Empty);
            writer.WriteStringValue(e.ActorRole ?? string.Empty);
            writer.WriteStringValue(e.Action);
            writer.WriteStartArray();
            foreach (var id in e.PersonIds.Order())
            {
                writer.WriteStringValue(id.ToString("D"));
            }

            writer.WriteEndArray();
            writer.WriteStringValue(e.Purpose ?? string.Empty);
            writer.WriteStringValue(e.ClientAddress ?? string.Empty);
            writer.WriteStringValue(e.RequestId ?? string.Empty);
            writer.WriteStringValue(e.Details ?? string.Empty);
            writer.WriteStringValue(e.PrevHash);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>PostgreSQL keeps microseconds; the hash is computed over exactly what is stored.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - (value.UtcTicks % 10);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public static string CanonicalText(string value) => value.Normalize(NormalizationForm.FormC);
}
