using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MediaRelay.Sessions;
using MediaRelay.WebRtc.Transport;
using TestSupport;

namespace MediaRelay.Tests;

// Hostile input on a live bridged call (werift as Meta, Chromium as the agent): garbage, truncated RTP, SRTP with a
// wrong tag, RTCP garbage, oversized datagrams and authenticated RTP the bridge cannot use, sent both from the
// address ICE selected and from a stranger. Every datagram must be dropped under the counter that names why, no
// exception may reach the socket loop, and audio must keep flowing both ways.
public sealed class MalformedPacketTests(AgentBrowser browser) : IClassFixture<AgentBrowser>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Malformed_datagrams_on_both_legs_are_dropped_and_counted_and_the_call_keeps_forwarding_both_ways()
    {
        await using var relay = await RelayTestHost.StartAsync();
        await using var meta = MetaPeer.Start("offer");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        const string callId = "wacid.MALFORMED";
        string path = "v1/sessions/" + callId;
        using var created = await relay.Client.PutAsJsonAsync(path, new
        {
            direction = "user_initiated", businessNumberId = "1065", metaOffer = await meta.OfferAsync(cts.Token),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await meta.AcceptAnswerAsync((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("metaLeg").GetProperty("sdp").GetString()!);
        await meta.WaitConnectedAsync(cts.Token);
        var agent = await browser.OpenAsync();
        await BridgeTests.AddLegAsync(relay, path, "agent-1", "a1", agent, active: true);
        var session = relay.Sessions.Get(callId);
        var agentLeg = session.FindAgentLeg("agent-1")!.Leg;
        var browserPort = relay.Media.BrowserPort;
        await Eventually.UntilAsync(() => Task.FromResult(session.Counters), c => c.ToAgent >= 10 && c.ToMeta >= 10, Guard, "audio both ways before the injection");
        var metaLeg = session.MetaLeg!;
        var chromium = agentLeg.SelectedRemote!;
        var before = Snapshot.Take(session, browserPort, agentLeg);
        var heardBefore = await agent.InboundAsync();
        var customerBefore = await meta.StatsAsync(cts.Token);

        // Meta leg, from werift's own socket: the ICE-selected address, so each datagram reaches the checks behind it.
        const uint strangerSsrc = 0x0BADF00D;
        await meta.InjectAsync(
        [
            MetaPeer.Raw(Garbage(0x5A, 200)),                          // RFC 7983 first byte 64–127: no protocol
            MetaPeer.Raw([0x80]),                                      // one byte: too short to classify as RTP
            MetaPeer.Raw(Garbage(0x00, 60)),                           // STUN range, not a STUN message
            MetaPeer.Raw(Garbage(0x17, 9)),                            // DTLS range, shorter than a record header
            MetaPeer.Raw([0x80, 0x6F, 0x12, 0x34, 0x00]),              // RTP header cut after 5 bytes
            MetaPeer.Raw(Garbage(0x80, 0x6F, 160)),                    // RTP-shaped noise: fails SRTP authentication
            MetaPeer.Srtp(strangerSsrc, 111, 1000, Garbage(0xF8, 60), corruptTag: true), // real keys, one tag bit off
            MetaPeer.Raw(Garbage(0x80, 0xC8, 60)),                     // RTCP sender-report shape, random content
            MetaPeer.Srtp(strangerSsrc + 1, 99, 2000, Garbage(0xF8, 60)),  // authentic, but a payload type never negotiated
            MetaPeer.Srtp(strangerSsrc + 2, 111, 3000, [0xF8, 1, 2, 200], padding: true), // authentic, pad count past the end
            MetaPeer.Raw(Garbage(0x80, 0x6F, 3000)),                   // longer than the relay's 2048-byte receive buffer
            MetaPeer.Raw(Garbage(0x80, 0x6F, 65_000)),
        ], cts.Token);

        // Meta leg, from an address ICE never validated.
        var metaPort = session.MetaSocket.Socket.LocalEndPoint;
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        foreach (var datagram in new[] { Garbage(0x80, 0x6F, 160), Garbage(0x80, 0xC8, 60), Garbage(0x17, 0xFE, 80), Garbage(0x80, 0x6F, 4000) })
        {
            await stranger.SendToAsync(datagram, metaPort, cts.Token);
        }

        // Agent leg on the shared browser port: Chromium's socket is not ours, so datagrams from a test socket are
        // received by the real socket loop as if from Chromium's selected address; a second socket stays a stranger.
        using var posingAsChromium = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        posingAsChromium.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        browserPort.Socket.TreatAsFromForTests((IPEndPoint)posingAsChromium.LocalEndPoint!, chromium);
        foreach (var datagram in new[]
        {
            Garbage(0x5A, 200), Garbage(0x00, 60), Garbage(0x17, 9), new byte[] { 0x80, 0x6F, 0x12, 0x34, 0x00 },
            Garbage(0x80, 0x6F, 160), Garbage(0x80, 0xC8, 60), Garbage(0x80, 0x6F, 3000),
        })
        {
            await posingAsChromium.SendToAsync(datagram, browserPort.LocalEndPoint, cts.Token);
        }

        foreach (var datagram in new[] { Garbage(0x80, 0x6F, 160), Garbage(0x17, 0xFE, 80) })
        {
            await stranger.SendToAsync(datagram, browserPort.LocalEndPoint, cts.Token);
        }

        var expected = before with
        {
            MetaUnknownKind = before.MetaUnknownKind + 2,
            MetaMalformedStun = before.MetaMalformedStun + 1,
            MetaMalformedDtls = before.MetaMalformedDtls + 1,
            MetaSrtpDropped = before.MetaSrtpDropped + 4,
            MetaSrtpAuthFailed = before.MetaSrtpAuthFailed + 3,
            MetaUnknownSource = before.MetaUnknownSource + 3,
            MetaOversized = before.MetaOversized + 3,
            SessionMalformed = before.SessionMalformed + 2,
            MuxUnknownKind = before.MuxUnknownKind + 1,
            MuxMalformedStun = before.MuxMalformedStun + 1,
            MuxUnknownSource = before.MuxUnknownSource + 2,
            AgentMalformedDtls = before.AgentMalformedDtls + 1,
            AgentSrtpDropped = before.AgentSrtpDropped + 3,
            BrowserOversized = before.BrowserOversized + 1,
        };
        var latest = before;
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(latest = Snapshot.Take(session, browserPort, agentLeg)),
                s => s.Covers(expected), Guard, "every injected datagram counted");
        }
        catch (TimeoutException)
        {
            Assert.Equal(expected.Drops(), latest.Drops()); // names the counter that fell short
            throw;
        }

        var reached = latest;
        Assert.Equal(expected.Drops(), reached.Drops());

        // The call is unharmed: the live streams were untouched and keep flowing in both directions.
        await Eventually.UntilAsync(() => Task.FromResult(session.Counters), c => c.ToAgent >= reached.ToAgent + 50 && c.ToMeta >= reached.ToMeta + 50,
            Guard, "audio both ways after the injection");
        var heard = await Eventually.UntilAsync(agent.InboundAsync, s => s.PacketsReceived >= heardBefore.PacketsReceived + 50 && s.TotalAudioEnergy > heardBefore.TotalAudioEnergy,
            Guard, "customer audio at the agent after the injection");
        Assert.Equal("connected", heard.Connection);
        await Eventually.UntilAsync(() => meta.StatsAsync(cts.Token), s => s.Audio >= customerBefore.Audio + 50, Guard, "agent audio at the customer after the injection");
        var after = Snapshot.Take(session, browserPort, agentLeg);
        Assert.Equal(reached.Drops(), after.Drops());
        Assert.Equal(0, session.MetaSocket.Socket.HandlerErrors);
        Assert.Equal(0, browserPort.Socket.HandlerErrors);
        Assert.True(metaLeg.Connected.IsCompletedSuccessfully && agentLeg.Connected.IsCompletedSuccessfully);
        Assert.DoesNotContain(relay.Events, e => e.Type == "media_lost");
        Assert.Empty(relay.RefusedEvents);
    }

    /// <summary>Random bytes behind the given leading bytes (which decide the RFC 7983 class).</summary>
    private static byte[] Garbage(byte first, int length) => Garbage([first], length);

    private static byte[] Garbage(byte first, byte second, int length) => Garbage([first, second], length);

    private static byte[] Garbage(byte[] head, int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Every drop counter the injection can move, plus the forwarding counters.</summary>
    private sealed record Snapshot(
        long MetaUnknownKind, long MetaMalformedStun, long MetaMalformedDtls, long MetaSrtpDropped, long MetaSrtpAuthFailed,
        long MetaUnknownSource, long MetaOversized, long SessionMalformed,
        long MuxUnknownKind, long MuxMalformedStun, long MuxUnknownSource, long AgentMalformedDtls, long AgentSrtpDropped,
        long BrowserOversized, long ToAgent, long ToMeta)
    {
        public static Snapshot Take(RelaySession session, BrowserUdpMux browserPort, WebRtcLeg agentLeg)
        {
            var meta = session.MetaLeg!.Counters;
            var agent = agentLeg.Counters;
            var mux = browserPort.Counters;
            return new Snapshot(meta.UnknownKindDropped, meta.MalformedStunDropped, meta.MalformedDtlsDropped, meta.SrtpDropped,
                session.MetaLeg.InboundSrtpCounters!.AuthenticationFailed, meta.UnknownSourceDropped, session.MetaSocket.Socket.OversizedDropped,
                session.Counters.Malformed, mux.UnknownKindDropped, mux.MalformedStunDropped, mux.UnknownSourceDropped,
                agent.MalformedDtlsDropped, agent.SrtpDropped, browserPort.Socket.OversizedDropped,
                session.Counters.ToAgent, session.Counters.ToMeta);
        }

        /// <summary>The drop counters only.</summary>
        public Snapshot Drops() => this with { ToAgent = 0, ToMeta = 0 };

        /// <summary>All drop counters at least at <paramref name="expected"/> (forwarding counters ignored).</summary>
        public bool Covers(Snapshot expected) =>
            MetaUnknownKind >= expected.MetaUnknownKind && MetaMalformedStun >= expected.MetaMalformedStun
            && MetaMalformedDtls >= expected.MetaMalformedDtls && MetaSrtpDropped >= expected.MetaSrtpDropped
            && MetaSrtpAuthFailed >= expected.MetaSrtpAuthFailed && MetaUnknownSource >= expected.MetaUnknownSource
            && MetaOversized >= expected.MetaOversized && SessionMalformed >= expected.SessionMalformed
            && MuxUnknownKind >= expected.MuxUnknownKind && MuxMalformedStun >= expected.MuxMalformedStun
            && MuxUnknownSource >= expected.MuxUnknownSource && AgentMalformedDtls >= expected.AgentMalformedDtls
            && AgentSrtpDropped >= expected.AgentSrtpDropped && BrowserOversized >= expected.BrowserOversized;
    }
}
