using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.WebRtc.Tests.Rtp;

public sealed class RtpHeaderTests
{
    // V=2 P=1 X=1 CC=1, M=1 PT=111, seq 0x1234, ts 0x01020304, SSRC 0xCAFEBABE, CSRC, one-byte extension (1 word),
    // payload "abc", 2 padding bytes.
    private static readonly byte[] Packet = Convert.FromHexString(
        "B1EF123401020304CAFEBABE11111111BEDE000110FF0000616263" + "0002");

    [Fact]
    public void Header_with_csrc_extension_and_padding_is_decoded()
    {
        Assert.True(RtpHeader.TryParse(Packet, out var h));
        Assert.True(h.Padding);
        Assert.True(h.Extension);
        Assert.True(h.Marker);
        Assert.Equal(1, h.CsrcCount);
        Assert.Equal(111, h.PayloadType);
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(0x01020304u, h.Timestamp);
        Assert.Equal(0xCAFEBABEu, h.Ssrc);
        Assert.Equal(0xBEDE, h.ExtensionProfile);
        Assert.Equal(4, h.ExtensionLength);
        Assert.Equal(24, h.HeaderLength);
        Assert.Equal(2, h.PaddingLength);
        Assert.Equal(3, h.PayloadLength(Packet.Length));
    }

    [Fact]
    public void Stripping_the_extension_clears_x_and_keeps_the_payload()
    {
        byte[] packet = Packet.ToArray();
        Assert.True(RtpHeader.TryParse(packet, out var h));
        int length = RtpPacketRewriter.StripExtension(packet, packet.Length, h);
        Assert.True(RtpHeader.TryParse(packet.AsSpan(0, length), out var stripped));
        Assert.False(stripped.Extension);
        Assert.Equal("abc"u8.ToArray(), packet.AsSpan(stripped.HeaderLength, stripped.PayloadLength(length)).ToArray());
    }

    [Fact]
    public void Ssrc_payload_type_marker_sequence_and_timestamp_can_be_rewritten()
    {
        byte[] packet = Packet.ToArray();
        RtpPacketRewriter.SetSsrc(packet, 42);
        RtpPacketRewriter.SetPayloadType(packet, 96);
        RtpPacketRewriter.SetMarker(packet, false);
        new RtpStreamOffsets(10, 960).Apply(packet);
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Assert.Equal((42u, (byte)96, false, (ushort)0x123E, 0x01020304u + 960), (h.Ssrc, h.PayloadType, h.Marker, h.SequenceNumber, h.Timestamp));
    }

    [Fact]
    public void Offsets_continue_a_stream_across_a_source_switch_with_wraparound()
    {
        var offsets = RtpStreamOffsets.Continue(65535, 0xFFFFFF00, 1000, 500, 960);
        Assert.Equal(0, offsets.ApplyToSequence(1000));
        Assert.Equal(unchecked(0xFFFFFF00 + 960), offsets.ApplyToTimestamp(500));
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0xFE, 0xFD }, PacketKind.Dtls)]
    [InlineData(new byte[] { 0x00, 0x01 }, PacketKind.Stun)]
    [InlineData(new byte[] { 0x80, 0x6F }, PacketKind.Rtp)]
    [InlineData(new byte[] { 0x80, 0xC8 }, PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x40, 0x00 }, PacketKind.Unknown)]
    [InlineData(new byte[] { }, PacketKind.Unknown)]
    public void First_byte_demultiplexes_per_rfc_7983(byte[] datagram, PacketKind expected)
    {
        Assert.Equal(expected, PacketClassifier.Classify(datagram));
    }
}
