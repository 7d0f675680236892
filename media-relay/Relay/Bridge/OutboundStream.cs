using System.Buffers.Binary;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.Bridge;

/// <summary>
/// The relay's one outgoing RTP stream on a leg (webrtc-relay.md §4.2–4.3): its own SSRC, and sequence numbers and
/// timestamps that continue across changes of source (an agent transfer, a mute, the relay's own silence), so the
/// receiver sees one uninterrupted stream. Whenever the source changes, new offsets are computed so the first packet
/// of the new source follows the last one sent, with the wall-clock gap (at least one 20 ms frame) in timestamp
/// units; within one source the source's own seq/timestamp steps (and thus its losses) show through unchanged.
/// Thread-safe: packets toward Meta come from the browser socket's thread and from the silence clock.
/// </summary>
internal sealed class OutboundStream(WebRtcLeg leg, TimeProvider time)
{
    /// <summary>Opus at 48 kHz: one 20 ms frame.</summary>
    public const uint FrameTimestampUnits = 960;

    private readonly object _gate = new();
    private readonly byte[] _buffer = new byte[1500];
    private object? _source;
    private RtpStreamOffsets _offsets;
    private bool _started;
    private ushort _lastSequence = (ushort)Random.Shared.Next(0, 65536);
    private uint _lastTimestamp = (uint)Random.Shared.NextInt64(0, uint.MaxValue);
    private long _lastSentAt;
    private long _packets;
    private long _octets;

    public WebRtcLeg Leg => leg;

    public uint Ssrc => leg.LocalSsrc;

    public long PacketsSent => Interlocked.Read(ref _packets);

    public long OctetsSent => Interlocked.Read(ref _octets);

    /// <summary>When the last packet went out (<see cref="TimeProvider.GetTimestamp"/> units); 0 = never.</summary>
    public long LastSentAt => Interlocked.Read(ref _lastSentAt);

    /// <summary>The RTP timestamp of the last packet sent and how many packets/octets went out (for SR).</summary>
    public (uint Timestamp, long SentAt, uint Packets, uint Octets) Snapshot()
    {
        lock (_gate)
        {
            return (_lastTimestamp, _lastSentAt, (uint)_packets, (uint)_octets);
        }
    }

    /// <summary>
    /// Rewrites a plain RTP packet from <paramref name="source"/> (SSRC, payload type, seq/ts continuity, no header
    /// extension) and sends it on the leg. The span is copied; <paramref name="sent"/> sees the rewritten packet (the
    /// recorder), still under the stream's lock so recordings keep the sending order.
    /// </summary>
    /// <returns>False when the leg cannot send yet (no keys) or the packet is too big; <paramref name="sent"/> then is not called.</returns>
    public bool Forward(object source, ReadOnlySpan<byte> packet, in RtpHeader header, byte payloadType, Action<ReadOnlySpan<byte>, RtpHeader>? sent = null)
    {
        if (packet.Length > _buffer.Length)
        {
            return false;
        }

        lock (_gate)
        {
            var buffer = _buffer.AsSpan();
            packet.CopyTo(buffer);
            int length = packet.Length;
            if (header.Extension)
            {
                length = RtpPacketRewriter.StripExtension(buffer, length, header);
            }

            long now = time.GetTimestamp();
            bool switched = !ReferenceEquals(_source, source);
            if (switched)
            {
                _offsets = _started
                    ? RtpStreamOffsets.Continue(_lastSequence, _lastTimestamp, header.SequenceNumber, header.Timestamp, ElapsedUnits(now))
                    : RtpStreamOffsets.Continue(_lastSequence, _lastTimestamp, header.SequenceNumber, header.Timestamp, FrameTimestampUnits);
                _source = source;
            }

            var outgoing = buffer[..length];
            _offsets.Apply(outgoing);
            RtpPacketRewriter.SetSsrc(outgoing, leg.LocalSsrc);
            RtpPacketRewriter.SetPayloadType(outgoing, payloadType);
            if (switched)
            {
                RtpPacketRewriter.SetMarker(outgoing, true);
            }

            if (!leg.SendRtp(outgoing))
            {
                return false;
            }

            _started = true;
            _lastSequence = BinaryPrimitives.ReadUInt16BigEndian(outgoing[2..]);
            _lastTimestamp = BinaryPrimitives.ReadUInt32BigEndian(outgoing[4..]);
            _lastSentAt = now;
            _packets++;
            _octets += header.PayloadLength(length);
            if (sent is not null && RtpHeader.TryParse(outgoing, out var rewritten))
            {
                sent(outgoing, rewritten);
            }

            return true;
        }
    }

    /// <summary>Time since the last packet in 48 kHz units, rounded to whole 20 ms frames, at least one frame.</summary>
    private uint ElapsedUnits(long now)
    {
        double ms = time.GetElapsedTime(_lastSentAt, now).TotalMilliseconds;
        long frames = Math.Max(1, (long)Math.Round(ms / 20.0));
        return (uint)Math.Min(frames * FrameTimestampUnits, int.MaxValue);
    }
}
