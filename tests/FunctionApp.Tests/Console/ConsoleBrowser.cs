using Microsoft.Playwright;
using TestSupport;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// One headless Debian Chromium per test class with a fake microphone that needs no permission prompt, as the
/// relay's interop tests launch it. A missing Chromium fails the tests with a clear message.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = HeadlessChromium.ExecutablePath;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    /// <summary>
    /// A fresh browser context (own sessionStorage) on the console of <paramref name="app"/>; <paramref name="query"/>
    /// (e.g. <c>callPolling=off</c>) goes on the page's address.
    /// </summary>
    public async Task<IPage> OpenConsoleAsync(Uri app, string? query = null)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install the Debian package 'chromium'.");
        var context = await _browser!.NewContextAsync();
        context.SetDefaultTimeout(30_000);
        // Expectations wait for the server's webhooks, queues and the console's 3 s reads of a placed call: on a busy
        // 2-core machine Playwright's 5 s default is too short, so they get the same bound as actions.
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app, "api/console/" + (query is null ? string.Empty : "?" + query)).ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
