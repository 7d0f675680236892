// RFC 3550 §6.4.1 (SR), §6.4.2 (RR), §6.5 (SDES), §6.6 (BYE); report block layout §6.4.1.
namespace MediaRelay.WebRtc.Rtp;

public static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;
}

/// <summary>One reception report block (24 bytes on the wire).</summary>
public sealed record RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport);

/// <summary>Base of decoded RTCP packets inside a compound packet.</summary>
public abstract record RtcpPacket(byte PacketType);

public sealed record RtcpSenderReport(
    uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount,
    IReadOnlyList<RtcpReportBlock> Reports) : RtcpPacket(RtcpPacketType.SenderReport);

public sealed record RtcpReceiverReport(uint Ssrc, IReadOnlyList<RtcpReportBlock> Reports)
    : RtcpPacket(RtcpPacketType.ReceiverReport);

/// <summary>One SDES chunk: a source and its items (type → text; CNAME is type 1).</summary>
public sealed record RtcpSdesChunk(uint Ssrc, IReadOnlyList<RtcpSdesItem> Items);

public sealed record RtcpSdesItem(byte Type, string Text)
{
    public const byte CnameType = 1;
}

public sealed record RtcpSourceDescription(IReadOnlyList<RtcpSdesChunk> Chunks)
    : RtcpPacket(RtcpPacketType.SourceDescription);

public sealed record RtcpGoodbye(IReadOnlyList<uint> Sources, string? Reason) : RtcpPacket(RtcpPacketType.Goodbye);

/// <summary>Any other packet type (APP, feedback, XR): kept as type and length only.</summary>
public sealed record RtcpOtherPacket(byte Type, int Length) : RtcpPacket(Type);
