using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.WebRtc.Tests.Rtp;

public sealed class RtcpTests
{
    [Fact]
    public void Compound_sr_sdes_bye_round_trips()
    {
        var block = new RtcpReportBlock(0xAABBCCDD, 12, -3, 70000, 45, 0x11112222, 65536);
        var sr = new RtcpSenderReport(0x01020304, 0xE1234567_89ABCDEF, 960, 50, 4000, [block]);
        byte[] buffer = new byte[256];
        int length = RtcpWriter.WriteSenderReport(buffer, sr);
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), 0x01020304, "relay-cname");
        length += RtcpWriter.WriteGoodbye(buffer.AsSpan(length), 0x01020304);

        Assert.True(RtcpCompoundParser.TryParse(buffer.AsSpan(0, length), out var packets));
        Assert.Equal(3, packets.Count);
        var parsedSr = Assert.IsType<RtcpSenderReport>(packets[0]);
        Assert.Equal(sr.NtpTimestamp, parsedSr.NtpTimestamp);
        Assert.Equal(block, parsedSr.Reports[0]);
        var sdes = Assert.IsType<RtcpSourceDescription>(packets[1]);
        Assert.Equal("relay-cname", sdes.Chunks[0].Items[0].Text);
        Assert.Equal([0x01020304u], Assert.IsType<RtcpGoodbye>(packets[2]).Sources);
    }

    [Fact]
    public void Receiver_report_round_trips()
    {
        var rr = new RtcpReceiverReport(7, [new RtcpReportBlock(9, 0, 0, 1, 2, 3, 4)]);
        byte[] buffer = new byte[64];
        int length = RtcpWriter.WriteReceiverReport(buffer, rr);
        Assert.True(RtcpCompoundParser.TryParse(buffer.AsSpan(0, length), out var packets));
        var parsed = Assert.IsType<RtcpReceiverReport>(Assert.Single(packets));
        Assert.Equal(rr.Reports[0], parsed.Reports[0]);
    }

    [Fact]
    public void Bye_with_reason_and_unknown_packet_types_are_read()
    {
        // BYE with reason "x" (padded), then an RTPFB (205) packet kept as "other".
        byte[] datagram = Convert.FromHexString("81CB000200000005017800008DCD000200000001" + "00000002");
        Assert.True(RtcpCompoundParser.TryParse(datagram, out var packets));
        Assert.Equal("x", Assert.IsType<RtcpGoodbye>(packets[0]).Reason);
        Assert.Equal(205, Assert.IsType<RtcpOtherPacket>(packets[1]).Type);
    }

    [Fact]
    public void A_length_field_beyond_the_datagram_is_rejected()
    {
        Assert.False(RtcpCompoundParser.TryParse(Convert.FromHexString("80C900FF00000001"), out _));
    }
}
