// RFC 7983 §7 (first-byte demultiplexing of STUN, DTLS, RTP/RTCP on one port) and RFC 5761 §4 (RTP vs RTCP
// by the second byte when rtcp-mux is used: RTCP packet types 192–223).
namespace MediaRelay.WebRtc.Rtp;

public enum PacketKind
{
    Unknown,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
}

public static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        byte first = datagram[0];
        return first switch
        {
            <= 3 => PacketKind.Stun,
            >= 20 and <= 63 => PacketKind.Dtls,
            >= 128 and <= 191 when datagram.Length >= 2 =>
                datagram[1] is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp,
            _ => PacketKind.Unknown,
        };
    }
}
