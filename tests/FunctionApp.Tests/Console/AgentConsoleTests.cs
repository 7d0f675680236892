using System.Net;
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
/// The agent console in headless Chromium against the real app (Kestrel + Azurite), the fake Meta, and agent legs
/// answered by the relay's real WebRTC stack: what an agent does with the page, start to finish.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentConsoleTests(AzuriteFixture azurite, ConsoleBrowser browser) : IAsyncLifetime, IClassFixture<ConsoleBrowser>
{
    private readonly EchoAgentLegRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "console-test-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
        _relay.Dispose();
    }

    [Fact]
    public async Task The_console_page_and_the_SignalR_bundle_are_served_anonymously_under_api_console()
    {
        using var redirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        using var root = await redirect.GetAsync("/api/console");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/api/console/", root.Headers.Location?.ToString());

        using var index = await _app.Client.GetAsync("/api/console/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        using var module = await _app.Client.GetAsync("/api/console/app.js");
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
        var bundle = await _app.Client.GetStringAsync("/api/console/vendor/signalr.min.js");
        Assert.Contains("HubConnectionBuilder", bundle, StringComparison.Ordinal);

        using var outside = await _app.Client.GetAsync("/api/console/..%2F..%2Fhandler.dll");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var missing = await _app.Client.GetAsync("/api/console/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_agent_signs_in_goes_available_accepts_with_real_audio_and_records_a_disposition_after_Meta_hangs_up()
    {
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(page, "agent-1");

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900555"), SdpRules.MetaOffer());
        Assert.Equal(200, call.Connect.ResponseStatus);

        var card = page.Locator($"#incoming-list [data-call-id='{call.CallId}']");
        // The notification names the customer by their contact key (the BSUID; Meta's webhook carried no number).
        await Assertions.Expect(card.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Incoming call from ZZ.FAKE447700900555");
        var accept = card.GetByRole(AriaRole.Button, new() { Name = "Accept" });
        await Assertions.Expect(accept).ToBeEnabledAsync();
        await accept.ClickAsync();

        // The page's RTCPeerConnection connects to the relay's leg: ICE, DTLS and SRTP really ran.
        await page.Locator("#in-call[data-media='connected']").WaitForAsync();
        Assert.Equal("connected", await page.EvaluateAsync<string>("() => window.agentConsole.peerConnectionState()"));
        var (callId, agent, offer, leg) = Assert.Single(_relay.AgentLegs);
        Assert.Equal((call.CallId, "agent-1"), (callId, agent));
        Assert.Contains("a=fingerprint:sha-256", offer, StringComparison.Ordinal);
        Assert.Contains("a=ice-ufrag:", offer, StringComparison.Ordinal);
        await leg.Connected.WaitAsync(TimeSpan.FromSeconds(30));
        await Assertions.Expect(page.Locator("#call-customer")).ToHaveTextAsync("ZZ.FAKE447700900555");

        await _meta.Users.HangUpAsync(call.CallId);

        var disposition = page.Locator($"#disposition[data-call-id='{call.CallId}']");
        await Assertions.Expect(disposition).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#in-call")).ToBeHiddenAsync();
        await page.GetByLabel("Resolved").CheckAsync();
        await page.GetByLabel("Note (optional)").FillAsync("Order reshipped");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save outcome" }).ClickAsync();
        await Assertions.Expect(page.Locator("#snackbar")).ToContainTextAsync("Outcome saved: Resolved");
        await Assertions.Expect(disposition).ToBeHiddenAsync();

        using var api = await _app.ClientForAsync("agent-1");
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallId}");
        Assert.Equal("resolved", stored.GetProperty("dispositionCode").GetString());
        Assert.Equal("Recorded", stored.GetProperty("disposition").GetString());
    }

    [Fact]
    public async Task A_busy_agent_sees_the_next_call_with_Accept_disabled_and_the_reason()
    {
        using (var admin = await _app.ClientForAsync("admin-1"))
        using (var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1", "agent-2" } }))
        {
            order.EnsureSuccessStatusCode();
        }

        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(page, "agent-1");
        var first = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900601"), SdpRules.MetaOffer());
        await page.Locator($"#incoming-list [data-call-id='{first.CallId}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await page.Locator("#in-call[data-media='connected']").WaitForAsync();

        using var teammate = await _app.ClientForAsync("agent-2");
        using (var available = await teammate.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" }))
        {
            available.EnsureSuccessStatusCode();
        }

        var second = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900602"), SdpRules.MetaOffer());

        var card = page.Locator($"#incoming-list [data-call-id='{second.CallId}']");
        var accept = card.GetByRole(AriaRole.Button, new() { Name = "Accept" });
        await Assertions.Expect(accept).ToBeDisabledAsync();
        await Assertions.Expect(card.Locator(".reason")).ToContainTextAsync("on another call");
        // The reason is the button's description, so a screen reader says why it is disabled.
        var describedBy = await accept.GetAttributeAsync("aria-describedby");
        Assert.Equal(describedBy, await card.Locator(".reason").GetAttributeAsync("id"));
        Assert.Equal("connected", await page.EvaluateAsync<string>("() => window.agentConsole.peerConnectionState()"));
    }

    [Fact]
    public async Task A_disposition_the_server_refuses_shows_the_problem_detail_and_keeps_the_form()
    {
        var page = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(page, "agent-1");
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900701"), SdpRules.MetaOffer());
        await page.Locator($"#incoming-list [data-call-id='{call.CallId}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await page.Locator("#in-call[data-media='connected']").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "End call" }).ClickAsync();
        var form = page.Locator($"#disposition[data-call-id='{call.CallId}']");
        await Assertions.Expect(form).ToBeVisibleAsync();

        // The same agent records the outcome from another tab first: the page's save is then a 409.
        using (var elsewhere = await _app.ClientForAsync("agent-1"))
        using (var recorded = await elsewhere.PostAsJsonAsync($"/api/calls/{call.CallId}/disposition", new { code = "no-answer" }))
        {
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        // Submitting without a choice is explained before anything is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save outcome" }).ClickAsync();
        await Assertions.Expect(form.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Choose the outcome of the call.");

        await page.GetByLabel("Follow up required").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save outcome" }).ClickAsync();
        await Assertions.Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("Saving the outcome was refused:");
        await Assertions.Expect(form).ToBeVisibleAsync();
        using var api = await _app.ClientForAsync("agent-1");
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallId}");
        Assert.Equal("no-answer", stored.GetProperty("dispositionCode").GetString());
        Assert.Contains(_meta.Requests.All, r => (string?)r.Json?["action"] == "terminate" && (string?)r.Json?["call_id"] == call.CallId);
    }

    [Fact]
    public async Task An_agent_transfers_with_a_note_and_the_teammate_accepts_in_their_console_with_real_audio()
    {
        using (var admin = await _app.ClientForAsync("admin-1"))
        using (var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1" } }))
        {
            order.EnsureSuccessStatusCode();
        }

        var first = await browser.OpenConsoleAsync(_app.BaseAddress);
        var teammate = await browser.OpenConsoleAsync(_app.BaseAddress);
        await ConsolePages.SignInAvailableAsync(first, "agent-1");
        await ConsolePages.SignInAvailableAsync(teammate, "agent-2");
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900801"), SdpRules.MetaOffer());
        await first.Locator($"#incoming-list [data-call-id='{call.CallId}']").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await first.Locator("#in-call[data-media='connected']").WaitForAsync();

        await first.GetByRole(AriaRole.Button, new() { Name = "Transfer…" }).ClickAsync();
        await first.GetByLabel("agent-2").CheckAsync();
        await first.GetByLabel("Note for your teammate (optional)").FillAsync("asks about billing");
        await first.GetByRole(AriaRole.Button, new() { Name = "Transfer call" }).ClickAsync();
        await Assertions.Expect(first.Locator("#snackbar")).ToContainTextAsync("Ringing agent-2");

        var offer = teammate.Locator($"#incoming-list [data-call-id='{call.CallId}'][data-kind='transfer']");
        await Assertions.Expect(offer).ToContainTextAsync("Note: asks about billing");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept transfer" }).ClickAsync();

        await teammate.Locator("#in-call[data-media='connected']").WaitForAsync();
        Assert.Equal("connected", await teammate.EvaluateAsync<string>("() => window.agentConsole.peerConnectionState()"));
        await Assertions.Expect(first.Locator("#in-call")).ToBeHiddenAsync();
        await Assertions.Expect(first.Locator("#snackbar")).ToContainTextAsync("agent-2 accepted the transfer");
        Assert.Null(await first.EvaluateAsync<string?>("() => window.agentConsole.peerConnectionState()"));

        var teammateLeg = Assert.Single(_relay.AgentLegs, l => l.Agent == "agent-2");
        await teammateLeg.Leg.Connected.WaitAsync(TimeSpan.FromSeconds(30));
        using var api = await _app.ClientForAsync("agent-2");
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallId}");
        Assert.Equal("agent-2", stored.GetProperty("agent").GetString());
    }
}
