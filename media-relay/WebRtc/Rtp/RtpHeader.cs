// RFC 3550 §5.1 (fixed header, CSRC list, padding), §5.3.1 (header extension); RFC 8285 (one-/two-byte extension
// elements live inside that extension block; we treat the block as opaque).
using System.Buffers.Binary;

namespace MediaRelay.WebRtc.Rtp;

/// <summary>Decoded view of an RTP header: field values plus the offsets needed to find payload and padding.</summary>
public readonly record struct RtpHeader
{
    public const int FixedLength = 12;

    public bool Padding { get; init; }
    public bool Extension { get; init; }
    public int CsrcCount { get; init; }
    public bool Marker { get; init; }
    public byte PayloadType { get; init; }
    public ushort SequenceNumber { get; init; }
    public uint Timestamp { get; init; }
    public uint Ssrc { get; init; }

    /// <summary>Profile-defined 16 bits of the extension block (0xBEDE for RFC 8285 one-byte elements).</summary>
    public ushort ExtensionProfile { get; init; }

    /// <summary>Offset and length of the extension data (after its 4-byte header), 0 when absent.</summary>
    public int ExtensionOffset { get; init; }
    public int ExtensionLength { get; init; }

    /// <summary>Bytes before the payload: fixed header, CSRCs and extension block.</summary>
    public int HeaderLength { get; init; }

    /// <summary>Number of padding bytes at the end of the packet (last byte when P is set), 0 otherwise.</summary>
    public int PaddingLength { get; init; }

    public int PayloadLength(int packetLength) => packetLength - HeaderLength - PaddingLength;

    /// <summary>Parses the header; when <paramref name="ignorePadding"/> is true (SRTP before decryption, where
    /// the pad count is still encrypted) padding is not inspected.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, bool ignorePadding = false)
    {
        header = default;
        if (packet.Length < FixedLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        int csrcCount = packet[0] & 0x0F;
        int offset = FixedLength + 4 * csrcCount;
        bool extension = (packet[0] & 0x10) != 0;
        ushort profile = 0;
        int extOffset = 0;
        int extLength = 0;
        if (extension)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            extLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            extOffset = offset + 4;
            offset = extOffset + extLength;
        }

        if (packet.Length < offset)
        {
            return false;
        }

        bool padding = (packet[0] & 0x20) != 0;
        int paddingLength = 0;
        if (padding && !ignorePadding)
        {
            paddingLength = packet[^1];
            if (paddingLength == 0 || offset + paddingLength > packet.Length)
            {
                return false;
            }
        }

        header = new RtpHeader
        {
            Padding = padding,
            Extension = extension,
            CsrcCount = csrcCount,
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            ExtensionProfile = profile,
            ExtensionOffset = extOffset,
            ExtensionLength = extLength,
            HeaderLength = offset,
            PaddingLength = paddingLength,
        };
        return true;
    }
}
