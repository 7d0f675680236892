using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TestSupport;
using WhatsAppCalling.Storage.Blobs;

namespace MediaRelay.Tests;

// The relay end to end: werift (ICE-lite, actpass offer, like Meta) as the customer's side, headless Chromium pages
// as agents, everything through the real control API and real UDP on loopback, recordings into real Azurite.
public sealed partial class BridgeTests(AgentBrowser browser, AzuriteFixture azurite) : IClassFixture<AgentBrowser>, IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Customer_and_agent_hear_each_other_audio_follows_a_switch_and_the_call_is_recorded()
    {
        await using var relay = await RelayTestHost.StartAsync(azurite.ConnectionString);
        await using var meta = MetaPeer.Start("offer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        const string callId = "wacid.BRIDGE/1+x==";
        string path = "v1/sessions/" + Uri.EscapeDataString(callId);

        using var created = await relay.Client.PutAsJsonAsync(path, new
        {
            direction = "user_initiated", businessNumberId = "1065", recording = true, metaOffer = await meta.OfferAsync(cts.Token),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await created.Content.ReadFromJsonAsync<JsonElement>();
        string answer = session.GetProperty("metaLeg").GetProperty("sdp").GetString()!;
        Assert.Contains("a=setup:active", answer);
        await meta.AcceptAnswerAsync(answer);
        await meta.WaitConnectedAsync(cts.Token);

        // Agent 1 accepts: the active leg.
        var agent1 = await browser.OpenAsync();
        await AddLegAsync(relay, path, "agent-1", "a1", agent1, active: true);

        var heard1 = await Eventually.UntilAsync(agent1.InboundAsync, s => s.TotalAudioEnergy > 0, Guard, "customer audio at agent 1");
        var customerHeard = await Eventually.UntilAsync(() => meta.StatsAsync(cts.Token), s => s.Audio >= 10, Guard, "agent 1 audio at the customer");
        Assert.True(heard1.PacketsReceived > 0);
        await relay.WaitForEventAsync("media_connected", "meta", Guard);
        await relay.WaitForEventAsync("media_connected", "agent-1", Guard);

        // Agent 2 joins silent (a transfer ringing): connected, but hears nothing and is not heard.
        var agent2 = await browser.OpenAsync();
        await AddLegAsync(relay, path, "agent-2", "a2", agent2, active: false);
        await relay.WaitForEventAsync("media_connected", "agent-2", Guard);
        var leg2 = relay.Sessions.Get(callId).FindAgentLeg("agent-2")!;
        Assert.Equal(0, (await agent2.InboundAsync()).PacketsReceived);
        Assert.Equal(0, leg2.ForwardedToMeta);

        using var switched = await relay.Client.PutAsJsonAsync(path + "/active-leg", new { legId = "agent-2" });
        var switchBody = await switched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("agent-2", "agent-1"), (switchBody.GetProperty("activeLegId").GetString(), switchBody.GetProperty("previousLegId").GetString()));

        var heard2 = await Eventually.UntilAsync(agent2.InboundAsync, s => s.TotalAudioEnergy > 0, Guard, "customer audio at agent 2");
        await Eventually.UntilAsync(() => Task.FromResult(leg2.ForwardedToMeta), n => n >= 10, Guard, "agent 2 audio forwarded to the customer");
        var after = await Eventually.UntilAsync(() => meta.StatsAsync(cts.Token), s => s.Audio >= customerHeard.Audio + 10, Guard, "agent 2 audio at the customer");
        Assert.True(heard2.PacketsReceived > 0);
        // One stream toward the customer across silence, agent 1 and agent 2: one SSRC, sequence numbers continue.
        Assert.Equal(1, after.SsrcCount);
        Assert.InRange(after.MaxSeqJump, 1, 5);

        // Removing the active leg is refused; the previous one can go.
        using var removeActive = await relay.Client.DeleteAsync(path + "/legs/agent-2");
        Assert.Equal(HttpStatusCode.Conflict, removeActive.StatusCode);
        using var removePrevious = await relay.Client.DeleteAsync(path + "/legs/agent-1");
        Assert.Equal(HttpStatusCode.NoContent, removePrevious.StatusCode);

        using var ended = await relay.Client.DeleteAsync(path + "?reason=customer_hung_up");
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        var ready = await relay.WaitForEventAsync("recording_ready", null, Guard);
        var uri = new Uri(ready.Data["uri"].ToString()!);
        Assert.True(double.Parse(ready.Data["durationSeconds"].ToString()!, System.Globalization.CultureInfo.InvariantCulture) > 1);

        var blobName = string.Join('/', uri.AbsolutePath.Split('/').SkipWhile(s => s != "relay-test-recordings").Skip(1).Select(Uri.UnescapeDataString));
        var download = await new BlobServiceClient(azurite.Account).GetContainerClient("relay-test-recordings").GetBlobClient(blobName).DownloadContentAsync();
        byte[] ogg = download.Content.ToArray();
        string text = Encoding.Latin1.GetString(ogg);
        Assert.StartsWith("OggS", text);
        Assert.Equal(2, OpusHead().Count(text));
        Assert.Contains("LEG=caller", text);
        Assert.Contains("LEG=agent", text);
        Assert.Contains("CALL_ID=" + callId, text);
        Assert.Equal("audio/ogg", download.ContentType);
        Assert.Empty(relay.RefusedEvents);
        Assert.DoesNotContain(relay.Events, e => e.Type == "media_lost");
    }

    [Fact]
    public async Task A_meta_offer_whose_fingerprint_does_not_match_the_certificate_fails_the_meta_leg()
    {
        await using var relay = await RelayTestHost.StartAsync();
        await using var meta = MetaPeer.Start("offer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string offer = await meta.OfferAsync(cts.Token);
        string forged = Fingerprint().Replace(offer, "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("5A", 32)));
        Assert.NotEqual(offer, forged);

        using var created = await relay.Client.PutAsJsonAsync("v1/sessions/wacid.FORGED",
            new { direction = "user_initiated", businessNumberId = "1065", metaOffer = forged });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await created.Content.ReadFromJsonAsync<JsonElement>();
        await meta.AcceptAnswerAsync(session.GetProperty("metaLeg").GetProperty("sdp").GetString()!);

        var lost = await relay.WaitForEventAsync("media_lost", "meta", TimeSpan.FromSeconds(60));
        Assert.Equal("dtls_failed", lost.Data["reason"].ToString());
        Assert.DoesNotContain(relay.Events, e => e.Type == "media_connected");
        Assert.Equal(0, relay.Sessions.Get("wacid.FORGED").Counters.ToAgent);
    }

    internal static async Task AddLegAsync(RelayTestHost relay, string path, string legId, string agentId, AgentPage page, bool active)
    {
        string offer = await page.CreateOfferAsync();
        using var added = await relay.Client.PutAsJsonAsync($"{path}/legs/{legId}", new { agentId, browserOffer = offer, active });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var leg = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(active, leg.GetProperty("active").GetBoolean());
        string answer = leg.GetProperty("sdpAnswer").GetString()!;
        Assert.Contains("a=setup:passive", answer);
        Assert.Contains("a=ice-lite", answer);

        using var repeat = await relay.Client.PutAsJsonAsync($"{path}/legs/{legId}", new { agentId, browserOffer = offer, active });
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(answer, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sdpAnswer").GetString());
        await page.AcceptAnswerAsync(answer);
    }

    [GeneratedRegex("OpusHead")]
    private static partial Regex OpusHead();

    [GeneratedRegex("a=fingerprint:sha-256 [0-9A-Fa-f:]+")]
    private static partial Regex Fingerprint();
}
