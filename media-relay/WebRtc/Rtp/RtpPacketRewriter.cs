// RFC 3550 §5.1 field positions. Used by the bridge to rewrite a decrypted packet before re-protecting it
// toward the other leg (SRTP authenticates the header, so any rewrite needs re-protection anyway).
using System.Buffers.Binary;

namespace MediaRelay.WebRtc.Rtp;

/// <summary>In-place edits of a plain (decrypted) RTP packet.</summary>
public static class RtpPacketRewriter
{
    public static void SetSsrc(Span<byte> packet, uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);

    public static void SetSequenceNumber(Span<byte> packet, ushort sequence) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);

    public static void SetTimestamp(Span<byte> packet, uint timestamp) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);

    public static void SetPayloadType(Span<byte> packet, byte payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));

    public static void SetMarker(Span<byte> packet, bool marker) =>
        packet[1] = (byte)(marker ? packet[1] | 0x80 : packet[1] & 0x7F);

    /// <summary>Removes the header extension block (clears X) and returns the new packet length.</summary>
    public static int StripExtension(Span<byte> packet, int length, in RtpHeader header)
    {
        if (!header.Extension)
        {
            return length;
        }

        int blockStart = header.ExtensionOffset - 4;
        int blockLength = header.ExtensionLength + 4;
        packet[(blockStart + blockLength)..length].CopyTo(packet[blockStart..]);
        packet[0] = (byte)(packet[0] & ~0x10);
        return length - blockLength;
    }
}

/// <summary>
/// Sequence and timestamp offsets that make a new source continue an outgoing stream (webrtc-relay.md §4.3):
/// out = in + offset, modulo 2^16 / 2^32.
/// </summary>
public readonly record struct RtpStreamOffsets(ushort SequenceOffset, uint TimestampOffset)
{
    /// <summary>Offsets so that the first packet of the new source follows the last packet sent, with
    /// <paramref name="elapsedTimestampUnits"/> of wall-clock gap in RTP clock units.</summary>
    public static RtpStreamOffsets Continue(
        ushort lastSequenceSent, uint lastTimestampSent, ushort firstSequenceIn, uint firstTimestampIn,
        uint elapsedTimestampUnits) =>
        new((ushort)(lastSequenceSent + 1 - firstSequenceIn),
            unchecked(lastTimestampSent + elapsedTimestampUnits - firstTimestampIn));

    public ushort ApplyToSequence(ushort sequence) => (ushort)(sequence + SequenceOffset);

    public uint ApplyToTimestamp(uint timestamp) => unchecked(timestamp + TimestampOffset);

    /// <summary>Rewrites sequence and timestamp of a plain RTP packet in place.</summary>
    public void Apply(Span<byte> packet)
    {
        RtpPacketRewriter.SetSequenceNumber(packet, ApplyToSequence(BinaryPrimitives.ReadUInt16BigEndian(packet[2..])));
        RtpPacketRewriter.SetTimestamp(packet, ApplyToTimestamp(BinaryPrimitives.ReadUInt32BigEndian(packet[4..])));
    }
}
