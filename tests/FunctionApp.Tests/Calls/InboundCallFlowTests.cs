using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using WhatsAppCalling.FunctionApp.Webhooks;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Issue 8's inbound path end to end: the fake Meta posts a signed user-initiated connect, the agent hears it over
/// a real SignalR connection, accepts through the API, and Meta's terminate ends the call.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundCallFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "calls-test-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_user_call_rings_agent_1_who_accepts_and_Meta_hangs_up_then_a_disposition_is_recorded()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);
        await using var console = await SignalRJsonClient.ConnectAsync(agent);

        var call = await _meta.SendUserInitiatedConnectAsync(options().CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900555"), SdpRules.MetaOffer());
        Assert.Equal(200, call.Connect.ResponseStatus);

        var incoming = await NextAsync(console, "incomingCall");
        Assert.Equal(call.CallId, incoming.GetProperty("callId").GetString());
        Assert.True(incoming.GetProperty("canAcceptNow").GetBoolean());

        using var accept = await agent.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var accepted = await accept.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(RecordingMediaRelay.AgentAnswer, accepted.GetProperty("sdpAnswer").GetString());
        Assert.Equal("Connected", accepted.GetProperty("call").GetProperty("phase").GetString());

        // Meta saw pre_accept, then accept, with the very same SDP answer (§2.3).
        var actions = _meta.Requests.All.Where(r => r.Method == "POST" && r.Path.EndsWith("/calls", StringComparison.Ordinal)).Select(r => r.Json!).ToList();
        Assert.Equal(["pre_accept", "accept"], actions.Select(a => (string)a["action"]!).ToArray());
        Assert.All(actions, a => Assert.Equal(RecordingMediaRelay.MetaLegAnswer, (string?)a["session"]!["sdp"]));

        await _meta.Users.HangUpAsync(call.CallId);
        var ended = await NextAsync(console, "callEnded");
        Assert.True(ended.GetProperty("dispositionRequired").GetBoolean());
        var stored = await CallAsync(call.CallId);
        Assert.Equal(InboundCallPhase.Ended, stored.Phase);
        var directory = _app.Services.GetRequiredService<FunctionApp.Calls.Agents.AgentDirectory>();
        Assert.False((await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.IsOnCall);

        using var disposition = await agent.PostAsJsonAsync($"/api/calls/{call.CallId}/disposition", new { code = "resolved", note = "sorted" });
        Assert.Equal(HttpStatusCode.OK, disposition.StatusCode);
        var read = await agent.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallId}");
        Assert.Equal("resolved", read.GetProperty("dispositionCode").GetString());

        FakeMetaOptions options() => _meta.Options;
    }

    [Fact]
    public async Task Two_agents_accepting_at_once_leave_exactly_one_winner_and_the_other_gets_409()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1", "agent-2" }, ringAllRemaining = true });
        order.EnsureSuccessStatusCode();
        using var one = await _app.ClientForAsync("agent-1");
        using var two = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(one);
        await GoAvailableAsync(two);
        var store = _app.Services.GetRequiredService<CallStore>();
        var calls = _app.Services.GetRequiredService<InboundCalls>();
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900777"), SdpRules.MetaOffer());
        var callId = new CallId(call.CallId);
        await RingingAsync(store, callId);

        await calls.TimerFiredAsync(new CallTimer(callId, CallTimerKind.RingEscalation, DateTimeOffset.UtcNow, (await store.GetAsync(callId, CancellationToken.None))!.Ring!.StepVersion), CancellationToken.None);
        Assert.Equal(2, (await store.GetAsync(callId, CancellationToken.None))!.Ring!.Offered.Length);

        var body = new { sdpOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" };
        var responses = await Task.WhenAll(
            one.PostAsJsonAsync($"/api/calls/{callId}/accept", body),
            two.PostAsJsonAsync($"/api/calls/{callId}/accept", body));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(nameof(CallRefusal.AlreadyTaken), (await loser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var stored = await store.GetAsync(callId, CancellationToken.None);
        Assert.NotNull(stored!.Agent);
        Assert.Single(_relay.Operations, o => o.StartsWith($"leg {callId}", StringComparison.Ordinal));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task An_agent_who_goes_away_stops_ringing_and_one_who_comes_back_is_rung()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1", "agent-2" } });
        order.EnsureSuccessStatusCode();
        using var one = await _app.ClientForAsync("agent-1");
        using var two = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(one);
        var store = _app.Services.GetRequiredService<CallStore>();
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900888"), SdpRules.MetaOffer());
        var callId = new CallId(call.CallId);
        await RingingAsync(store, callId);
        Assert.Equal([new AgentId("agent-1")], (await store.GetAsync(callId, CancellationToken.None))!.Ring!.Ringing.ToArray());

        using (var away = await one.PutAsJsonAsync("/api/agents/me/presence", new { presence = "away" }))
        {
            away.EnsureSuccessStatusCode();
        }

        Assert.Empty((await store.GetAsync(callId, CancellationToken.None))!.Ring!.Ringing);

        await using var console = await SignalRJsonClient.ConnectAsync(two);
        await GoAvailableAsync(two);
        var incoming = await NextAsync(console, "incomingCall");
        Assert.Equal(call.CallId, incoming.GetProperty("callId").GetString());
        Assert.Equal([new AgentId("agent-2")], (await store.GetAsync(callId, CancellationToken.None))!.Ring!.Ringing.ToArray());
    }

    [Fact]
    public async Task A_decline_moves_the_ring_on_and_the_agent_who_accepts_may_end_the_call_through_Graph()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1", "agent-2" } });
        order.EnsureSuccessStatusCode();
        using var one = await _app.ClientForAsync("agent-1");
        using var two = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(one);
        await GoAvailableAsync(two);
        await using var oneConsole = await SignalRJsonClient.ConnectAsync(one);
        await using var twoConsole = await SignalRJsonClient.ConnectAsync(two);
        var store = _app.Services.GetRequiredService<CallStore>();
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900666"), SdpRules.MetaOffer());
        var callId = new CallId(call.CallId);
        await RingingAsync(store, callId);
        Assert.Equal(call.CallId, (await NextAsync(oneConsole, "incomingCall")).GetProperty("callId").GetString());

        using (var notOffered = await two.PostAsync($"/api/calls/{call.CallId}/decline", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, notOffered.StatusCode);
            Assert.Equal(nameof(CallRefusal.NotOfferedToAgent), (await notOffered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        using (var decline = await one.PostAsync($"/api/calls/{call.CallId}/decline", null))
        {
            Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        }

        Assert.Equal([new AgentId("agent-2")], (await store.GetAsync(callId, CancellationToken.None))!.Ring!.Ringing.ToArray());

        // The decliner's banner goes away, saying who rings now; the next agent is rung.
        var withdrawn = await NextAsync(oneConsole, "callWithdrawn");
        Assert.Equal(call.CallId, withdrawn.GetProperty("callId").GetString());
        Assert.Equal("declined", withdrawn.GetProperty("reason").GetString());
        Assert.Equal(new[] { "agent-2" }, withdrawn.GetProperty("nowRinging").EnumerateArray().Select(a => a.GetString() ?? string.Empty).ToArray());
        Assert.Equal(call.CallId, (await NextAsync(twoConsole, "incomingCall")).GetProperty("callId").GetString());
        using (var accept = await two.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = "v=0\r\ns=-\r\n" }))
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        }

        using (var end = await two.PostAsync($"/api/calls/{call.CallId}/end", null))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }

        Assert.True((await store.GetAsync(callId, CancellationToken.None))!.IsClosed);
        Assert.Contains(_meta.Requests.All, r => (string?)r.Json?["action"] == "terminate" && (string?)r.Json?["call_id"] == call.CallId);
        using var unknown = await two.PostAsync("/api/calls/wacid.nothing/end", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_connect_redelivered_after_the_relay_failed_opens_the_session_again()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        var calls = _app.Services.GetRequiredService<InboundCalls>();
        var store = _app.Services.GetRequiredService<CallStore>();
        var callId = new CallId("wacid.retry-" + Guid.NewGuid().ToString("N"));
        var offer = new InboundOffer(callId, new BusinessNumberId(RunningFunctionApp.BusinessNumberId), null, DateTimeOffset.UtcNow, CallAdmission.Admitted);
        _relay.FailNextCreate = true;

        await Assert.ThrowsAsync<MediaRelayException>(() => calls.OfferAsync(offer, SdpRules.MetaOffer(), graphAllowed: false, CancellationToken.None));
        Assert.Null(await store.GetMetaAnswerAsync(callId, CancellationToken.None));
        await calls.OfferAsync(offer, SdpRules.MetaOffer(), graphAllowed: false, CancellationToken.None);

        Assert.Equal(RecordingMediaRelay.MetaLegAnswer, await store.GetMetaAnswerAsync(callId, CancellationToken.None));
        Assert.Equal(2, _relay.Operations.Count(o => o == $"create {callId}"));
        Assert.Equal(InboundCallPhase.Ringing, (await store.GetAsync(callId, CancellationToken.None))!.Phase);
    }

    [Fact]
    public async Task A_stale_connect_rings_but_makes_no_Graph_call()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        var callId = new CallId("wacid.stale-" + Guid.NewGuid().ToString("N"));
        var now = DateTimeOffset.UtcNow;
        var header = new EventHeader(
            "calls", RunningFunctionApp.WabaId, new BusinessNumberId(RunningFunctionApp.BusinessNumberId), "442079460000", now,
            new WebhookContact(null, PhoneNumber.Parse("447700900333"), "447700900333", null, "Ana", null), [], 0, 0, 0);
        var connect = new CallConnected(header, callId, WhatsAppCalling.Domain.Webhooks.CallDirection.UserInitiated, "offer", SdpRules.MetaOffer(), null, null, null);
        using var scope = _app.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IWhatsAppEventHandler>().Single(h => h.Name == "calls");

        await handler.HandleAsync(connect, new EventContext("stale-" + callId, header.BusinessNumberId, RunningFunctionApp.WabaId, now, IsStale: true, "delivery-stale"), CancellationToken.None);

        var stored = await _app.Services.GetRequiredService<CallStore>().GetAsync(callId, CancellationToken.None);
        Assert.Equal(InboundCallPhase.Ringing, stored!.Phase);
        Assert.DoesNotContain(_meta.Requests.All, r => r.Body.Contains(callId.Value, StringComparison.Ordinal));
    }

    private static async Task RingingAsync(CallStore store, CallId callId)
    {
        var deadline = DateTimeOffset.UtcNow + Wait;
        while ((await store.GetAsync(callId, CancellationToken.None))?.Phase != InboundCallPhase.Ringing)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Call {callId} never rang.");
            await Task.Delay(100);
        }
    }


    private async Task<InboundCall> CallAsync(string callId)
    {
        var store = _app.Services.GetRequiredService<CallStore>();
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (true)
        {
            var call = await store.GetAsync(new CallId(callId), CancellationToken.None);
            if (call is { IsClosed: true } || DateTimeOffset.UtcNow > deadline)
            {
                return call ?? throw new InvalidOperationException($"Call {callId} was never stored.");
            }

            await Task.Delay(100);
        }
    }
}
