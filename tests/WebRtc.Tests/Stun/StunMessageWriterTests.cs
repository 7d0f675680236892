using System.Net;
using System.Text;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Tests.Stun;

public sealed class StunMessageWriterTests
{
    [Fact]
    public void A_written_ice_check_parses_back_and_its_integrity_verifies()
    {
        byte[] key = Encoding.UTF8.GetBytes("X29zIx+RGAlhVLF1/lo0oQ==");
        var txId = StunTransactionId.NewRandom();
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, txId);
        writer.AddUsername("metaUfrag:relay");
        writer.AddPriority(1862270975);
        writer.AddIceControlling(0x0102030405060708);
        writer.AddUseCandidate();
        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();
        var datagram = buffer.AsSpan(0, writer.Length).ToArray();

        Assert.True(StunParser.TryParse(datagram, out var message));
        Assert.Equal(txId, message!.TransactionId);
        Assert.Equal("metaUfrag:relay", message.Username);
        Assert.Equal(1862270975u, message.Priority);
        Assert.Equal(0x0102030405060708UL, message.IceControlling);
        Assert.True(message.UseCandidate);
        Assert.True(StunMessageIntegrity.Verify(datagram, message, key));
    }

    [Fact]
    public void An_error_response_carries_code_and_reason()
    {
        byte[] buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingError, StunTransactionId.NewRandom());
        writer.AddErrorCode(StunErrorCode.RoleConflict, "Role Conflict");
        writer.AddFingerprint();
        Assert.True(StunParser.TryParse(buffer.AsSpan(0, writer.Length), out var message));
        Assert.Equal(487, message!.ErrorCode);
        Assert.Equal("Role Conflict", message.ErrorReason);
    }

    [Fact]
    public void Ipv6_xor_mapped_address_round_trips()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("2a03:2880:f20c:1:face:b00c:0:6733"), 3480);
        byte[] buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, StunTransactionId.NewRandom());
        writer.AddXorMappedAddress(endPoint);
        Assert.True(StunParser.TryParse(buffer.AsSpan(0, writer.Length), out var message));
        Assert.Equal(endPoint, message!.XorMappedAddress);
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_reported()
    {
        byte[] datagram = Convert.FromHexString("000100082112a442000102030405060708090a0b7fff000400000000");
        Assert.True(StunParser.TryParse(datagram, out var message));
        Assert.Equal([(ushort)0x7fff], message!.UnknownRequiredAttributes);
    }
}
