using System.Net;
using Haven.Tests.Infrastructure;

namespace Haven.Tests.Integration;

public sealed class SmokeTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Sign_in_page_is_served_with_security_headers()
    {
        using var client = _factory.NewClient();
        var response = await client.GetAsync("/sign-in", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Readiness_checks_the_database()
    {
        using var client = _factory.NewClient();
        var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Error_pages_never_show_exception_details()
    {
        using var client = _factory.NewClient();
        var response = await client.GetAsync("/error/500", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Sorry, there is a problem with the service", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Haven.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_paths_answer_with_problem_json()
    {
        using var client = _factory.NewClient();
        var response = await client.GetAsync("/api/v1/nothing-here", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_https_required_cookies_are_secure_host_cookies_and_hsts_is_sent()
    {
        await using var strict = new HavenFactory(cluster, _factory.Database, new Dictionary<string, string?> { ["Haven:Security:RequireHttps"] = "true", ["https_port"] = "443" });
        // HSTS is never sent to localhost, so this client uses another host name.
        using var client = strict.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://haven.example"), AllowAutoRedirect = false });
        var response = await client.GetAsync("/sign-in", TestContext.Current.CancellationToken);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("__Host-Haven-AF=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        using var plain = strict.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://haven.example"), AllowAutoRedirect = false });
        var redirected = await plain.GetAsync("/sign-in", TestContext.Current.CancellationToken);
        Assert.True(redirected.StatusCode is HttpStatusCode.RedirectKeepVerb or HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect,
            $"Plain HTTP should be redirected to HTTPS, got {(int)redirected.StatusCode}");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var client = _factory.NewClient();
        var json = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        foreach (var path in new[] { "/api/v1/me", "/api/v1/caseload", "/api/v1/people/{id}", "/api/v1/people/{id}/break-glass", "/api/v1/audit/verify", "/api/v1/users" })
        {
            Assert.Contains($"\"{path}\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Data_protection_keys_are_stored_sealed_by_the_master_key()
    {
        using var client = _factory.NewClient();
        (await client.GetAsync("/sign-in", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var stored = await _factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DataProtectionKeys));
        Assert.NotEmpty(stored);
        Assert.All(stored, key =>
        {
            Assert.Contains("havenSealedKey", key.Xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", key.Xml, StringComparison.Ordinal);
        });
    }
}
