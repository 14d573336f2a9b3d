using Haven.Core.Demo;
using Haven.Core.Security;
using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Haven.Tests.Browser;

/// <summary>
/// Base for browser tests. Each test gets its own Haven (on Kestrel, with a fresh copy of the demo database)
/// and its own browser context.
/// </summary>
/// <remarks>
/// Every page the browser shows must be checked with axe. Use <see cref="GotoAsync"/> and <see cref="SubmitAsync"/>,
/// which check the page they arrive at; when the browser moves by itself (a timeout, a script), call
/// <see cref="CheckPageAsync"/>. The base class watches every navigation, and a test that leaves a page
/// unchecked fails when it finishes.
/// </remarks>
public abstract class BrowserTest(PostgresCluster cluster, ChromiumFixture chromium) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly Dictionary<IPage, PageWatch> _watches = [];

    protected HavenKestrelServer Haven { get; private set; } = null!;

    /// <summary>The first browser window of the test.</summary>
    protected IPage Page { get; private set; } = null!;

    /// <summary>Configuration for this test's Haven, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public virtual async ValueTask InitializeAsync()
    {
        Haven = await HavenKestrelServer.StartAsync(cluster, Settings);
        Page = await NewWindowAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        var uncheckedPages = _watches.Values.Select(w => w.UncheckedUrl).OfType<string>().ToList();
        try
        {
            if (failed || uncheckedPages.Count > 0)
            {
                await SaveScreenshotsAsync();
            }

            foreach (var context in _contexts)
            {
                await context.CloseAsync();
            }
        }
        finally
        {
            await Haven.DisposeAsync();
        }

        if (!failed && uncheckedPages.Count > 0)
        {
            Assert.Fail("These pages were shown but never checked for accessibility (use GotoAsync, SubmitAsync or CheckPageAsync): "
                + string.Join(", ", uncheckedPages));
        }
    }

    /// <summary>Another browser, with its own cookies, as if a second person (or device) were using Haven.</summary>
    protected async Task<IPage> NewWindowAsync()
    {
        var context = await chromium.NewContextAsync(Haven.BaseAddress);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        _watches[page] = new PageWatch(page);
        return page;
    }

    /// <summary>Opens a path on Haven and checks the page the browser ends up on.</summary>
    protected async Task<IResponse> GotoAsync(string path, IPage? page = null)
    {
        page ??= Page;
        var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load })
            ?? throw new InvalidOperationException($"No response for {path}");
        await CheckPageAsync(page);
        return response;
    }

    /// <summary>Presses a button (or follows a link) that loads a new page, waits for it and checks it.</summary>
    protected async Task SubmitAsync(ILocator control)
    {
        var page = control.Page;
        var arrived = _watches[page].NextNavigation();
        await control.ClickAsync();
        try
        {
            await arrived.WaitAsync(TimeSpan.FromSeconds(45), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Pressing {control} did not load a new page within 45 seconds (still on {page.Url}).");
        }

        await CheckPageAsync(page);
    }

    /// <summary>
    /// Checks the page as it is now with axe (serious and critical problems fail the test).
    /// Call it again after showing something new on the same page, such as a dialog.
    /// </summary>
    protected async Task CheckPageAsync(IPage page, string? state = null)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        var watch = _watches[page];
        var shown = watch.Navigations;
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, state);
        watch.MarkChecked(shown);
    }

    protected static string PathOf(IPage page) => new Uri(page.Url).AbsolutePath;

    /// <summary>The code an authenticator app would show now for the demo two-factor accounts.</summary>
    protected static string CurrentSecurityCode() =>
        Totp.Code(Totp.FromBase32(DemoSeeder.DemoTotpKey), Totp.StepAt(DateTimeOffset.UtcNow));

    /// <summary>Fills in the sign-in form and presses "Sign in".</summary>
    protected async Task SubmitPasswordAsync(IPage page, string email, string password = DemoSeeder.DemoPassword)
    {
        if (PathOf(page) != "/sign-in")
        {
            await GotoAsync("/sign-in", page);
        }

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
    }

    /// <summary>Enters a code on the two-factor page and presses "Continue".</summary>
    protected async Task SubmitSecurityCodeAsync(IPage page, string code)
    {
        await page.GetByLabel("Security code").FillAsync(code);
        await SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
    }

    /// <summary>Signs in an account without two-factor and checks Haven's home page greets them.</summary>
    protected async Task SignInAsync(IPage page, string email, string displayName)
    {
        await SubmitPasswordAsync(page, email);
        Assert.Equal("/", PathOf(page));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Welcome, {displayName}");
    }

    private async Task SaveScreenshotsAsync()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "browser-failures");
        Directory.CreateDirectory(folder);
        var name = string.Concat($"{GetType().Name}.{TestContext.Current.TestMethod?.MethodName}".Split(Path.GetInvalidFileNameChars()));
        var index = 0;
        foreach (var page in _watches.Keys.Where(p => !p.IsClosed))
        {
            var file = Path.Combine(folder, $"{name}-{++index}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot of {page.Url}: {file}");
            }
            catch (PlaywrightException exception)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"No screenshot of {page.Url}: {exception.Message}");
            }
        }
    }

    /// <summary>Follows the main-frame navigations of one page: which page is showing and whether it has been checked.</summary>
    private sealed class PageWatch
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource? _next;
        private int _navigations;
        private int _checked;
        private string? _url;

        public PageWatch(IPage page) => page.FrameNavigated += (_, frame) =>
        {
            if (frame != page.MainFrame || frame.Url == "about:blank")
            {
                return;
            }

            lock (_lock)
            {
                _navigations++;
                _url = frame.Url;
                _next?.TrySetResult();
                _next = null;
            }
        };

        /// <summary>How many pages this tab has shown so far.</summary>
        public int Navigations
        {
            get
            {
                lock (_lock)
                {
                    return _navigations;
                }
            }
        }

        /// <summary>The page showing now, if it has not been checked since it arrived.</summary>
        public string? UncheckedUrl
        {
            get
            {
                lock (_lock)
                {
                    return _checked < _navigations ? _url : null;
                }
            }
        }

        /// <summary>Records a check of the page that was showing when <paramref name="navigations"/> pages had been shown.</summary>
        public void MarkChecked(int navigations)
        {
            lock (_lock)
            {
                _checked = Math.Max(_checked, navigations);
            }
        }

        /// <summary>Completes when the page next commits a navigation (start waiting before causing it).</summary>
        public Task NextNavigation()
        {
            lock (_lock)
            {
                _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }
        }
    }
}
