using System.Net;
using System.Text;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Tests.Stun;

// RFC 5769 §2.1–2.3 sample messages.
public sealed class StunRfc5769VectorTests
{
    private static readonly byte[] Password = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    private static readonly byte[] Request = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    private static readonly byte[] Ipv4Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96");

    private static readonly byte[] Ipv6Response = Convert.FromHexString(
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c");

    [Fact]
    public void Sample_request_parses_with_ice_attributes_and_a_valid_fingerprint()
    {
        Assert.True(StunParser.TryParse(Request, out var message));
        Assert.Equal(StunMessageType.BindingRequest, message!.Type);
        Assert.Equal("evtj:h6vY", message.Username);
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.Equal(0x932ff9b151263b36UL, message.IceControlled);
        Assert.Equal("STUN test client", message.Software);
        Assert.True(message.HasFingerprint);
    }

    [Fact]
    public void Sample_request_message_integrity_verifies_with_the_short_term_password()
    {
        Assert.True(StunParser.TryParse(Request, out var message));
        Assert.True(StunMessageIntegrity.Verify(Request, message!, Password));
        Assert.False(StunMessageIntegrity.Verify(Request, message!, Encoding.UTF8.GetBytes("wrong-password-xxxxxxx")));
    }

    [Fact]
    public void Sample_ipv4_response_decodes_the_xor_mapped_address_and_verifies()
    {
        Assert.True(StunParser.TryParse(Ipv4Response, out var message));
        Assert.Equal(StunMessageType.BindingSuccess, message!.Type);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), message.XorMappedAddress);
        Assert.True(StunMessageIntegrity.Verify(Ipv4Response, message, Password));
    }

    [Fact]
    public void Sample_ipv6_response_decodes_the_xor_mapped_address_and_verifies()
    {
        Assert.True(StunParser.TryParse(Ipv6Response, out var message));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), message!.XorMappedAddress);
        Assert.True(StunMessageIntegrity.Verify(Ipv6Response, message, Password));
    }

    [Fact]
    public void Xor_mapped_address_encodes_as_in_the_rfc_sample()
    {
        var txId = StunTransactionId.Read(Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, txId);
        writer.AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        Assert.Equal("002000080001a147e112a643", Convert.ToHexStringLower(buffer[20..writer.Length]));
    }

    [Fact]
    public void Crc32_check_value_matches_the_standard()
    {
        Assert.Equal(0xCBF43926u, StunCrc32.Compute("123456789"u8));
    }

    [Fact]
    public void A_flipped_bit_breaks_the_fingerprint_and_the_message_is_rejected()
    {
        byte[] tampered = (byte[])Request.Clone();
        tampered[40] ^= 0x01;
        Assert.False(StunParser.TryParse(tampered, out _));
    }
}
