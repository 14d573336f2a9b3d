using Haven.Core.Analytics;
using Haven.Web.Pages;

namespace Haven.Tests.Unit;

public sealed class SiteAnalyticsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/privacy", "/privacy")]
    [InlineData("/Privacy/", "/privacy")]
    [InlineData("/cookies", "/cookies")]
    [InlineData("/accessibility", "/accessibility")]
    [InlineData("/sign-in", "/sign-in")]
    [InlineData("/notices", "/notices")]
    [InlineData("/notices/children-and-families", "/notices/children-and-families")]
    [InlineData("/noticesx", null)]
    [InlineData("/sign-in/two-factor", null)]
    [InlineData("/people/search", null)]
    [InlineData("/account", null)]
    [InlineData("/admin/users", null)]
    [InlineData("/api/v1/me", null)]
    [InlineData("/assets/css/haven.css", null)]
    [InlineData("/cookies/consent", null)]
    [InlineData("/privacy?name=x", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_public_pages_are_recorded_by_path(string? requestPath, string? recorded) =>
        Assert.Equal(recorded, SiteAnalytics.PublicPath(requestPath));

    [Fact]
    public void Very_long_paths_are_not_recorded() =>
        Assert.Null(SiteAnalytics.PublicPath("/notices/" + new string('a', SiteAnalytics.MaxPathLength)));

    [Fact]
    public void Visitor_ids_are_random_128_bit_hex()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => SiteAnalytics.NewVisitorId()).ToList();
        Assert.All(ids, id => Assert.True(SiteAnalytics.IsVisitorId(id)));
        Assert.Equal(100, ids.Distinct().Count());
        Assert.False(SiteAnalytics.IsVisitorId("0123456789ABCDEF0123456789ABCDEF"));
        Assert.False(SiteAnalytics.IsVisitorId("sam.worker@demo.haven.test"));
        Assert.False(SiteAnalytics.IsVisitorId(null));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/privacy", "/privacy")]
    [InlineData("/people/search?x=1", "/people/search?x=1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\r\n/evil.example", "/")]
    [InlineData("\\\\evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("~/privacy", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void The_banner_returns_only_to_local_paths(string? returnUrl, string expected) =>
        Assert.Equal(expected, CookieConsentModel.LocalPath(returnUrl));
}
