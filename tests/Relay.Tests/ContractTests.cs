using System.Net;
using MediaRelay.WebRtc.Sdp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace MediaRelay.Tests;

// The contract test: the function app's own client (HttpMediaRelay, exactly what it sends) against the real relay.
public sealed class ContractTests(AgentBrowser browser) : IClassFixture<AgentBrowser>, IAsyncLifetime
{
    private static readonly RelaySessionSettings Settings = new(new BusinessNumberId("106540352242922"), Recording: false);
    private readonly HttpClient _http = new();
    private RelayTestHost _relay = null!;

    public async Task InitializeAsync() => _relay = await RelayTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _relay.DisposeAsync();
    }

    [Fact]
    public async Task The_function_apps_client_drives_a_user_initiated_call_through_every_route()
    {
        var relay = Client();
        await using var meta = MetaPeer.Start("offer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var call = new CallId("wacid.HBgLMTU1NTEyMzQ1NjcVAgASGCA/+Contract==");

        string metaOffer = await meta.OfferAsync(cts.Token);
        var metaLeg = await relay.CreateUserInitiatedSessionAsync(call, metaOffer, Settings, cts.Token);
        var again = await relay.CreateUserInitiatedSessionAsync(call, metaOffer, Settings, cts.Token);
        Assert.Equal("meta", metaLeg.LegId);
        Assert.Equal(metaLeg.Sdp, again.Sdp);
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(metaLeg.Sdp), out var answer));
        Assert.Equal("active", answer!.Setup);
        Assert.False(answer.IceLite);

        var page1 = await browser.OpenAsync();
        var page2 = await browser.OpenAsync();
        var leg1 = await relay.AddAgentLegAsync(call, new AgentLegRequest("agent-1-a", new AgentId("agent-1"), await page1.CreateOfferAsync(), Active: true), cts.Token);
        var leg2 = await relay.AddAgentLegAsync(call, new AgentLegRequest("agent-2-a", new AgentId("agent-2"), await page2.CreateOfferAsync(), Active: false), cts.Token);
        Assert.Equal(("agent-1-a", true), (leg1.LegId, leg1.Active));
        Assert.Equal(("agent-2-a", false), (leg2.LegId, leg2.Active));
        Assert.Contains("a=setup:passive", leg1.SdpAnswer);

        var switched = await relay.SwitchActiveLegAsync(call, "agent-2-a", cts.Token);
        Assert.Equal(new ActiveLegSwitch("agent-2-a", "agent-1-a"), switched);
        await relay.SetMutedAsync(call, "agent-2-a", muted: true, cts.Token);
        Assert.True(_relay.Sessions.Get(call.Value).FindAgentLeg("agent-2-a")!.Muted);

        var refused = await Assert.ThrowsAsync<MediaRelayException>(() => relay.RemoveAgentLegAsync(call, "agent-2-a", cts.Token));
        Assert.Equal((HttpStatusCode.Conflict, "active_leg"), (refused.Status, refused.Code));
        await relay.RemoveAgentLegAsync(call, "agent-1-a", cts.Token);
        await relay.RemoveAgentLegAsync(call, "agent-1-a", cts.Token);
        Assert.Null(_relay.Sessions.Get(call.Value).FindAgentLeg("agent-1-a"));

        await relay.EndSessionAsync(call, "customer_hung_up", cts.Token);
        await relay.EndSessionAsync(call, "customer_hung_up", cts.Token);
        Assert.False(_relay.Sessions.TryGet(call.Value, out _));
        var gone = await Assert.ThrowsAsync<MediaRelayException>(() => relay.SwitchActiveLegAsync(call, "agent-2-a", cts.Token));
        Assert.Equal((HttpStatusCode.NotFound, "session_not_found"), (gone.Status, gone.Code));
    }

    [Fact]
    public async Task The_function_apps_client_drives_a_business_initiated_call_to_connected_media()
    {
        var relay = Client();
        await using var meta = MetaPeer.Start("answer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var call = new CallId("wacid.BIC-Contract");

        var offer = await relay.CreateBusinessInitiatedSessionAsync(call, Settings, cts.Token);
        Assert.Contains("a=setup:actpass", offer.Sdp);
        string metaAnswer = await meta.AnswerAsync(offer.Sdp, cts.Token);
        await relay.ApplyMetaAnswerAsync(call, metaAnswer, cts.Token);
        await relay.ApplyMetaAnswerAsync(call, metaAnswer, cts.Token);
        await meta.WaitConnectedAsync(cts.Token);

        var connected = await _relay.WaitForEventAsync("media_connected", "meta", TimeSpan.FromSeconds(45));
        Assert.Equal(call.Value, connected.SessionId);
        // With no agent yet, the relay keeps Meta's call alive with its own silence.
        await TestSupport.Eventually.UntilAsync(() => Task.FromResult(_relay.Sessions.Get(call.Value).Counters.Silence), n => n >= 10,
            TimeSpan.FromSeconds(30), "silence toward Meta");

        var conflict = await Assert.ThrowsAsync<MediaRelayException>(() => relay.ApplyMetaAnswerAsync(call, metaAnswer.Replace("a=mid:", "a=x-other:1\r\na=mid:", StringComparison.Ordinal), cts.Token));
        Assert.Equal((HttpStatusCode.Conflict, "conflict"), (conflict.Status, conflict.Code));
        await relay.EndSessionAsync(call, "test_done", cts.Token);
        Assert.Empty(_relay.RefusedEvents);
    }

    [Fact]
    public async Task The_clients_errors_carry_the_relays_code_and_field_and_a_wrong_key_is_unauthorized()
    {
        var call = new CallId("wacid.Errors");
        var invalid = await Assert.ThrowsAsync<MediaRelayException>(() =>
            Client().CreateUserInitiatedSessionAsync(call, "this is not sdp", Settings, CancellationToken.None));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request", "metaOffer"), (invalid.Status, invalid.Code, invalid.Field));

        var unauthorized = await Assert.ThrowsAsync<MediaRelayException>(() =>
            Client("wrong-key-wrong-key").CreateBusinessInitiatedSessionAsync(call, Settings, CancellationToken.None));
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (unauthorized.Status, unauthorized.Code));
        Assert.False(_relay.Sessions.TryGet(call.Value, out _));
    }

    private HttpMediaRelay Client(string apiKey = RelayTestHost.ApiKey) => new(
        _http,
        Options.Create(new RelayOptions { BaseUrl = _relay.BaseAddress.AbsoluteUri, ApiKey = apiKey }),
        TimeProvider.System,
        NullLogger<HttpMediaRelay>.Instance);
}
