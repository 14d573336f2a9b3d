using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Browser;

/// <summary>
/// Haven on a real Kestrel socket (127.0.0.1, a port the operating system picks) so that a real browser can reach it,
/// against its own fresh copy of the seeded demo database.
/// </summary>
/// <remarks>
/// Haven is served over HTTPS with a certificate made for this test run. Plain HTTP does not work, though not
/// because of the browser: Chromium treats http://127.0.0.1 and http://localhost as secure contexts and keeps
/// <c>Secure</c> and <c>__Host-</c> cookies from them. It is Haven: with <c>Cookie.SecurePolicy = Always</c>,
/// ASP.NET Core's antiforgery throws on any request that is not HTTPS, so every page that renders the layout
/// (which asks for an antiforgery token) would answer 500.
/// </remarks>
public sealed class HavenKestrelServer : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(CreateCertificate);

    private readonly HavenFactory _factory;

    private HavenKestrelServer(HavenFactory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the browser finds Haven, for example <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The factory behind the server, for reaching Haven's services and database from a test.</summary>
    public HavenFactory Factory => _factory;

    public static async Task<HavenKestrelServer> StartAsync(PostgresCluster cluster, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await cluster.NewDatabaseAsync();
        var allSettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            // Port 0: Kestrel asks the operating system for a free port, so parallel test classes never collide.
            ["urls"] = "https://127.0.0.1:0",
        };
        var factory = new HavenFactory(cluster, database, allSettings);
        try
        {
            factory.UseKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = Certificate.Value));
            await Task.Run(factory.StartServer, TestContext.Current.CancellationToken);
            var webRoot = factory.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
            if (!webRoot.GetFileInfo("assets/js/haven.js").Exists || !webRoot.GetFileInfo("assets/css/haven.css").Exists)
            {
                throw new InvalidOperationException("Haven's front-end assets are missing: run scripts/build-assets.sh before the browser tests.");
            }

            var addresses = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var address = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
            return new HavenKestrelServer(factory, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>An HTTP client for machine-to-machine calls (such as a CP-IS setting's) that trusts exactly this server's test certificate.</summary>
    public HttpClient NewHttpClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Certificate.Value.Thumbprint,
    })
    { BaseAddress = BaseAddress };

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Haven browser tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        // Round-trip through PKCS#12 so the private key is held in a form SslStream can always use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
