// Meta legs get one socket each (issue 9 §3): Meta serves many calls from a few address:port pairs, so a shared
// port could see two calls on one 5-tuple.
using System.Net;

namespace MediaRelay.WebRtc.Transport;

/// <summary>
/// A socket reserved for one leg. Bind it first (its port goes into the SDP), create the leg once the remote
/// description is known; datagrams arriving before that are counted and dropped.
/// </summary>
public sealed class DedicatedLegSocket : IDisposable
{
    private readonly UdpSocketLoop _socket;
    private volatile WebRtcLeg? _leg;

    private DedicatedLegSocket(UdpSocketLoop socket)
    {
        _socket = socket;
        socket.Start(OnDatagram);
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>The socket itself (its oversized-datagram and handler-error counts; the tests' source alias).</summary>
    internal UdpSocketLoop Socket => _socket;

    /// <summary>Datagrams that arrived before the leg existed.</summary>
    public LegCounters Counters { get; } = new();

    public static DedicatedLegSocket Bind(IPEndPoint local) => new(UdpSocketLoop.Bind(local));

    /// <summary>Creates and starts the leg (Meta: full controlling ICE; DTLS client or server per setup).</summary>
    public WebRtcLeg CreateLeg(WebRtcLegOptions options)
    {
        var leg = new WebRtcLeg(options, _socket);
        if (Interlocked.CompareExchange(ref _leg, leg, null) is not null)
        {
            leg.Dispose();
            throw new InvalidOperationException("This socket already carries a leg.");
        }

        leg.Closed += (_, _) => _socket.Dispose();
        leg.Start();
        return leg;
    }

    public void Dispose()
    {
        _leg?.Dispose();
        _socket.Dispose();
    }

    private void OnDatagram(Span<byte> datagram, IPEndPoint from)
    {
        var leg = _leg;
        if (leg is null)
        {
            Counters.CountReceived();
            Counters.DropUnknownSource();
            return;
        }

        leg.OnDatagram(datagram, from);
    }
}
