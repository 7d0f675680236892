using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Relay;

/// <summary><c>POST /api/relay/events</c> (docs/RELAY-API.md, "Events") on the running app.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RelayEventsEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string RelayKey = "test-relay-key";

    private RunningFunctionApp _app = null!;
    private HttpClient _relay = null!;

    public async Task InitializeAsync()
    {
        _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);
        _relay = new HttpClient { BaseAddress = _app.BaseAddress };
        _relay.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RelayKey);
    }

    public async Task DisposeAsync()
    {
        _relay.Dispose();
        await _app.DisposeAsync();
    }

    private RecentRelayEvents Sink => _app.Services.GetRequiredService<RecentRelayEvents>();

    private static Dictionary<string, object?> Event(string type, object? data, string? legId = "meta", string eventId = "ev-1") => new()
    {
        ["eventId"] = eventId,
        ["type"] = type,
        ["sessionId"] = "wacid.ABC",
        ["legId"] = legId,
        ["at"] = "2026-11-22T03:00:00.120Z",
        ["data"] = data,
    };

    private async Task<(HttpStatusCode Status, string? Field)> PostAsync(object body)
    {
        using var response = await _relay.PostAsJsonAsync("/api/relay/events", body);
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return (response.StatusCode, null);
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, problem.GetProperty("errors").EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Without_the_relay_key_or_with_a_wrong_one_or_an_agent_token_it_is_401()
    {
        var body = Event("media_connected", new { });
        using var anonymous = await _app.Client.PostAsJsonAsync("/api/relay/events", body);
        using var wrong = new HttpClient { BaseAddress = _app.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-relay-kez");
        using var wrongKey = await wrong.PostAsJsonAsync("/api/relay/events", body);
        using var agent = await _app.ClientForAsync("admin-1");
        using var agentToken = await agent.PostAsJsonAsync("/api/relay/events", body);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, agentToken.StatusCode);
        Assert.Empty(Sink.Recent);
    }

    [Fact]
    public async Task A_valid_event_is_202_and_reaches_the_sink_typed()
    {
        var (status, _) = await PostAsync(Event("dtmf", new { digit = "5", durationMs = 160 }, legId: "agent-1-a"));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var dtmf = Assert.IsType<DtmfReceived>(Assert.Single(Sink.Recent));
        Assert.Equal("wacid.ABC", dtmf.SessionId.Value);
        Assert.Equal("agent-1-a", dtmf.LegId);
        Assert.Equal("5", dtmf.Digit);
        Assert.Equal(160, dtmf.DurationMs);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 0, 0, 120, TimeSpan.Zero), dtmf.At);
    }

    [Fact]
    public async Task Every_documented_type_is_accepted()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("media_connected", new { remoteAddress = "157.240.0.1:3480" }, eventId: "a"))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("media_lost", new { reason = "consent_expired" }, eventId: "b"))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("quality_report",
            new { packetsReceived = 500, packetsLost = 3, jitterMs = 4.5, roundTripMs = 80, mos = 4.2 }, eventId: "c"))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("recording_ready",
            new { uri = "https://acct.blob.core.windows.net/recordings/wacid.ABC.ogg", durationSeconds = 61.5 }, legId: null, eventId: "d"))).Status);

        Assert.Equal(["media_connected", "media_lost", "quality_report", "recording_ready"], Sink.Recent.Select(e => e.Type));
        var recording = Assert.IsType<RecordingReady>(Sink.Recent[^1]);
        Assert.Equal("audio/ogg", recording.ContentType);
        Assert.Null(recording.LegId);
    }

    [Fact]
    public async Task A_redelivered_event_is_accepted_again_but_recorded_once()
    {
        var body = Event("media_lost", new { reason = "dtls_closed" });

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(body)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(body)).Status);
        Assert.Single(Sink.Recent);
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("type")]
    [InlineData("sessionId")]
    [InlineData("legId")]
    [InlineData("at")]
    public async Task A_missing_envelope_field_is_400_naming_it(string field)
    {
        var body = Event("media_connected", new { });
        body.Remove(field);

        Assert.Equal((HttpStatusCode.BadRequest, field), await PostAsync(body));
    }

    [Theory]
    [InlineData("dtmf", """{"digit":"X"}""", "data.digit")]
    [InlineData("media_lost", """{}""", "data.reason")]
    [InlineData("quality_report", """{"packetsReceived":1,"packetsLost":-1,"jitterMs":1}""", "data.packetsLost")]
    [InlineData("quality_report", """{"packetsReceived":1,"packetsLost":0,"jitterMs":1,"mos":7}""", "data.mos")]
    [InlineData("recording_ready", """{"uri":"relative/path","durationSeconds":1}""", "data.uri")]
    [InlineData("teleport", """{}""", "type")]
    public async Task A_bad_data_field_is_400_naming_it(string type, string data, string field)
    {
        var body = Event(type, JsonDocument.Parse(data).RootElement);

        Assert.Equal((HttpStatusCode.BadRequest, field), await PostAsync(body));
        Assert.Empty(Sink.Recent);
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_has_a_bad_timestamp_is_400()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var response = await _relay.PostAsync("/api/relay/events", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var body = Event("media_connected", new { });
        body["at"] = "yesterday";
        Assert.Equal((HttpStatusCode.BadRequest, "at"), await PostAsync(body));
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_400()
    {
        var body = Event("media_lost", new { reason = new string('x', 70 * 1024) });

        Assert.Equal((HttpStatusCode.BadRequest, "body"), await PostAsync(body));
        Assert.Empty(Sink.Recent);
    }

    [Fact]
    public void The_route_is_a_function_named_RelayEvents()
    {
        var functions = WhatsAppCalling.FunctionApp.Hosting.FunctionAppLayout.HttpFunctions(((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app.App).DataSources);

        Assert.Contains(functions, f => f.Name == "RelayEvents" && f.Route == "relay/events" && f.Methods.SequenceEqual(["POST"]));
    }
}
