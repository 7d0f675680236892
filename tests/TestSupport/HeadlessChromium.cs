using Microsoft.Playwright;

namespace TestSupport;

/// <summary>
/// Debian's Chromium as the tests launch it: headless, with a fake microphone that needs no permission prompt and
/// loopback allowed for peer connections, so WebRTC between the browser and a local peer works in CI.
/// </summary>
public static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                "--allow-loopback-in-peer-connection",
            ],
        });
    }
}
