using System.Buffers.Binary;
using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.Bridge;

/// <summary>
/// The relay's own 20 ms Opus silence (TOC 0xF8 = CELT fullband 20 ms mono, webrtc-relay.md §4.3), sent toward Meta
/// while no agent audio flows (ringing, transfer, mute): Meta tears down calls without business media. It is one
/// more source for <see cref="OutboundStream"/>, so the switch to and from it keeps seq/timestamp continuity.
/// </summary>
internal sealed class SilenceSource
{
    public static readonly byte[] OpusSilenceFrame = [0xF8, 0xFF, 0xFE];

    private readonly byte[] _packet = new byte[RtpHeader.FixedLength + 3];
    private ushort _sequence;
    private uint _timestamp;

    public SilenceSource()
    {
        _packet[0] = 0x80;
        OpusSilenceFrame.CopyTo(_packet, RtpHeader.FixedLength);
    }

    /// <summary>Next silence packet (payload type and SSRC are set by the outbound stream).</summary>
    public ReadOnlySpan<byte> Next(out RtpHeader header)
    {
        _sequence++;
        _timestamp += OutboundStream.FrameTimestampUnits;
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
        _ = RtpHeader.TryParse(_packet, out header); // a fixed, valid header
        return _packet;
    }
}
