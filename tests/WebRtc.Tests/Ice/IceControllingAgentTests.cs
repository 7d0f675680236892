using System.Net;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Tests.Ice;

public sealed class IceControllingAgentTests
{
    private static readonly IceCredentials Ours = IceCredentials.Generate();
    private static readonly IceCredentials Meta = new("metaMetaMetaMeta", "X29zIx+RGAlhVLF1/lo0oQ==");
    private static readonly IPEndPoint MetaHost = new(IPAddress.Parse("157.240.0.10"), 3480);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Checks_carry_ice_controlling_use_candidate_and_metas_credentials_and_a_verified_answer_nominates()
    {
        var lite = new IceBindingResponder(Meta, IceRole.Controlled, 7, isLite: true);
        IceControllingAgent? agent = null;
        StunMessage? firstCheck = null;
        agent = new IceControllingAgent(Ours, Meta, [MetaHost], 42, (datagram, to) =>
        {
            Assert.True(StunParser.TryParse(datagram.Span, out var check));
            firstCheck ??= check;
            byte[] response = new byte[256];
            var result = lite.Handle(datagram.Span, check!, new IPEndPoint(IPAddress.Parse("203.0.113.5"), 40000), response);
            Assert.True(StunParser.TryParse(response.AsSpan(0, result.ResponseLength), out var answer));
            agent!.OnResponse(response.AsSpan(0, result.ResponseLength), answer!, to);
        });
        using var cts = new CancellationTokenSource(HangGuard);
        _ = agent.RunAsync(cts.Token);

        Assert.Equal(MetaHost, await agent.Nominated.WaitAsync(HangGuard));
        Assert.Equal($"{Meta.Ufrag}:{Ours.Ufrag}", firstCheck!.Username);
        Assert.Equal(42UL, firstCheck.IceControlling);
        Assert.True(firstCheck.UseCandidate);
        Assert.Equal(IceControllingAgent.PeerReflexivePriority, firstCheck.Priority);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task An_answer_from_another_address_does_not_nominate_and_no_answer_fails_ice()
    {
        var lite = new IceBindingResponder(Meta, IceRole.Controlled, 7, isLite: true);
        IceControllingAgent? agent = null;
        var timings = new IceAgentTimings { NominationTimeout = TimeSpan.FromMilliseconds(300) };
        agent = new IceControllingAgent(Ours, Meta, [MetaHost], 42, (datagram, _) =>
        {
            Assert.True(StunParser.TryParse(datagram.Span, out var check));
            byte[] response = new byte[256];
            var result = lite.Handle(datagram.Span, check!, MetaHost, response);
            Assert.True(StunParser.TryParse(response.AsSpan(0, result.ResponseLength), out var answer));
            Assert.False(agent!.OnResponse(response.AsSpan(0, result.ResponseLength), answer!, new IPEndPoint(IPAddress.Parse("198.51.100.1"), 3480)));
        }, timings: timings);
        using var cts = new CancellationTokenSource(HangGuard);
        _ = agent.RunAsync(cts.Token);

        await Assert.ThrowsAsync<IceFailedException>(() => agent.Nominated.WaitAsync(HangGuard));
    }
}
