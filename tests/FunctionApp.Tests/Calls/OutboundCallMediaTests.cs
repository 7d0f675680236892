using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using WhatsAppCalling.Storage.Timers;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// A placed call as the agent's console and the relay see it: progress over SignalR (connecting, ringing, answered),
/// the relay's events for the dial's own session (<c>bic-…</c>) reaching the call, and one agent's two simultaneous
/// dials of which exactly one goes out.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboundCallMediaTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private readonly RecordingJournalSink _journal = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;
    private RelayEventsClient _relayEvents = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(
            azurite.ConnectionString, _relay, services: s => s.AddSingleton<ICallJournalSink>(_journal));
        await CallsTestEnvironment.TopUpAsync(_app, "outbound-media-top-up");
        _relayEvents = new RelayEventsClient(_app);
    }

    public async Task DisposeAsync()
    {
        _relayEvents.Dispose();
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task The_console_follows_the_dial_and_the_relay_seeing_media_connects_the_call_before_Metas_status()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        await using var console = await SignalRJsonClient.ConnectAsync(one);
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900341"));

        var (callId, session) = await PlacedCall.DialAsync(_app, one, "+447700900341");
        Assert.StartsWith("bic-", session.Value, StringComparison.Ordinal);
        var connecting = await NextAsync(console, "placedCallProgress");
        Assert.Equal((callId, "Connecting"), (connecting.GetProperty("callId").GetString(), connecting.GetProperty("phase").GetString()));

        // Meta's answer and RINGING, but no ACCEPTED yet: it mostly trails the media (§1.7).
        await _meta.Users.RingAsync(callId);
        Assert.Equal("Ringing", (await NextAsync(console, "placedCallProgress")).GetProperty("phase").GetString());

        Assert.Equal(HttpStatusCode.Accepted, await _relayEvents.PostAsync(session.Value, "media_connected", new { remoteAddress = "157.240.0.1:3480" }));
        Assert.Equal("Connected", (await NextAsync(console, "placedCallProgress")).GetProperty("phase").GetString());
        var connected = await _app.Services.GetRequiredService<OutboundCalls>().GetAsync(new CallId(callId), CancellationToken.None);
        Assert.Equal(OutboundCallPhase.Connected, connected!.Phase);
        Assert.Contains(_journal.Timeline, e => e.CallId.Value == callId && e.What == CallTimelineKind.Connected);

        // Lost media and the recording land on the call Meta named, not on the session id.
        Assert.Equal(HttpStatusCode.Accepted, await _relayEvents.PostAsync(session.Value, "media_lost", new { reason = "consent_expired" }));
        var lost = await NextAsync(console, "mediaLost");
        Assert.Equal(callId, lost.GetProperty("callId").GetString());
        Assert.Contains(_journal.Timeline, e => e.CallId.Value == callId && e.What == CallTimelineKind.MediaLost);
        Assert.Equal(HttpStatusCode.Accepted, await _relayEvents.PostAsync(session.Value, "recording_ready",
            new { uri = "https://rec.blob.core.windows.net/recordings/bic.ogg?sig=secret", durationSeconds = 12.0, contentType = "audio/ogg" }, legId: null));
        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("https://rec.blob.core.windows.net/recordings/bic.ogg", read.GetProperty("recording").GetProperty("uri").GetString());

        // A state write after the recording keeps it (the row's media columns are carried over).
        await _meta.Users.HangUpAsync(callId);
        await PlacedCall.PhaseAsync(_app, callId, OutboundCallPhase.Ended);
        read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal(12.0, read.GetProperty("recording").GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public async Task Two_dials_by_one_agent_at_the_same_instant_place_exactly_one_call()
    {
        using var agent = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(agent);
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900342"));
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900343"));
        var connectsBefore = _meta.Requests.All.Count(r => (string?)r.Json?["action"] == "connect");

        using var start = new SemaphoreSlim(0);
        async Task<HttpResponseMessage> DialAsync(string to)
        {
            await start.WaitAsync();
            return await agent.PostAsJsonAsync("/api/calls", new { to, sdpOffer = BrowserOffer });
        }

        var first = DialAsync("+447700900342");
        var second = DialAsync("+447700900343");
        start.Release(2);
        var responses = await Task.WhenAll(first, second);
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            var refused = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("agentOnAnotherCall", problem.GetProperty("reason").GetString());
            Assert.Equal(connectsBefore + 1, _meta.Requests.All.Count(r => (string?)r.Json?["action"] == "connect"));
            Assert.Single(_relay.Operations, o => o.StartsWith("create-bic ", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_dial_that_never_became_a_call_frees_its_agent_when_the_claim_timer_fires()
    {
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        var handler = _app.Services.GetServices<IDurableTimerHandler>().OfType<DialClaimTimerHandler>().Single();
        var stuck = new CallId("bic-" + Guid.NewGuid().ToString("N"));
        Assert.True(await directory.TryClaimForDialAsync(new AgentId("agent-3"), stuck, CancellationToken.None));
        Assert.False(await directory.TryClaimForDialAsync(new AgentId("agent-3"), new CallId("bic-another"), CancellationToken.None));

        // A claim that gave way to its call is left alone.
        var handedOver = new CallId("bic-" + Guid.NewGuid().ToString("N"));
        Assert.True(await directory.TryClaimForDialAsync(new AgentId("agent-4"), handedOver, CancellationToken.None));
        await directory.SetActiveCallAsync(new AgentId("agent-4"), new CallId("wacid.placed"), new CallId("wacid.placed"), CancellationToken.None);

        await handler.HandleAsync(DialClaimTimerHandler.For(stuck, new AgentId("agent-3"), DateTimeOffset.UtcNow), CancellationToken.None);
        await handler.HandleAsync(DialClaimTimerHandler.For(handedOver, new AgentId("agent-4"), DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Null((await directory.FindAsync(new AgentId("agent-3"), CancellationToken.None))!.Agent.ActiveCall);
        Assert.Equal(new CallId("wacid.placed"), (await directory.FindAsync(new AgentId("agent-4"), CancellationToken.None))!.Agent.ActiveCall);
    }
}
