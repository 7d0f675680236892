using System.Net;
using System.Threading.Channels;
using MediaRelay.WebRtc.Transport;

namespace Relay.Bench;

/// <summary>
/// One direction of an in-memory wire between two legs, in place of a UDP socket. While connecting it delivers
/// every datagram (queued, so ICE and DTLS see the same asynchrony as on a socket); during a measurement it can
/// capture SRTP for later replay or discard it, but STUN still goes through so consent checks keep the legs alive.
/// </summary>
internal sealed class MemoryLink(IPEndPoint from) : IDatagramSender
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _discarded;

    public WebRtcLeg? Target { get; set; }

    /// <summary>The address the receiving leg sees (the sender's address in the SDP).</summary>
    public IPEndPoint From => from;

    public volatile LinkMode Mode;

    public List<byte[]> Captured { get; } = [];

    public long Discarded => Interlocked.Read(ref _discarded);

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        bool stun = !datagram.IsEmpty && datagram[0] <= 3;
        switch (stun ? LinkMode.Deliver : Mode)
        {
            case LinkMode.Capture:
                Captured.Add(datagram.ToArray());
                break;
            case LinkMode.Discard:
                Interlocked.Increment(ref _discarded);
                break;
            default:
                _queue.Writer.TryWrite(datagram.ToArray());
                break;
        }
    }

    /// <summary>Delivers queued datagrams to the target leg until the token fires.</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var datagram in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                Target!.OnDatagram(datagram, from);
            }
        }
        catch (OperationCanceledException)
        {
            // bench over
        }
    }
}

internal enum LinkMode
{
    Deliver,
    Capture,
    Discard,
}
