// Test peer from issue 9 §7: loops every received RTP packet back to its sender with the leg's own SSRC
// (RFC 3550 §8.2: a translator-like echo must not reuse the sender's SSRC toward it).
using System.Buffers.Binary;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Echo;

public sealed class EchoEndpoint : IDisposable
{
    private readonly WebRtcLeg _leg;
    private readonly byte[] _buffer = new byte[1500];
    private readonly object _gate = new();
    private long _echoed;

    public EchoEndpoint(WebRtcLeg leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        _leg = leg;
        leg.RtpReceived += OnRtp;
    }

    /// <summary>Packets sent back so far.</summary>
    public long Echoed => Interlocked.Read(ref _echoed);

    public void Dispose() => _leg.RtpReceived -= OnRtp;

    private void OnRtp(WebRtcLeg leg, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > _buffer.Length || !RtpHeader.TryParse(packet, out _))
        {
            return;
        }

        lock (_gate)
        {
            packet.CopyTo(_buffer);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(8), leg.LocalSsrc);
            if (leg.SendRtp(_buffer.AsSpan(0, packet.Length)))
            {
                Interlocked.Increment(ref _echoed);
            }
        }
    }
}
