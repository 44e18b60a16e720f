using Microsoft.Playwright;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Debian's Chromium driven by Playwright through its executable path (Playwright's own browser download does not
/// work here, so never `playwright install`), with a fresh profile per page. Fails with what to run when missing.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is missing at {ExecutablePath}; run scripts/install-test-deps.sh (it installs Debian's chromium).");
        string profile = Directory.CreateTempSubdirectory("leaklab-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            return new HeadlessChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Opens a local file offline: every request that is not a local file is refused (a page must not need a CDN).
    /// Every JavaScript dialog (alert, confirm, prompt) is recorded and dismissed.
    /// </summary>
    public async Task<(IPage Page, List<string> Dialogs)> OpenAsync(string htmlPath)
    {
        var page = await _context.NewPageAsync();
        await page.RouteAsync("**/*", route => route.Request.Url.StartsWith("file:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            lock (dialogs) dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, dialogs);
    }

    /// <summary>
    /// Waits until every LeakLab chart on the page has drawn (Plotly renders into an svg.main-svg inside the chart's
    /// div) and returns how many there are; fails when there is none or one never draws.
    /// </summary>
    public static async Task<int> AssertChartsDrawAsync(IPage page, string what)
    {
        int charts = await page.Locator("[data-ll-plotly]").CountAsync();
        Assert.True(charts > 0, $"{what}: no LeakLab chart on the page");
        try
        {
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('[data-ll-plotly]')].every(c => c.querySelector('svg.main-svg'))",
                null, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            string text = await page.Locator("[data-ll-plotly]").First.InnerTextAsync();
            Assert.Fail($"{what}: a chart did not draw within 30 s; it shows: {text}");
        }
        return charts;
    }

    /// <summary>Saves a full-page screenshot under the test output's artifacts/ folder and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        string path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _context.CloseAsync(); }
        finally
        {
            _playwright.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
