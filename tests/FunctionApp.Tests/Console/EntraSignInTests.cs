using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// Signing in to the console with Microsoft Entra ID, as in Azure: the app validates tokens from the authority
/// (<c>Auth:Authority</c>, here a stand-in at a local address), and the page runs the authorization code flow with
/// PKCE in headless Chromium, then works with the token it got (the agent's own row, the SignalR connection).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EntraSignInTests(AzuriteFixture azurite, ConsoleBrowser browser) : IAsyncLifetime, IClassFixture<ConsoleBrowser>
{
    private const string Audience = "api://whatsapp-calling-test";
    private const string ConsoleClientId = "11111111-2222-3333-4444-555555555555";
    private FakeEntraAuthority _entra = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        _entra = await FakeEntraAuthority.StartAsync(Audience, ConsoleClientId);
        _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = _entra.Issuer.ToString(),
            ["Auth:Audience"] = Audience,
            ["Auth:ConsoleClientId"] = ConsoleClientId,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _entra.DisposeAsync();
    }

    [Fact]
    public async Task The_server_tells_the_console_to_sign_in_with_Microsoft_and_which_app_and_scopes()
    {
        var config = await _app.Client.GetFromJsonAsync<JsonElement>("/api/auth/config");

        Assert.Equal("entra", config.GetProperty("mode").GetString());
        Assert.Equal(_entra.Issuer.ToString().TrimEnd('/'), config.GetProperty("authority").GetString());
        Assert.Equal(ConsoleClientId, config.GetProperty("clientId").GetString());
        Assert.Contains($"{Audience}/.default", config.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task An_agent_signs_in_with_Microsoft_and_the_console_works_with_the_token_it_got()
    {
        _entra.SignedInAs = ("4f1c2a9e-entra-agent", ["agent"]);
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);

        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Signed in as 4f1c2a9e-entra-agent");
        Assert.Single(_entra.VerifiedExchanges);
        // The code and state are gone from the address bar, and the token works for the live connection too.
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected");
        await page.GetByLabel("Available").CheckAsync();
        await Assertions.Expect(page.Locator("#presence-status")).ToHaveAttributeAsync("data-presence", "available");
    }

    [Fact]
    public async Task A_reply_that_this_page_did_not_ask_for_is_refused_with_a_sentence()
    {
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await page.GotoAsync(new Uri(_app.BaseAddress, "api/console/?code=forged&state=forged").ToString());

        await Assertions.Expect(page.Locator("#sign-in-error")).ToContainTextAsync("does not belong to a sign-in started on this page");
        await Assertions.Expect(page.Locator("#workspace")).ToBeHiddenAsync();
        Assert.Empty(_entra.VerifiedExchanges);
    }
}
