using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Playwright;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Calls;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// The console's follow-up list in two agents' headless Chromium pages against the real app, Azurite and the fake
/// Meta: a missed call appears, one agent claims it, the other is refused with the reason, the claimer completes it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleFollowUpTests(AzuriteFixture azurite, ConsoleBrowser browser) : IAsyncLifetime, IClassFixture<ConsoleBrowser>
{
    private readonly EchoAgentLegRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "console-follow-up-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
        _relay.Dispose();
    }

    [Fact]
    public async Task A_missed_call_is_listed_claimed_by_one_agent_shown_taken_to_the_other_at_once_and_completed_by_the_claimer()
    {
        var one = await browser.OpenConsoleAsync(_app.BaseAddress);
        var two = await browser.OpenConsoleAsync(_app.BaseAddress);
        // Both are signed in but offline, so nobody can be rung and the call is missed at once.
        await ConsolePages.SignInAsync(one, "agent-1");
        await ConsolePages.SignInAsync(two, "agent-2");
        await Assertions.Expect(one.Locator("#follow-ups-status")).ToHaveTextAsync("Nothing to follow up.");

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900951"), SdpRules.MetaOffer());

        // The followUp notification lists it on both pages.
        var mine = one.Locator($"#follow-up-list [data-follow-up-id='{call.CallId}']");
        var theirs = two.Locator($"#follow-up-list [data-follow-up-id='{call.CallId}']");
        await Assertions.Expect(mine.Locator("strong")).ToHaveTextAsync("Missed call: ZZ.FAKE447700900951");
        await Assertions.Expect(mine.Locator(".hint")).ToHaveTextAsync("Open");
        await Assertions.Expect(theirs.Locator(".hint")).ToHaveTextAsync("Open");
        await Assertions.Expect(one.Locator("#follow-ups-status")).ToHaveTextAsync("1 to follow up.");

        await mine.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
        await Assertions.Expect(mine.Locator(".hint")).ToHaveTextAsync("Claimed by you");

        // The claim is pushed (followUpUpdated): the teammate's page shows who has it, with nothing left to press.
        await Assertions.Expect(theirs.Locator(".hint")).ToHaveTextAsync("Claimed by agent-1");
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true })).ToHaveCountAsync(0);

        await mine.GetByLabel("Note on ZZ.FAKE447700900951 (optional)").FillAsync("Called back, order fixed");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Assertions.Expect(mine).ToHaveCountAsync(0);
        await Assertions.Expect(one.Locator("#follow-ups-status")).ToHaveTextAsync("Nothing to follow up.");
        await Assertions.Expect(one.Locator("#snackbar")).ToContainTextAsync("Follow-up completed: ZZ.FAKE447700900951.");

        // So is the completion: it leaves the teammate's list without a refresh.
        await Assertions.Expect(theirs).ToHaveCountAsync(0);

        using var api = await _app.ClientForAsync("agent-2");
        var completed = await api.GetFromJsonAsync<JsonElement>("/api/follow-ups?status=completed");
        var item = Assert.Single(completed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == call.CallId);
        Assert.Equal(("agent-1", "Called back, order fixed"), (item.GetProperty("claimedBy").GetString(), item.GetProperty("note").GetString()));
    }
}
