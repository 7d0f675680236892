using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MediaRelay.Tests;

// The customer's keys (RFC 4733 telephone-event on Meta's PT 126 at 8000 Hz) reach the function app as one dtmf
// event per key press, whatever the repeated end packets, with the held duration.
public sealed class DtmfTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Each_key_the_customer_presses_is_posted_once_as_a_dtmf_event_with_its_duration()
    {
        await using var relay = await RelayTestHost.StartAsync();
        await using var meta = MetaPeer.Start("offer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string offer = await meta.OfferAsync(cts.Token);
        Assert.Contains("a=rtpmap:126 telephone-event/8000", offer);
        using var created = await relay.Client.PutAsJsonAsync("v1/sessions/wacid.DTMF", new
        {
            direction = "user_initiated", businessNumberId = "1065", metaOffer = offer,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string answer = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("metaLeg").GetProperty("sdp").GetString()!;
        Assert.Contains("a=rtpmap:126 telephone-event/8000", answer);
        await meta.AcceptAnswerAsync(answer);
        await meta.WaitConnectedAsync(cts.Token);

        // The same key twice in a row is two presses (two RTP timestamps); D is pressed last, once the others are
        // out, so when its event is in every earlier press has been detected and published.
        await meta.PressKeysAsync("1*55#", cts.Token);
        await meta.PressKeysAsync("D", cts.Token);
        await relay.WaitForEventAsync("dtmf", "meta", Guard);
        await TestSupport.Eventually.UntilAsync(() => Task.FromResult(relay.Events.Any(e => e.Type == "dtmf" && (string)e.Data["digit"] == "D")),
            found => found, Guard, "the dtmf event for D");

        var presses = relay.Events.Where(e => e.Type == "dtmf").OrderBy(e => e.At).ToList();
        Assert.Equal("1*55#D", string.Concat(presses.Select(e => (string)e.Data["digit"])));
        Assert.All(presses, e => Assert.Equal(("wacid.DTMF", "meta", "100"), (e.SessionId, e.LegId, (string)e.Data["durationMs"])));
        Assert.Equal(presses.Count, presses.Select(e => e.EventId).Distinct().Count());
        Assert.Empty(relay.RefusedEvents);
    }
}
