// RFC 3550 §6.1 (compound packets, common header: V=2, P, count, PT, length in 32-bit words minus one),
// §6.4–6.6 (SR/RR/SDES/BYE bodies). Malformed input yields false, never an exception.
using System.Buffers.Binary;
using System.Text;

namespace MediaRelay.WebRtc.Rtp;

public static class RtcpCompoundParser
{
    private const int ReportBlockLength = 24;

    /// <summary>Parses every packet of a compound RTCP datagram; false if any packet is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out IReadOnlyList<RtcpPacket> packets)
    {
        var list = new List<RtcpPacket>();
        packets = list;
        if (datagram.Length < 4)
        {
            return false;
        }

        int offset = 0;
        while (offset < datagram.Length)
        {
            var rest = datagram[offset..];
            if (rest.Length < 4 || (rest[0] >> 6) != 2)
            {
                return false;
            }

            int length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1);
            if (length > rest.Length)
            {
                return false;
            }

            var packet = rest[..length];
            if ((packet[0] & 0x20) != 0)
            {
                int pad = packet[^1];
                if (pad == 0 || pad > length - 4)
                {
                    return false;
                }

                packet = packet[..(length - pad)];
            }

            var parsed = ParseOne(packet, packet[0] & 0x1F, rest[1]);
            if (parsed is null)
            {
                return false;
            }

            list.Add(parsed);
            offset += length;
        }

        return true;
    }

    private static RtcpPacket? ParseOne(ReadOnlySpan<byte> packet, int count, byte type) => type switch
    {
        RtcpPacketType.SenderReport => ParseSenderReport(packet, count),
        RtcpPacketType.ReceiverReport => ParseReceiverReport(packet, count),
        RtcpPacketType.SourceDescription => ParseSdes(packet, count),
        RtcpPacketType.Goodbye => ParseBye(packet, count),
        _ => new RtcpOtherPacket(type, packet.Length),
    };

    private static RtcpSenderReport? ParseSenderReport(ReadOnlySpan<byte> p, int count)
    {
        if (p.Length < 28 + count * ReportBlockLength)
        {
            return null;
        }

        return new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(p[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(p[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(p[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(p[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(p[24..]),
            ReadBlocks(p[28..], count));
    }

    private static RtcpReceiverReport? ParseReceiverReport(ReadOnlySpan<byte> p, int count)
    {
        if (p.Length < 8 + count * ReportBlockLength)
        {
            return null;
        }

        return new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(p[4..]), ReadBlocks(p[8..], count));
    }

    private static RtcpReportBlock[] ReadBlocks(ReadOnlySpan<byte> p, int count)
    {
        var blocks = new RtcpReportBlock[count];
        for (int i = 0; i < count; i++)
        {
            var b = p.Slice(i * ReportBlockLength, ReportBlockLength);
            int lost = (b[5] << 16) | (b[6] << 8) | b[7];
            if ((lost & 0x800000) != 0)
            {
                lost |= unchecked((int)0xFF000000); // 24-bit signed (RFC 3550 §6.4.1)
            }

            blocks[i] = new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(b), b[4], lost,
                BinaryPrimitives.ReadUInt32BigEndian(b[8..]), BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        }

        return blocks;
    }

    private static RtcpSourceDescription? ParseSdes(ReadOnlySpan<byte> p, int count)
    {
        var chunks = new List<RtcpSdesChunk>(count);
        int offset = 4;
        for (int c = 0; c < count; c++)
        {
            if (offset + 4 > p.Length)
            {
                return null;
            }

            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(p[offset..]);
            offset += 4;
            var items = new List<RtcpSdesItem>();
            while (true)
            {
                if (offset >= p.Length)
                {
                    return null;
                }

                byte itemType = p[offset];
                if (itemType == 0)
                {
                    offset = (offset + 4) & ~3; // null terminator, then pad to the next 32-bit boundary
                    break;
                }

                if (offset + 2 > p.Length || offset + 2 + p[offset + 1] > p.Length)
                {
                    return null;
                }

                int len = p[offset + 1];
                items.Add(new RtcpSdesItem(itemType, Encoding.UTF8.GetString(p.Slice(offset + 2, len))));
                offset += 2 + len;
            }

            chunks.Add(new RtcpSdesChunk(ssrc, items));
        }

        return new RtcpSourceDescription(chunks);
    }

    private static RtcpGoodbye? ParseBye(ReadOnlySpan<byte> p, int count)
    {
        if (p.Length < 4 + 4 * count)
        {
            return null;
        }

        var sources = new uint[count];
        for (int i = 0; i < count; i++)
        {
            sources[i] = BinaryPrimitives.ReadUInt32BigEndian(p[(4 + 4 * i)..]);
        }

        int reasonOffset = 4 + 4 * count;
        string? reason = null;
        if (reasonOffset < p.Length)
        {
            int len = p[reasonOffset];
            if (reasonOffset + 1 + len > p.Length)
            {
                return null;
            }

            reason = Encoding.UTF8.GetString(p.Slice(reasonOffset + 1, len));
        }

        return new RtcpGoodbye(sources, reason);
    }
}
