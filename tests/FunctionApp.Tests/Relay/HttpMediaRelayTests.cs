using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Tests.Relay;

/// <summary><see cref="HttpMediaRelay"/> against the contract fake (docs/RELAY-API.md).</summary>
public sealed class HttpMediaRelayTests : IAsyncLifetime
{
    // Base64 call ids may contain '/', '+' and '=': the worst case for a path segment.
    private static readonly CallId Call = new("wacid.HBgL/MTIz+NDU2=");
    private static readonly RelaySessionSettings Settings = new(new BusinessNumberId("200000000000001"), Recording: false);
    private const string MetaOffer = "v=0\r\no=meta 1 1 IN IP4 157.240.0.1\r\ns=-\r\na=setup:actpass\r\n";
    private const string BrowserOffer = "v=0\r\no=chrome 1 1 IN IP4 127.0.0.1\r\ns=-\r\na=setup:actpass\r\n";

    private FakeMediaRelay _relay = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _relay = await FakeMediaRelay.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _relay.DisposeAsync();
    }

    private HttpMediaRelay Client(string? apiKey = FakeMediaRelay.ApiKey, int timeoutSeconds = 5, int attempts = 3) => new(
        _http,
        Options.Create(new RelayOptions { BaseUrl = _relay.BaseAddress.AbsoluteUri, ApiKey = apiKey, RequestTimeoutSeconds = timeoutSeconds, MaxAttempts = attempts }),
        TimeProvider.System,
        NullLogger<HttpMediaRelay>.Instance);

    private JsonElement LastBody(string method) =>
        JsonDocument.Parse(_relay.Requests.Last(r => r.Method == method).Body).RootElement;

    [Fact]
    public async Task A_user_initiated_session_sends_metas_offer_and_returns_the_relays_answer()
    {
        var answer = await Client().CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);

        Assert.Equal(new MetaLegSdp("meta", FakeMediaRelay.RelayAnswer), answer);
        var request = _relay.Requests.Single();
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/v1/sessions/wacid.HBgL%2FMTIz+NDU2=", request.Path);
        var body = LastBody("PUT");
        Assert.Equal("user_initiated", body.GetProperty("direction").GetString());
        Assert.Equal(MetaOffer, body.GetProperty("metaOffer").GetString());
        Assert.Equal("wacid.HBgL/MTIz+NDU2=", Assert.Single(_relay.Sessions).Key);
    }

    [Fact]
    public async Task Creating_twice_is_idempotent_and_a_different_repeat_is_a_conflict()
    {
        var relay = Client();
        var first = await relay.CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);
        var again = await relay.CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(_relay.Sessions);
        var conflict = await Assert.ThrowsAsync<MediaRelayException>(() =>
            relay.CreateBusinessInitiatedSessionAsync(Call, Settings, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("conflict", conflict.Code);
    }

    [Fact]
    public async Task An_outbound_session_returns_the_relays_offer_and_then_takes_metas_answer()
    {
        var relay = Client();
        var offer = await relay.CreateBusinessInitiatedSessionAsync(Call, Settings with { Recording = true }, CancellationToken.None);
        await relay.ApplyMetaAnswerAsync(Call, "v=0\r\na=setup:active\r\n", CancellationToken.None);

        Assert.Equal(FakeMediaRelay.RelayOffer, offer.Sdp);
        Assert.False(LastBody("PUT").TryGetProperty("metaOffer", out _));
        var session = _relay.Sessions[Call.Value];
        Assert.True(session.Recording);
        Assert.Equal("v=0\r\na=setup:active\r\n", session.MetaAnswer);
    }

    [Fact]
    public async Task Agent_legs_are_added_switched_muted_and_removed()
    {
        var relay = Client();
        await relay.CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);

        var first = await relay.AddAgentLegAsync(Call, new AgentLegRequest("agent-1-a", new AgentId("agent-1"), BrowserOffer, Active: true), CancellationToken.None);
        var second = await relay.AddAgentLegAsync(Call, new AgentLegRequest("agent-2-a", new AgentId("agent-2"), BrowserOffer, Active: false), CancellationToken.None);
        var switched = await relay.SwitchActiveLegAsync(Call, "agent-2-a", CancellationToken.None);
        await relay.SetMutedAsync(Call, "agent-2-a", muted: true, CancellationToken.None);
        await relay.RemoveAgentLegAsync(Call, "agent-1-a", CancellationToken.None);

        Assert.Equal(new AgentLegSdp("agent-1-a", FakeMediaRelay.BrowserAnswer, Active: true), first);
        Assert.False(second.Active);
        Assert.Equal(new ActiveLegSwitch("agent-2-a", "agent-1-a"), switched);
        var session = _relay.Sessions[Call.Value];
        Assert.Equal("agent-2-a", session.ActiveLegId);
        Assert.True(Assert.Single(session.Legs).Value.Muted);
    }

    [Fact]
    public async Task Removing_the_active_leg_is_refused_and_unknown_legs_are_not_found()
    {
        var relay = Client();
        await relay.CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);
        await relay.AddAgentLegAsync(Call, new AgentLegRequest("agent-1-a", new AgentId("agent-1"), BrowserOffer, Active: true), CancellationToken.None);

        var active = await Assert.ThrowsAsync<MediaRelayException>(() => relay.RemoveAgentLegAsync(Call, "agent-1-a", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<MediaRelayException>(() => relay.SwitchActiveLegAsync(Call, "agent-9", CancellationToken.None));

        Assert.Equal("active_leg", active.Code);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("leg_not_found", missing.Code);
    }

    [Fact]
    public async Task Ending_is_idempotent_and_carries_the_reason()
    {
        var relay = Client();
        await relay.CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);

        await relay.EndSessionAsync(Call, "customer hung up", CancellationToken.None);
        await relay.EndSessionAsync(Call, "customer hung up", CancellationToken.None);
        await relay.EndSessionAsync(new CallId("wacid.never"), "cleanup", CancellationToken.None);

        Assert.Equal("customer hung up", _relay.Sessions[Call.Value].EndReason);
        Assert.Contains(_relay.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("?reason=customer%20hung%20up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_problem_with_its_code()
    {
        var error = await Assert.ThrowsAsync<MediaRelayException>(() =>
            Client(apiKey: "wrong").CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("unauthorized", error.Code);
        Assert.Single(_relay.Requests);
    }

    [Fact]
    public async Task An_unusable_offer_is_422_and_not_retried()
    {
        var error = await Assert.ThrowsAsync<MediaRelayException>(() =>
            Client().CreateUserInitiatedSessionAsync(Call, "not sdp", Settings, CancellationToken.None));

        Assert.Equal((HttpStatusCode)422, error.Status);
        Assert.Equal("sdp_rejected", error.Code);
        Assert.Single(_relay.Requests);
    }

    [Fact]
    public async Task A_503_then_success_is_retried_and_the_create_happens_once()
    {
        _relay.ScriptFault(503);

        var answer = await Client().CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None);

        Assert.Equal(FakeMediaRelay.RelayAnswer, answer.Sdp);
        Assert.Equal(2, _relay.Requests.Count);
        Assert.Single(_relay.Sessions);
    }

    [Fact]
    public async Task A_relay_slower_than_the_attempt_timeout_is_retried_then_reported_unavailable()
    {
        _relay.ScriptFault(0, TimeSpan.FromSeconds(3));
        _relay.ScriptFault(0, TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<MediaRelayException>(() =>
            Client(timeoutSeconds: 1, attempts: 2).CreateUserInitiatedSessionAsync(Call, MetaOffer, Settings, CancellationToken.None));

        Assert.Null(error.Status);
        Assert.Equal(MediaRelayException.Unavailable, error.Code);
        Assert.Contains("2 attempt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_base_url_every_call_fails_clearly()
    {
        var relay = new HttpMediaRelay(_http, Options.Create(new RelayOptions()), TimeProvider.System, NullLogger<HttpMediaRelay>.Instance);

        var error = await Assert.ThrowsAsync<MediaRelayException>(() => relay.EndSessionAsync(Call, "x", CancellationToken.None));

        Assert.Contains("Relay__BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Empty(_relay.Requests);
    }

    [Fact]
    public async Task Leg_ids_outside_the_contract_are_refused_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SwitchActiveLegAsync(Call, "meta", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SetMutedAsync(Call, "a/b", true, CancellationToken.None));
        Assert.Empty(_relay.Requests);
    }

    [Theory]
    [InlineData("not a url", "k", "Relay__BaseUrl")]
    [InlineData("http://relay:7080", null, "Relay__ApiKey")]
    [InlineData("ftp://relay", "k", "Relay__BaseUrl")]
    public void Options_are_validated_only_when_a_relay_is_configured(string baseUrl, string? key, string named)
    {
        var validator = new RelayOptionsValidator();

        Assert.True(validator.Validate(null, new RelayOptions()).Succeeded);
        var result = validator.Validate(null, new RelayOptions { BaseUrl = baseUrl, ApiKey = key });
        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }
}
