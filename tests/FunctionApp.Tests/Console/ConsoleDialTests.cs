using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Playwright;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Tests.Calls;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// The console's dial pad in headless Chromium against the real app, Azurite and the fake Meta, with the agent's
/// leg answered by the relay's real WebRTC stack: placing a call, following it to the end, and every refusal
/// explained in the agent's page.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleDialTests(AzuriteFixture azurite, ConsoleBrowser browser) : IAsyncLifetime, IClassFixture<ConsoleBrowser>
{
    private const string SecondNumberId = "200000000000002";
    private readonly EchoAgentLegRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "console-dial-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
        _relay.Dispose();
    }

    [Fact]
    public async Task An_agent_dials_a_customer_and_notifications_alone_take_the_call_through_ringing_and_connected_to_the_outcome()
    {
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900901"));
        // No reads of the call: every change of its status on screen below came over SignalR (placedCallProgress, callEnded).
        var page = await browser.OpenConsoleAsync(_app.BaseAddress, "callPolling=off");
        await ConsolePages.SignInAvailableAsync(page, "agent-1");

        // One number may call: nothing to choose, and the page says which number the customer will see.
        await Assertions.Expect(page.Locator("#business-number-choice")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#business-number-single")).ToHaveTextAsync("Calling from +442079460000");

        var callId = await DialAsync(page, "+44 7700 900901");
        var card = page.Locator("#in-call");
        await Assertions.Expect(card.Locator("#call-status")).ToHaveTextAsync("Calling…");
        await Assertions.Expect(page.Locator("#in-call-title")).ToHaveTextAsync("Calling");
        await Assertions.Expect(page.Locator("#call-customer")).ToHaveTextAsync("+447700900901");
        await Assertions.Expect(page.Locator("#call-timer")).ToBeHiddenAsync();
        // Mute and transfer need the customer on the line: disabled, and the page says why.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mute" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Transfer…" })).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#call-actions-reason")).ToHaveTextAsync("Mute and transfer work once the customer answers.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true })).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#dial-reason")).ToHaveTextAsync("You are on a call. End it before placing another.");

        // Meta was asked to connect the customer; the browser's leg joined the dial's own relay session for real.
        var connect = Assert.Single(_meta.Requests.All, r => (string?)r.Json?["action"] == "connect").Json!;
        Assert.Equal("447700900901", ((string?)connect["to"])!.TrimStart('+'));
        var session = Assert.Single(_relay.Sessions);
        var (legSession, agent, _, leg) = Assert.Single(_relay.AgentLegs);
        Assert.Equal((session, "agent-1"), (legSession, agent));
        await page.Locator("#in-call[data-media='connected']").WaitForAsync();
        await leg.Connected.WaitAsync(TimeSpan.FromSeconds(30));

        await _meta.Users.RingAsync(callId);
        await Assertions.Expect(page.Locator("#in-call[data-phase='Ringing'] #call-status")).ToHaveTextAsync("Ringing…");

        await _meta.Users.AnswerAsync(callId);
        await Assertions.Expect(page.Locator("#in-call[data-phase='Connected'] #call-status")).ToHaveTextAsync("Connected");
        await Assertions.Expect(page.Locator("#in-call-title")).ToHaveTextAsync("On a call");
        await Assertions.Expect(page.Locator("#call-timer")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mute" })).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#call-actions-reason")).ToBeEmptyAsync();

        await _meta.Users.HangUpAsync(callId);
        var disposition = page.Locator($"#disposition[data-call-id='{callId}']");
        await Assertions.Expect(disposition).ToBeVisibleAsync();
        await Assertions.Expect(card).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#snackbar")).ToContainTextAsync("The call ended after 0:");
        await page.GetByLabel("Resolved").CheckAsync();
        await page.GetByLabel("Note (optional)").FillAsync("Delivery date confirmed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save outcome" }).ClickAsync();
        await Assertions.Expect(page.Locator("#snackbar")).ToContainTextAsync("Outcome saved: Resolved");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true })).ToBeEnabledAsync();

        using var api = await _app.ClientForAsync("agent-1");
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal(("outbound", "Ended", "answered"),
            (stored.GetProperty("direction").GetString(), stored.GetProperty("phase").GetString(), stored.GetProperty("outcome").GetString()));
        Assert.Equal(("resolved", "Recorded"), (stored.GetProperty("dispositionCode").GetString(), stored.GetProperty("disposition").GetString()));
    }

    [Fact]
    public async Task Without_notifications_the_console_follows_a_placed_call_by_reading_it_until_it_ends()
    {
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900902"));
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        // SignalR cannot connect at all, so only the console's own reads of the call can move it on screen.
        await page.RouteAsync(url => url.Contains("/api/negotiate", StringComparison.Ordinal), route => route.AbortAsync());
        await ConsolePages.SubmitSignInAsync(page, "agent-1");
        await page.Locator("#connection[data-state='disconnected']").WaitForAsync();
        await ConsolePages.GoAvailableAsync(page);

        var callId = await DialAsync(page, "+447700900902");
        await _meta.Users.RingAsync(callId);
        await Assertions.Expect(page.Locator("#in-call[data-phase='Ringing'] #call-status")).ToHaveTextAsync("Ringing…");
        await _meta.Users.AnswerAsync(callId);
        await Assertions.Expect(page.Locator("#in-call[data-phase='Connected'] #call-status")).ToHaveTextAsync("Connected");
        await _meta.Users.HangUpAsync(callId);

        await Assertions.Expect(page.Locator($"#disposition[data-call-id='{callId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#in-call")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#snackbar")).ToContainTextAsync("The call ended.");
        await Assertions.Expect(page.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "connected");
    }

    [Fact]
    public async Task A_customer_who_gave_no_permission_is_refused_on_the_page_with_every_reason_the_server_gave()
    {
        using (var admin = await _app.ClientForAsync("admin-1"))
        using (var off = await admin.PutAsJsonAsync($"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/settings", new
        {
            callingEnabled = false,
            callIconVisibility = "default",
            callbackPermission = false,
            recording = false,
            businessHours = new { enabled = false, timeZone = "UTC", weekly = Array.Empty<object>(), holidays = Array.Empty<object>() },
        }))
        {
            off.EnsureSuccessStatusCode();
        }

        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(page, "agent-1");
        await page.GetByLabel("Customer's WhatsApp number or user id").FillAsync("+447700900903");
        await page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true }).ClickAsync();

        // The same dial through the API: the problem whose sentences the page must show (it is refused before anything is dialled).
        using var api = await _app.ClientForAsync("agent-1");
        using var refused = await api.PostAsJsonAsync("/api/calls", new { to = "+447700900903", sdpOffer = AnsweredCall.BrowserOffer });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var reasons = problem.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Equal(["callingDisabled", "noPermission"], reasons.Select(r => r.GetProperty("code").GetString()!).ToArray());

        var error = page.Locator("#dial-error");
        await Assertions.Expect(error).ToContainTextAsync("Placing the call was refused: " + problem.GetProperty("detail").GetString());
        foreach (var reason in reasons)
        {
            await Assertions.Expect(error).ToContainTextAsync(reason.GetProperty("message").GetString()!);
        }

        // The customer side may change (permission, settings): the agent may try again, and the microphone is released.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true })).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#in-call")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => window.agentConsole.peerConnectionState()"));
        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "connect");
        Assert.Empty(_relay.Sessions);
        Assert.Empty(_relay.AgentLegs);
    }

    [Fact]
    public async Task An_agent_whose_calling_is_taken_away_is_told_why_on_the_refused_dial_and_after_a_reload_before_pressing_Call()
    {
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900904"));
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(page, "agent-3");
        var call = page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true });
        await Assertions.Expect(call).ToBeEnabledAsync();

        // An admin takes the capability away while the page is open: the server's refusal explains it.
        using (var admin = await _app.ClientForAsync("admin-1"))
        using (var capabilities = await admin.PutAsJsonAsync("/api/admin/agents/agent-3", new { mayReceiveCalls = true, mayMakeCalls = false, restricted = false }))
        {
            capabilities.EnsureSuccessStatusCode();
        }

        await page.GetByLabel("Customer's WhatsApp number or user id").FillAsync("+447700900904");
        await call.ClickAsync();
        await Assertions.Expect(page.Locator("#dial-error")).ToHaveTextAsync(
            "Placing the call was refused: " + CallRefusals.Describe(CallRefusal.AgentMayNotMakeCalls));
        await Assertions.Expect(call).ToBeDisabledAsync();
        const string Why = "Your account may not place calls to customers; an admin can allow it in the agent settings (then reload this page).";
        var reason = page.Locator("#dial-reason");
        await Assertions.Expect(reason).ToHaveTextAsync(Why);
        Assert.Equal("dial-reason", await call.GetAttributeAsync("aria-describedby"));

        // After a reload the console knows it from /api/agents/me: disabled with the reason before anyone presses Call.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#workspace")).ToBeVisibleAsync();
        await Assertions.Expect(call).ToBeDisabledAsync();
        await Assertions.Expect(reason).ToHaveTextAsync(Why);
        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "connect");
        Assert.Empty(_relay.AgentLegs);
    }

    [Fact]
    public async Task An_offline_agent_sees_the_Call_button_disabled_with_the_reason_until_they_choose_a_presence()
    {
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAsync(page, "agent-1");

        var call = page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true });
        await Assertions.Expect(call).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#dial-reason")).ToHaveTextAsync("You are offline: choose Available or Away to place calls.");
        await page.GetByLabel("Away").CheckAsync();
        await Assertions.Expect(call).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#dial-reason")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task With_two_numbers_that_may_call_the_agent_chooses_one_and_the_dial_names_it()
    {
        var (meta, app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay, new Dictionary<string, string?>
        {
            ["BusinessNumbers:1:PhoneNumberId"] = SecondNumberId,
            ["BusinessNumbers:1:DisplayNumber"] = "+35315550100",
            ["BusinessNumbers:1:Country"] = "IE",
        });
        try
        {
            var page = await browser.OpenConsoleAsync(app.BaseAddress);
            await ConsolePages.SignInAvailableAsync(page, "agent-1");

            var choice = page.GetByLabel("Call from");
            await Assertions.Expect(choice).ToBeVisibleAsync();
            await Assertions.Expect(choice.Locator("option")).ToHaveTextAsync(["+442079460000", "+35315550100"]);
            await Assertions.Expect(page.Locator("#business-number-single")).ToBeHiddenAsync();
            await choice.SelectOptionAsync(SecondNumberId);
            await page.GetByLabel("Customer's WhatsApp number or user id").FillAsync("+447700900905");
            var request = await page.RunAndWaitForRequestAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true }).ClickAsync(),
                r => r.Method == "POST" && new Uri(r.Url).AbsolutePath == "/api/calls");

            Assert.Equal(SecondNumberId, request.PostDataJSON()!.Value.GetProperty("businessNumberId").GetString());
            // Nobody gave permission on that number: refused, and said so.
            await Assertions.Expect(page.Locator("#dial-error")).ToContainTextAsync("Placing the call was refused:");
        }
        finally
        {
            await app.DisposeAsync();
            await meta.DisposeAsync();
        }
    }

    private static async Task<string> DialAsync(IPage page, string number)
    {
        await page.GetByLabel("Customer's WhatsApp number or user id").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Call", Exact = true }).ClickAsync();
        var card = page.Locator("#in-call[data-phase]");
        await card.WaitForAsync();
        return (await card.GetAttributeAsync("data-call-id"))!;
    }
}
