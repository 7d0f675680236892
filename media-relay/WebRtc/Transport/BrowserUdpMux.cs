// One UDP port for all browser legs: RFC 7983 §7 first-byte classification, then STUN requests are routed by the
// local ufrag in USERNAME ("localUfrag:remoteUfrag", RFC 8445 §7.2.2) and everything else by the remote address
// that passed an authenticated check on that leg (webrtc-relay.md §1.3).
using System.Collections.Concurrent;
using System.Net;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Transport;

public sealed class BrowserUdpMux : IDisposable
{
    private readonly UdpSocketLoop _socket;
    private readonly ConcurrentDictionary<string, WebRtcLeg> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPEndPoint, WebRtcLeg> _byAddress = new();

    private BrowserUdpMux(UdpSocketLoop socket)
    {
        _socket = socket;
        socket.Start(OnDatagram);
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>The shared socket itself (its oversized-datagram and handler-error counts; the tests' source alias).</summary>
    internal UdpSocketLoop Socket => _socket;

    /// <summary>Datagrams that matched no leg (unknown ufrag or address), or were not STUN/DTLS/RTP at all.</summary>
    public LegCounters Counters { get; } = new();

    public static BrowserUdpMux Bind(IPEndPoint local) => new(UdpSocketLoop.Bind(local));

    /// <summary>Creates a browser leg (ICE-lite, usually DTLS server) on the shared socket and starts it.</summary>
    public WebRtcLeg CreateLeg(WebRtcLegOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var leg = new WebRtcLeg(options, _socket);
        if (!_byUfrag.TryAdd(options.LocalIce.Ufrag, leg))
        {
            leg.Dispose();
            throw new InvalidOperationException("ICE ufrag already in use on this port.");
        }

        leg.RemoteValidated += (l, address) => _byAddress[address] = l;
        leg.Closed += (l, _) => Remove(l, options.LocalIce.Ufrag);
        leg.Start();
        return leg;
    }

    public void Dispose()
    {
        foreach (var leg in _byUfrag.Values)
        {
            leg.Dispose();
        }

        _socket.Dispose();
    }

    private void Remove(WebRtcLeg leg, string ufrag)
    {
        _byUfrag.TryRemove(ufrag, out _);
        foreach (var pair in _byAddress.Where(p => ReferenceEquals(p.Value, leg)).ToList())
        {
            _byAddress.TryRemove(pair);
        }
    }

    private void OnDatagram(Span<byte> datagram, IPEndPoint from)
    {
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
        {
            if (!StunParser.TryParse(datagram, out var message))
            {
                Counters.CountReceived();
                Counters.DropMalformedStun();
                return;
            }

            var target = message!.IsRequest ? FindByUsername(message.Username) : _byAddress.GetValueOrDefault(from);
            if (target is null)
            {
                Counters.CountReceived();
                Counters.DropUnknownSource();
                return;
            }

            target.Counters.CountReceived();
            target.Counters.CountStun();
            target.OnStun(datagram, message, from);
            return;
        }

        if (kind == PacketKind.Unknown)
        {
            Counters.CountReceived();
            Counters.DropUnknownKind();
            return;
        }

        if (!_byAddress.TryGetValue(from, out var leg))
        {
            Counters.CountReceived();
            Counters.DropUnknownSource();
            return;
        }

        leg.OnDatagram(datagram, from);
    }

    private WebRtcLeg? FindByUsername(string? username)
    {
        int colon = username?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 ? _byUfrag.GetValueOrDefault(username![..colon]) : null;
    }
}
