using Microsoft.Playwright;
using TestSupport;

namespace MediaRelay.WebRtc.Tests.Interop;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright. The page is served by request interception
/// on http://localhost (a secure context, which getUserMedia needs). If Chromium is missing the tests fail.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromiumPath = HeadlessChromium.ExecutablePath;
    public const string PageUrl = "http://localhost/webrtc-echo.html";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium did not start.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return; // each test asserts on this and fails with a clear message
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task<IPage> NewPageAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install the Debian package 'chromium'.");
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RouteAsync(PageUrl, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html", Body = EchoPage.Html,
        }));
        await page.GotoAsync(PageUrl);
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
