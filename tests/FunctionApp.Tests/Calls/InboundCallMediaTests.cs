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
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// The relay's events reach the call (<c>POST /api/relay/events</c> with the relay key): media connected moves an
/// accepted call on, media lost goes to the timeline and the agent, a recording is kept and shown, a redelivered
/// event id is applied once (durably); and the agent's mute goes to the relay and is shown on the call.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundCallMediaTests(AzuriteFixture azurite) : IAsyncLifetime
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
        await CallsTestEnvironment.TopUpAsync(_app, "media-test-top-up");
        _relayEvents = new RelayEventsClient(_app);
    }

    public async Task DisposeAsync()
    {
        _relayEvents.Dispose();
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task Media_connected_from_the_relay_moves_an_accepted_call_to_connected()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        var calls = _app.Services.GetRequiredService<InboundCalls>();
        var store = _app.Services.GetRequiredService<CallStore>();
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        var callId = new CallId("wacid.media-" + Guid.NewGuid().ToString("N"));
        await calls.OfferAsync(
            new InboundOffer(callId, new BusinessNumberId(RunningFunctionApp.BusinessNumberId), null, DateTimeOffset.UtcNow, CallAdmission.Admitted),
            SdpRules.MetaOffer(), graphAllowed: false, CancellationToken.None);

        // Accepted, but Graph's answer to accept never came back: only the relay can tell that media flows.
        var agent = (await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent;
        await store.ApplyAsync(callId, (state, _) => ValueTask.FromResult(calls.Machine.Accept(state, agent, DateTimeOffset.UtcNow)), CancellationToken.None);
        Assert.Equal(InboundCallPhase.Accepted, (await store.GetAsync(callId, CancellationToken.None))!.Phase);

        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync(callId.Value, "media_connected", new { remoteAddress = "157.240.0.1:3480" }));

        var call = await store.GetAsync(callId, CancellationToken.None);
        Assert.Equal(InboundCallPhase.Connected, call!.Phase);
        Assert.Contains(_journal.Timeline, e => e.CallId == callId && e.What == CallTimelineKind.Connected);
    }

    [Fact]
    public async Task Media_lost_reaches_the_timeline_and_the_agent_once_even_when_redelivered()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        await using var console = await SignalRJsonClient.ConnectAsync(one);
        var callId = await StartAsync(_meta, _app, one, console, "447700900201");

        var eventId = "lost-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync(callId, "media_lost", new { reason = "consent_expired" }, eventId));
        var lost = await NextAsync(console, "mediaLost");
        Assert.Equal("consent_expired", lost.GetProperty("reason").GetString());
        Assert.Equal("meta", lost.GetProperty("legId").GetString());

        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync(callId, "media_lost", new { reason = "consent_expired" }, eventId));
        Assert.Single(_journal.Timeline, e => e.CallId.Value == callId && e.What == CallTimelineKind.MediaLost);

        // The receipt is in storage, not in this instance's memory: a fresh reader sees the event as done.
        var receipts = new RelayEventReceipts(_app.Services.GetRequiredService<AppStorage>());
        Assert.False(await receipts.ClaimAsync(new MediaLost(eventId, new CallId(callId), "meta", DateTimeOffset.UtcNow, "consent_expired"), CancellationToken.None));
    }

    [Fact]
    public async Task A_stored_recording_is_kept_on_the_call_without_its_access_token_and_shown_by_GET()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        await using var console = await SignalRJsonClient.ConnectAsync(one);
        var callId = await StartAsync(_meta, _app, one, console, "447700900202");

        var status = await PostEventAsync(callId, "recording_ready",
            new { uri = "https://rec.blob.core.windows.net/recordings/call-1.ogg?sv=2024&sig=secret", durationSeconds = 42.5, contentType = "audio/ogg" },
            legId: null);
        Assert.Equal(HttpStatusCode.Accepted, status);

        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        var recording = read.GetProperty("recording");
        Assert.Equal("https://rec.blob.core.windows.net/recordings/call-1.ogg", recording.GetProperty("uri").GetString());
        Assert.Equal(42.5, recording.GetProperty("durationSeconds").GetDouble());
        Assert.Contains(_journal.Timeline, e => e.CallId.Value == callId && e.What == CallTimelineKind.RecordingReady);

        // DTMF and quality reports are accepted and change nothing on the call.
        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync(callId, "dtmf", new { digit = "5", durationMs = 120 }));
        Assert.Equal(HttpStatusCode.Accepted, await PostEventAsync(callId, "quality_report", new { packetsReceived = 900, packetsLost = 100, jitterMs = 12.5 }));
        Assert.Equal(read.GetProperty("version").GetInt64(), (await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_agent_on_the_call_mutes_at_the_relay_and_nobody_else_may()
    {
        using var one = await _app.ClientForAsync("agent-1");
        using var two = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(one);
        await using var console = await SignalRJsonClient.ConnectAsync(one);
        var callId = await StartAsync(_meta, _app, one, console, "447700900203");

        using (var bad = await one.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = "yes" }))
        {
            Assert.Equal("muted", (await ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        }

        using (var notYours = await two.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = true }))
        {
            Assert.Equal(nameof(CallRefusal.NotTheAgentOnTheCall), (await ProblemAsync(notYours, HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        }

        using (var mute = await one.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = true }))
        {
            Assert.Equal(HttpStatusCode.OK, mute.StatusCode);
            Assert.True((await mute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("muted").GetBoolean());
        }

        Assert.Contains($"mute {callId} a-agent-1 True", _relay.Operations);
        Assert.True((await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}")).GetProperty("muted").GetBoolean());

        using (var unmute = await one.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = false }))
        {
            Assert.False((await unmute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("muted").GetBoolean());
        }

        Assert.Contains($"mute {callId} a-agent-1 False", _relay.Operations);
        Assert.False((await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}")).GetProperty("muted").GetBoolean());
    }

    private Task<HttpStatusCode> PostEventAsync(string callId, string type, object data, string? eventId = null, string? legId = "meta") =>
        _relayEvents.PostAsync(callId, type, data, eventId, legId);
}
