using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class AgentPolicyTests
{
    [Fact]
    public void An_available_agent_may_accept_a_call()
    {
        Assert.Null(AgentPolicy.AcceptRefusal(Available(Ana), Call));
    }

    [Fact]
    public void A_busy_agent_may_not_accept_until_their_call_ends()
    {
        Assert.Equal(CallRefusal.AgentOnAnotherCall, AgentPolicy.AcceptRefusal(OnCall(Ana), Call));
        Assert.Null(AgentPolicy.AcceptRefusal(OnCall(Ana) with { ActiveCall = null }, Call));
    }

    [Fact]
    public void The_transfer_list_holds_only_available_unrestricted_agents_who_are_not_on_a_call_and_not_the_initiator()
    {
        var roster = AgentRoster.Of(Available(Ana), Available(Ben), OnCall(Cy), Restricted(Dee), Away(new AgentId("eve")), Offline(new AgentId("fay")));

        Assert.Equal<AgentId>([Ben], AgentPolicy.TransferTargets(roster, Ana).Select(a => a.Id));
    }

    [Theory]
    [InlineData(AgentPresence.Available, false, false, null)]
    [InlineData(AgentPresence.Offline, false, false, CallRefusal.AgentOffline)]
    [InlineData(AgentPresence.Available, true, false, CallRefusal.AgentRestricted)]
    [InlineData(AgentPresence.Available, false, true, CallRefusal.AgentOnAnotherCall)]
    public void A_transfer_target_must_be_eligible_at_the_moment_of_asking(AgentPresence presence, bool restricted, bool onCall, CallRefusal? expected)
    {
        var target = new Agent(Ben, presence, AgentCapabilities.Full with { Restricted = restricted }, onCall ? new CallId("wacid.x") : null);

        Assert.Equal(expected, AgentPolicy.TransferTargetRefusal(Ana, target));
    }

    [Fact]
    public void Only_an_agent_with_the_capability_may_dial_out()
    {
        var cannotDial = Available(Ana) with { Capabilities = AgentCapabilities.Full with { MayMakeCalls = false } };

        Assert.Equal(CallRefusal.AgentMayNotMakeCalls, AgentPolicy.OutboundRefusal(cannotDial));
        Assert.Equal(CallRefusal.AgentOnAnotherCall, AgentPolicy.OutboundRefusal(OnCall(Ana)));
        Assert.Null(AgentPolicy.OutboundRefusal(Available(Ana)));
    }
}
