using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MediaRelay.Tests;

// The control API's edges without media: authentication, input problems naming the field, 404s, idempotency.
public sealed class ControlApiTests : IAsyncLifetime
{
    private RelayTestHost _relay = null!;

    public async Task InitializeAsync() => _relay = await RelayTestHost.StartAsync();

    public async Task DisposeAsync() => await _relay.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key-wrong")]
    [InlineData("Basic cmVsYXk6a2V5")]
    public async Task Every_route_but_health_refuses_a_missing_or_wrong_key_with_a_401_problem(string? authorization)
    {
        using var anonymous = new HttpClient { BaseAddress = _relay.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Put, "v1/sessions/wacid.AUTH")
        {
            Content = JsonContent.Create(new { direction = "business_initiated", businessNumberId = "1065" }),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await anonymous.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
        Assert.False(_relay.Sessions.TryGet("wacid.AUTH", out _));
        using var health = await anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{}", "direction")]
    [InlineData("""{"direction":"sideways","businessNumberId":"1065"}""", "direction")]
    [InlineData("""{"direction":"user_initiated"}""", "businessNumberId")]
    [InlineData("""{"direction":"user_initiated","businessNumberId":"1065"}""", "metaOffer")]
    [InlineData("""{"direction":"user_initiated","businessNumberId":"1065","metaOffer":"hello"}""", "metaOffer")]
    [InlineData("""{"direction":"business_initiated","businessNumberId":"1065","recording":"yes"}""", "recording")]
    [InlineData("""{"direction":"business_initiated","businessNumberId":"1065","metaOffer":"v=0"}""", "metaOffer")]
    public async Task A_malformed_create_body_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var response = await _relay.Client.PutAsync("v1/sessions/wacid.BAD", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(0, _relay.Sessions.Count);
    }

    [Fact]
    public async Task Sdp_that_parses_but_has_no_opus_is_a_422()
    {
        string offer = string.Join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite", "m=audio 3480 UDP/TLS/RTP/SAVPF 0", "c=IN IP4 127.0.0.1",
            "a=candidate:1 1 udp 2130706431 127.0.0.1 3480 typ host", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)), "a=setup:actpass", "a=mid:audio",
            "a=sendrecv", "a=rtcp-mux", "a=rtpmap:0 PCMU/8000", "") + "\r\n";
        using var response = await _relay.Client.PutAsJsonAsync("v1/sessions/wacid.PCMU",
            new { direction = "user_initiated", businessNumberId = "1065", metaOffer = offer });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("sdp_rejected", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Routes_on_an_unknown_session_are_404_and_deletes_succeed()
    {
        using var answer = await _relay.Client.PutAsJsonAsync("v1/sessions/wacid.NONE/meta-answer", new { sdp = "v=0" });
        using var leg = await _relay.Client.PutAsJsonAsync("v1/sessions/wacid.NONE/legs/agent-1", new { agentId = "a", browserOffer = "v=0", active = true });
        using var active = await _relay.Client.PutAsJsonAsync("v1/sessions/wacid.NONE/active-leg", new { legId = "agent-1" });
        using var mute = await _relay.Client.PutAsJsonAsync("v1/sessions/wacid.NONE/legs/agent-1/mute", new { muted = true });
        using var removeLeg = await _relay.Client.DeleteAsync("v1/sessions/wacid.NONE/legs/agent-1");
        using var end = await _relay.Client.DeleteAsync("v1/sessions/wacid.NONE?reason=test");

        foreach (var response in new[] { answer, leg, active, mute })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("session_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.NoContent, removeLeg.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
    }

    [Fact]
    public async Task A_business_initiated_create_offers_actpass_is_idempotent_and_a_different_body_conflicts()
    {
        // '/' '+' '=' in a call id travel as one escaped segment and come back decoded.
        string path = "v1/sessions/" + Uri.EscapeDataString("wacid.HBg/LM+x==");
        var body = new { direction = "business_initiated", businessNumberId = "1065", recording = false };
        using var first = await _relay.Client.PutAsJsonAsync(path, body);
        using var repeat = await _relay.Client.PutAsJsonAsync(path, body);
        using var different = await _relay.Client.PutAsJsonAsync(path, body with { recording = true });
        var session = await first.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal("wacid.HBg/LM+x==", session.GetProperty("sessionId").GetString());
        Assert.Equal("awaiting_meta_answer", session.GetProperty("state").GetString());
        var meta = session.GetProperty("metaLeg");
        Assert.Equal(("meta", "offer", "server"), (meta.GetProperty("legId").GetString(), meta.GetProperty("sdpType").GetString(), meta.GetProperty("dtlsRole").GetString()));
        Assert.Contains("a=setup:actpass", meta.GetProperty("sdp").GetString());
        Assert.DoesNotContain("a=ice-lite", meta.GetProperty("sdp").GetString());
        Assert.Equal(meta.GetProperty("sdp").GetString(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("metaLeg").GetProperty("sdp").GetString());

        using var badLeg = await _relay.Client.PutAsJsonAsync(path + "/legs/meta", new { agentId = "a", browserOffer = "v=0", active = true });
        using var noLegId = await _relay.Client.PutAsJsonAsync(path + "/active-leg", new { });
        using var unknownLeg = await _relay.Client.PutAsJsonAsync(path + "/active-leg", new { legId = "agent-9" });
        using var badMute = await _relay.Client.PutAsJsonAsync(path + "/legs/agent-9/mute", new { muted = "loud" });
        Assert.Equal("legId", (await badLeg.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("legId", (await noLegId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("leg_not_found", (await unknownLeg.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("muted", (await badMute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        using var end = await _relay.Client.DeleteAsync(path + "?reason=test");
        Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
        Assert.False(_relay.Sessions.TryGet("wacid.HBg/LM+x==", out _));
    }
}
