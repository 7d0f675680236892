using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class RosterChangeTests
{
    [Fact]
    public void A_busy_agent_whose_call_ends_while_nobody_rings_is_rung_and_can_accept_now()
    {
        var call = new InboundDriver(Order(Ana, Ben), AllAvailable.With(OnCall(Ben))).Offered().Declines(Ana, 2);
        Assert.Empty(call.State.Ring!.Ringing);

        call.RosterChanges(AllAvailable, 10);

        Assert.Equal<AgentId>([Ben], call.Effects.Rung());
        Assert.Equal<AgentId>([Ben], call.State.Ring!.Ringing);
    }

    [Fact]
    public void An_agent_who_goes_offline_while_rung_stops_ringing_and_the_next_step_starts()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var firstStep = call.Effects.Timer(CallTimerKind.RingEscalation);

        call.RosterChanges(AllAvailable.With(Offline(Ana)), 4);

        Assert.Equal<AgentId>([Ben], call.Effects.Rung());
        Assert.Contains(call.Effects.Of<WithdrawIncomingCall>(), w => w.Agent == Ana);
        call.Fires(firstStep, 15);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void A_roster_change_that_affects_nobody_ringing_changes_nothing()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var before = call.State;

        call.RosterChanges(AllAvailable.With(Offline(Cy)), 4);

        Assert.Same(before, call.State);
    }
}
