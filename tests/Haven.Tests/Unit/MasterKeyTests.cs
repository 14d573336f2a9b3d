using System.Security.Cryptography;
using System.Text;
using Haven.Core.Keys;

namespace Haven.Tests.Unit;

public sealed class MasterKeyTests
{
    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("not base64!", "is not valid base64")]
    [InlineData("c2hvcnQ=", "must be exactly 32 bytes")]
    public void A_missing_or_malformed_master_key_stops_haven_with_a_clear_message(string? value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MasterKey(value));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sealed_values_open_only_with_the_same_key_and_purpose()
    {
        var key = new MasterKey(MasterKey.Generate());
        var sealedBytes = key.Seal(Encoding.UTF8.GetBytes("secret"), "purpose-a");
        Assert.Equal("secret", Encoding.UTF8.GetString(key.Open(sealedBytes, "purpose-a")));
        Assert.ThrowsAny<CryptographicException>(() => key.Open(sealedBytes, "purpose-b"));
        Assert.ThrowsAny<CryptographicException>(() => new MasterKey(MasterKey.Generate()).Open(sealedBytes, "purpose-a"));
        sealedBytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => key.Open(sealedBytes, "purpose-a"));
    }
}
