using Microsoft.Playwright;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>What every console test does first: sign in with the development sign-in, as an agent would.</summary>
internal static class ConsolePages
{
    /// <summary>Signed in and listening for notifications, presence untouched (a new agent is offline: nothing rings).</summary>
    public static async Task SignInAsync(IPage page, string agentId)
    {
        await SubmitSignInAsync(page, agentId);
        await page.Locator("#connection[data-state='connected']").WaitForAsync();
    }

    public static async Task SignInAvailableAsync(IPage page, string agentId)
    {
        await SignInAsync(page, agentId);
        await GoAvailableAsync(page);
    }

    /// <summary>The sign-in form only; the caller decides what the notification connection must have done.</summary>
    public static async Task SubmitSignInAsync(IPage page, string agentId)
    {
        await page.GetByLabel("Agent id").FillAsync(agentId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#who").WaitForAsync();
    }

    public static async Task GoAvailableAsync(IPage page)
    {
        await page.GetByLabel("Available").CheckAsync();
        await page.Locator("#presence-status[data-presence='available']").WaitForAsync();
    }
}
