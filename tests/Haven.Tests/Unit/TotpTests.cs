using System.Text;
using Haven.Core.Security;

namespace Haven.Tests.Unit;

public sealed class TotpTests
{
    // RFC 6238 appendix B, SHA-1 key "12345678901234567890": the last 6 digits of the published 8-digit codes.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixTime, string expected)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(expected, Totp.Code(secret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixTime))));
    }

    [Fact]
    public void Base32_round_trips()
    {
        var secret = Totp.NewSecret();
        Assert.Equal(secret, Totp.FromBase32(Totp.Grouped(Totp.ToBase32(secret)).ToLowerInvariant()));
    }

    [Fact]
    public void A_used_step_is_never_accepted_again()
    {
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.UtcNow;
        var code = Totp.Code(secret, Totp.StepAt(now));
        var step = Totp.Match(secret, code, now, 0);
        Assert.NotNull(step);
        Assert.Null(Totp.Match(secret, code, now, step.Value));
    }

    [Fact]
    public void Codes_from_more_than_one_step_away_are_refused()
    {
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.UtcNow;
        Assert.Null(Totp.Match(secret, Totp.Code(secret, Totp.StepAt(now) - 2), now, 0));
        Assert.NotNull(Totp.Match(secret, Totp.Code(secret, Totp.StepAt(now) - 1), now, 0));
    }
}
