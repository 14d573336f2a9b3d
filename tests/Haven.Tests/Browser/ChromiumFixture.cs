using Microsoft.Playwright;

namespace Haven.Tests.Browser;

/// <summary>
/// One headless Chromium (Debian's own build, never a downloaded one) for a test class.
/// Every test gets a fresh browser context from it, so no cookies or storage leak between tests.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// The test machine has no internet: these switches stop Chromium reaching for update, sync,
    /// field-trial and QUIC endpoints that would only fail, and keep it working without a GPU or a sandbox.
    /// </summary>
    private static readonly string[] Switches =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Browser tests need Chromium at {ExecutablePath} (Debian package 'chromium').");
        }

        // Pages here are checked with axe and served by a busy two-core machine: allow assertions more than the default 5 seconds.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Switches,
            Timeout = 60_000,
        });
    }

    /// <summary>A new, empty browser context (its own cookie jar) pointed at one running Haven.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            // Haven is served over HTTPS with a certificate made for this test run (see HavenKestrelServer);
            // Chromium does not know the issuer, so certificate errors are ignored for these contexts only.
            IgnoreHTTPSErrors = true,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(45_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
