using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MediaRelay.Bridge;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace Relay.Bench;

/// <summary>
/// The per-packet forwarding path without sockets. Four real legs (relay's Meta leg: controlling ICE, DTLS client;
/// relay's agent leg: ICE-lite, DTLS server; and a peer for each) connect through in-memory links with the real ICE
/// and DTLS-SRTP handshakes. Then SRTP packets the peers protected are replayed into the relay legs' receive
/// entry point (WebRtcLeg.OnDatagram, as the socket loop calls it), which runs RFC 7983 demux, source check,
/// SRTP unprotect, the bridge step (RTP header parse, payload-type check, OutboundStream rewrite) and SRTP protect
/// of the packet toward the other leg, whose "send" is discarded. Timed by process CPU time on one thread; the datagram copy into the
/// receive buffer (the socket loop's job) is inside the loop.
/// </summary>
internal static class InProcessForwarding
{
    private const byte OpusPt = 111;

    public static async Task<int> RunAsync(int packets, int rounds)
    {
        var certificate = DtlsCertificate.Generate();
        var relayMetaAt = new IPEndPoint(IPAddress.Loopback, 20001);
        var peerMetaAt = new IPEndPoint(IPAddress.Loopback, 20002);
        var relayAgentAt = new IPEndPoint(IPAddress.Loopback, 20003);
        var peerAgentAt = new IPEndPoint(IPAddress.Loopback, 20004);
        var (relayMetaIce, peerMetaIce, relayAgentIce, peerAgentIce) = (IceCredentials.Generate(), IceCredentials.Generate(), IceCredentials.Generate(), IceCredentials.Generate());

        // Meta offers like Meta (ICE-lite, actpass); the relay answers active. The agent offers like a browser (full ICE,
        // actpass); the relay answers lite and passive.
        var metaOffer = WebRtcSdpBuilder.BuildBrowserOffer(Local(peerMetaAt, peerMetaIce, 1, certificate));
        var metaAnswer = WebRtcSdpBuilder.BuildMetaAnswer(Summary(metaOffer), Local(relayMetaAt, relayMetaIce, 2, certificate));
        var agentOffer = WebRtcSdpBuilder.BuildMetaOffer(Local(peerAgentAt, peerAgentIce, 3, certificate));
        var agentAnswer = WebRtcSdpBuilder.BuildBrowserAnswer(Summary(agentOffer), Local(relayAgentAt, relayAgentIce, 4, certificate));

        var toPeerMeta = new MemoryLink(relayMetaAt);
        var toRelayMeta = new MemoryLink(peerMetaAt);
        var toPeerAgent = new MemoryLink(relayAgentAt);
        var toRelayAgent = new MemoryLink(peerAgentAt);
        var relayMeta = new WebRtcLeg(Options(relayMetaIce, metaOffer, certificate, DtlsRole.Client, lite: false, 2), toPeerMeta);
        var peerMeta = new WebRtcLeg(Options(peerMetaIce, metaAnswer, certificate, DtlsRole.Server, lite: true, 1), toRelayMeta);
        var relayAgent = new WebRtcLeg(Options(relayAgentIce, agentOffer, certificate, DtlsRole.Server, lite: true, 4), toPeerAgent);
        var peerAgent = new WebRtcLeg(Options(peerAgentIce, agentAnswer, certificate, DtlsRole.Client, lite: false, 3), toRelayAgent);
        (toPeerMeta.Target, toRelayMeta.Target, toPeerAgent.Target, toRelayAgent.Target) = (peerMeta, relayMeta, peerAgent, relayAgent);
        using var stop = new CancellationTokenSource();
        var pumps = new[] { toPeerMeta, toRelayMeta, toPeerAgent, toRelayAgent }.Select(l => Task.Run(() => l.PumpAsync(stop.Token))).ToArray();
        foreach (var leg in new[] { peerMeta, relayAgent, relayMeta, peerAgent })
        {
            leg.Start();
        }

        await Task.WhenAll(relayMeta.Connected, peerMeta.Connected, relayAgent.Connected, peerAgent.Connected).WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"connected; SRTP profile {relayMeta.SrtpProfile}; {packets} packets per direction per round, {rounds} rounds after one warm-up round");

        // The bridge step, as RelaySession.OnMetaRtp / OnAgentRtp do it for an active, unmuted agent leg.
        var toAgent = new OutboundStream(relayAgent, TimeProvider.System);
        var toMeta = new OutboundStream(relayMeta, TimeProvider.System);
        object metaSource = new(), agentSource = new();
        long malformed = 0;
        relayMeta.RtpReceived += (_, packet) => Bridge(packet, toAgent, metaSource, ref malformed);
        relayAgent.RtpReceived += (_, packet) => Bridge(packet, toMeta, agentSource, ref malformed);
        toPeerMeta.Mode = LinkMode.Discard;
        toPeerAgent.Mode = LinkMode.Discard;

        var metaToAgent = new List<double>();
        var agentToMeta = new List<double>();
        var allocated = new List<double>();
        ushort metaSeq = 1000, agentSeq = 30000;
        for (int round = 0; round <= rounds; round++)
        {
            var fromMeta = Capture(peerMeta, toRelayMeta, packets, ref metaSeq);
            var fromAgent = Capture(peerAgent, toRelayAgent, packets, ref agentSeq);
            long discardedBefore = toPeerAgent.Discarded + toPeerMeta.Discarded;
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            double a = Replay(relayMeta, fromMeta, peerMetaAt);
            double b = Replay(relayAgent, fromAgent, peerAgentAt);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            long forwarded = toPeerAgent.Discarded + toPeerMeta.Discarded - discardedBefore;
            if (forwarded < 2L * packets || Interlocked.Read(ref malformed) != 0)
            {
                Console.Error.WriteLine($"round {round}: only {forwarded} of {2 * packets} packets forwarded ({malformed} malformed)");
                return 1;
            }

            string label = round == 0 ? "warm-up" : $"round {round}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: Meta->agent {a:F0} ns/packet, agent->Meta {b:F0} ns/packet, {bytes / (2.0 * packets):F1} B allocated/packet"));
            if (round > 0)
            {
                metaToAgent.Add(a);
                agentToMeta.Add(b);
                allocated.Add(bytes / (2.0 * packets));
            }
        }

        double median = Median(metaToAgent.Zip(agentToMeta, (x, y) => (x + y) / 2).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: Meta->agent {Median(metaToAgent):F0} ns, agent->Meta {Median(agentToMeta):F0} ns, both {median:F0} ns/packet, {Median(allocated):F1} B/packet"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one bridged call = 100 packets/s forwarded: {median * 100 / 1000:F1} µs CPU/s, path-only ceiling {1e9 / (median * 100):F0} calls per core"));
        stop.Cancel();
        await Task.WhenAll(pumps);
        foreach (var leg in new[] { relayMeta, peerMeta, relayAgent, peerAgent })
        {
            leg.Dispose();
        }

        return 0;
    }

    private static void Bridge(ReadOnlySpan<byte> packet, OutboundStream toOther, object source, ref long malformed)
    {
        if (!RtpHeader.TryParse(packet, out var header) || header.PayloadLength(packet.Length) < 0 || header.PayloadType != OpusPt)
        {
            Interlocked.Increment(ref malformed);
            return;
        }

        toOther.Forward(source, packet, header, OpusPt);
    }

    /// <summary>Has the peer protect <paramref name="count"/> consecutive 20 ms packets, captured instead of sent.</summary>
    private static List<byte[]> Capture(WebRtcLeg peer, MemoryLink link, int count, ref ushort sequence)
    {
        link.Captured.Clear();
        link.Mode = LinkMode.Capture;
        byte[] plain = new byte[80];
        for (int i = 0; i < count; i++)
        {
            OpusPacket(plain, sequence++, peer.LocalSsrc);
            if (!peer.SendRtp(plain))
            {
                throw new InvalidOperationException("the peer leg could not protect a packet");
            }
        }

        link.Mode = LinkMode.Deliver;
        return [.. link.Captured];
    }

    /// <summary>
    /// Feeds the captured datagrams to the relay leg as its socket loop would; mean process CPU ns per packet (CPU
    /// rather than wall time, so other processes on a shared machine inflate the figure less).
    /// </summary>
    private static double Replay(WebRtcLeg relayLeg, List<byte[]> datagrams, IPEndPoint from)
    {
        byte[] buffer = new byte[2049];
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        foreach (var datagram in datagrams)
        {
            datagram.CopyTo(buffer, 0);
            relayLeg.OnDatagram(buffer.AsSpan(0, datagram.Length), from);
        }

        self.Refresh();
        return (self.TotalProcessorTime - cpu).TotalNanoseconds / datagrams.Count;
    }

    /// <summary>An 80-byte RTP packet (12-byte header, 68-byte payload): Opus at ~20 kbit/s in 20 ms frames, as Meta sends.</summary>
    internal static void OpusPacket(Span<byte> packet, ushort sequence, uint ssrc)
    {
        packet.Clear();
        packet[0] = 0x80;
        packet[1] = OpusPt;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
        packet[12] = 0xF8;
        for (int i = 13; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 37);
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    internal static LocalMediaParameters Local(IPEndPoint at, IceCredentials ice, uint ssrc, DtlsCertificate certificate) =>
        new(at.Address, at.Port, ice.Ufrag, ice.Pwd, certificate.Sha256Fingerprint, ssrc, "relay-bench");

    internal static SdpMediaSummary Summary(SessionDescription sdp) => Summary(sdp.Write());

    internal static SdpMediaSummary Summary(string sdp) =>
        SdpMediaSummary.TryCreate(SdpParser.Parse(sdp), out var summary) ? summary! : throw new InvalidOperationException("unusable SDP");

    private static WebRtcLegOptions Options(IceCredentials ice, SessionDescription remote, DtlsCertificate certificate, DtlsRole role, bool lite, uint ssrc) =>
        new()
        {
            LocalIce = ice, Remote = Summary(remote), Certificate = certificate, DtlsRole = role, IceLite = lite, LocalSsrc = ssrc,
        };
}
