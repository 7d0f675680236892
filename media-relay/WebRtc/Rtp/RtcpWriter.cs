// RFC 3550 §6.4.1 (SR), §6.4.2 (RR), §6.5.1 (SDES CNAME), §6.6 (BYE); §6.1: every compound packet starts with
// SR or RR and carries an SDES CNAME.
using System.Buffers.Binary;
using System.Text;

namespace MediaRelay.WebRtc.Rtp;

/// <summary>Writes RTCP packets into a caller buffer; each method returns the number of bytes written.</summary>
public static class RtcpWriter
{
    public static int WriteSenderReport(Span<byte> destination, RtcpSenderReport report)
    {
        int length = 28 + 24 * report.Reports.Count;
        WriteHeader(destination, report.Reports.Count, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], report.Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], report.NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], report.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], report.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], report.OctetCount);
        WriteBlocks(destination[28..], report.Reports);
        return length;
    }

    public static int WriteReceiverReport(Span<byte> destination, RtcpReceiverReport report)
    {
        int length = 8 + 24 * report.Reports.Count;
        WriteHeader(destination, report.Reports.Count, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], report.Ssrc);
        WriteBlocks(destination[8..], report.Reports);
        return length;
    }

    public static int WriteSdesCname(Span<byte> destination, uint ssrc, string cname)
    {
        int textLength = Math.Min(Encoding.UTF8.GetByteCount(cname), 255);
        int length = (4 + 4 + 2 + textLength + 1 + 3) & ~3; // header, SSRC, item, terminator, pad to 32 bits
        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = RtcpSdesItem.CnameType;
        destination[9] = (byte)textLength;
        Encoding.UTF8.GetBytes(cname.AsSpan(), destination.Slice(10, textLength));
        destination[(10 + textLength)..length].Clear();
        return length;
    }

    public static int WriteGoodbye(Span<byte> destination, uint ssrc)
    {
        WriteHeader(destination, 1, RtcpPacketType.Goodbye, 8);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        return 8;
    }

    private static void WriteHeader(Span<byte> destination, int count, byte type, int length)
    {
        destination[0] = (byte)(0x80 | (count & 0x1F));
        destination[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(length / 4 - 1));
    }

    private static void WriteBlocks(Span<byte> destination, IReadOnlyList<RtcpReportBlock> blocks)
    {
        for (int i = 0; i < blocks.Count; i++)
        {
            var b = destination.Slice(24 * i, 24);
            var block = blocks[i];
            BinaryPrimitives.WriteUInt32BigEndian(b, block.Ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(b[4..], ((uint)block.FractionLost << 24) | ((uint)block.CumulativeLost & 0xFFFFFF));
            BinaryPrimitives.WriteUInt32BigEndian(b[8..], block.ExtendedHighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(b[12..], block.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(b[16..], block.LastSenderReport);
            BinaryPrimitives.WriteUInt32BigEndian(b[20..], block.DelaySinceLastSenderReport);
        }
    }
}
