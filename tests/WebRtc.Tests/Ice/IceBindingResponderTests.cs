using System.Net;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Tests.Ice;

public sealed class IceBindingResponderTests
{
    private static readonly IceCredentials Local = new("reLy", "relaypassword0123456789x");
    private static readonly IPEndPoint Source = new(IPAddress.Parse("192.0.2.10"), 50000);

    private static byte[] Check(string username, string key, Action<StunMessageWriterSlot>? extra = null)
    {
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddUsername(username);
        writer.AddPriority(IceControllingAgent.PeerReflexivePriority);
        var slot = new StunMessageWriterSlot();
        extra?.Invoke(slot);
        if (slot.Controlling is ulong controlling)
        {
            writer.AddIceControlling(controlling);
        }

        if (slot.Controlled is ulong controlled)
        {
            writer.AddIceControlled(controlled);
        }

        if (slot.UseCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddMessageIntegrity(System.Text.Encoding.UTF8.GetBytes(key));
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }

    private static (IceRequestResult Result, StunMessage Response, byte[] Raw) Handle(IceBindingResponder responder, byte[] request)
    {
        Assert.True(StunParser.TryParse(request, out var message));
        byte[] response = new byte[256];
        var result = responder.Handle(request, message!, Source, response);
        byte[] raw = response[..result.ResponseLength];
        Assert.True(StunParser.TryParse(raw, out var parsed));
        return (result, parsed!, raw);
    }

    [Fact]
    public void A_valid_check_gets_a_signed_success_with_the_source_as_mapped_address()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlled, 1, isLite: true);
        var (result, response, raw) = Handle(responder, Check("reLy:chrm", Local.Pwd, s => { s.Controlling = 5; s.UseCandidate = true; }));
        Assert.Equal(IceRequestOutcome.Accepted, result.Outcome);
        Assert.True(result.UseCandidate);
        Assert.True(response.IsSuccessResponse);
        Assert.Equal(Source, response.XorMappedAddress);
        Assert.True(StunMessageIntegrity.Verify(raw, response, Local.Key));
        Assert.True(response.HasFingerprint);
    }

    [Fact]
    public void A_check_for_another_ufrag_gets_401_without_message_integrity()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlled, 1, isLite: true);
        var (result, response, _) = Handle(responder, Check("othr:chrm", Local.Pwd));
        Assert.Equal((IceRequestOutcome.Rejected, 401), (result.Outcome, response.ErrorCode!.Value));
        Assert.Equal(-1, response.MessageIntegrityOffset);
    }

    [Fact]
    public void A_check_signed_with_the_wrong_password_gets_401()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlled, 1, isLite: true);
        Assert.Equal(401, Handle(responder, Check("reLy:chrm", "not-the-password-at-all")).Response.ErrorCode);
    }

    [Fact]
    public void A_lite_agent_answers_a_controlled_peer_with_487()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlled, ulong.MaxValue, isLite: true);
        Assert.Equal(487, Handle(responder, Check("reLy:chrm", Local.Pwd, s => s.Controlled = 1)).Response.ErrorCode);
    }

    [Fact]
    public void A_controlling_agent_with_the_larger_tie_breaker_keeps_its_role_and_answers_487()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlling, 100, isLite: false);
        Assert.Equal(487, Handle(responder, Check("reLy:peer", Local.Pwd, s => s.Controlling = 50)).Response.ErrorCode);
        Assert.Equal(IceRole.Controlling, responder.Role);
    }

    [Fact]
    public void A_controlling_agent_with_the_smaller_tie_breaker_switches_to_controlled()
    {
        var responder = new IceBindingResponder(Local, IceRole.Controlling, 10, isLite: false);
        Assert.Equal(IceRequestOutcome.Accepted, Handle(responder, Check("reLy:peer", Local.Pwd, s => s.Controlling = 50)).Result.Outcome);
        Assert.Equal(IceRole.Controlled, responder.Role);
    }

    [Fact]
    public void A_request_without_username_gets_400()
    {
        byte[] buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddFingerprint();
        var responder = new IceBindingResponder(Local, IceRole.Controlled, 1, isLite: true);
        Assert.Equal(400, Handle(responder, buffer[..writer.Length]).Response.ErrorCode);
    }

    internal sealed class StunMessageWriterSlot
    {
        public ulong? Controlling { get; set; }
        public ulong? Controlled { get; set; }
        public bool UseCandidate { get; set; }
    }
}
