using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class InboundAnswerTests
{
    [Fact]
    public void Accepting_attaches_the_agent_to_the_relay_sends_accept_and_tells_the_others_the_call_was_taken()
    {
        var call = new InboundDriver(Order(Ana, Ben), AllAvailable.With(OnCall(Ana))).Offered();

        call.Accepts(Ben, 3);

        Assert.Equal(InboundCallPhase.Accepted, call.State.Phase);
        Assert.Equal(
            [typeof(AssignAgent), typeof(AttachAgentToRelay), typeof(SendAccept)],
            call.Effects.Take(3).Select(e => e.GetType()));
        Assert.Contains(call.Effects.Of<WithdrawIncomingCall>(), w => w.Agent == Ana && w.Reason == IncomingCallWithdrawal.TakenByAnotherAgent);
        Assert.DoesNotContain(call.Effects.Of<WithdrawIncomingCall>(), w => w.Agent == Ben);
    }

    [Fact]
    public void The_first_accept_wins_and_a_second_is_refused_because_the_call_was_taken()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        call.Fires(call.Effects.Timer(CallTimerKind.RingEscalation), 15).Accepts(Ben, 16);
        var afterFirst = call.State;

        call.Accepts(Ana, 16);

        Assert.Equal(CallRefusal.AlreadyTaken, call.Last.Refusal);
        Assert.Same(afterFirst, call.State);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void The_winners_retried_accept_is_harmless()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Accepts(Ana, 2);
        var accepted = call.State;

        call.Accepts(Ana, 3);

        Assert.Null(call.Last.Refusal);
        Assert.Same(accepted, call.State);
    }

    [Fact]
    public void A_busy_agent_is_notified_but_their_accept_is_refused_until_their_call_ends()
    {
        var call = new InboundDriver(Order(Ana, Ben), AllAvailable.With(OnCall(Ana))).Offered();
        Assert.Equal<AgentId>([Ana], call.Effects.NotifiedOnly());

        call.Accepts(Ana, 3);

        Assert.Equal(CallRefusal.AgentOnAnotherCall, call.Last.Refusal);
        Assert.Equal(InboundCallPhase.Ringing, call.State.Phase);
    }

    [Fact]
    public void An_agent_the_call_was_never_offered_to_cannot_accept_it()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered().Accepts(Cy, 2);

        Assert.Equal(CallRefusal.NotOfferedToAgent, call.Last.Refusal);
    }

    [Fact]
    public void Escalation_and_budget_timers_that_fire_after_an_accept_are_no_ops()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var escalation = call.Effects.Timer(CallTimerKind.RingEscalation);
        var budget = call.Effects.Timer(CallTimerKind.RingBudget);
        call.Accepts(Ana, 5);
        var accepted = call.State;

        call.Fires(escalation, 15).Fires(budget, 45);

        Assert.Same(accepted, call.State);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void Terminate_after_connect_ends_the_call_with_Metas_duration_bills_it_and_asks_for_a_disposition()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Accepts(Ana, 5).Connected(6);

        call.Terminated(126, pickedUp: true, duration: 120);

        Assert.Equal(InboundCallPhase.Ended, call.State.Phase);
        Assert.Equal(TimeSpan.FromSeconds(120), call.State.Duration);
        Assert.Equal(CallActorKind.Meta, call.State.EndedBy?.Kind);
        Assert.Single(call.Effects.Of<ChargeCall>());
        Assert.Single(call.Effects.Of<ReleaseAgent>(), r => r.Agent == Ana);
        Assert.Single(call.Effects.Of<RequestDisposition>(), r => r.Agent == Ana);
        Assert.Empty(call.Effects.Of<SendTerminate>());
        Assert.Equal(DispositionStage.Required, call.State.DispositionStatus.Stage);
    }

    [Fact]
    public void The_agent_hanging_up_sends_terminate_records_who_ended_and_asks_for_a_disposition()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Accepts(Ana, 5).Connected(6);

        call.Ends(Ana, 66);

        Assert.Equal(InboundCallPhase.Ended, call.State.Phase);
        Assert.Equal(CallActor.Of(Ana), call.State.EndedBy);
        Assert.Equal(TimeSpan.FromSeconds(60), call.State.Duration);
        Assert.Single(call.Effects.Of<SendTerminate>());
        Assert.Single(call.Effects.Of<RequestDisposition>());
    }

    [Fact]
    public void Metas_terminate_after_the_agent_hung_up_fills_in_the_billed_duration_once()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Accepts(Ana, 5).Connected(6).Ends(Ana, 66);

        call.Terminated(67, pickedUp: true, duration: 61);
        var charged = Assert.Single(call.Effects.Of<ChargeCall>());
        call.Terminated(67, pickedUp: true, duration: 61);

        Assert.Equal(TimeSpan.FromSeconds(61), charged.Duration);
        Assert.Equal(TimeSpan.FromSeconds(61), call.State.Duration);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void Only_the_agent_on_the_call_may_end_it()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Accepts(Ana, 5).Ends(Ben, 10);

        Assert.Equal(CallRefusal.NotTheAgentOnTheCall, call.Last.Refusal);
    }

    [Fact]
    public void Every_change_increments_the_version_by_one()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var versions = new List<long> { call.State.Version };

        call.Declines(Ana, 1);
        versions.Add(call.State.Version);
        call.Accepts(Ben, 2);
        versions.Add(call.State.Version);
        call.Connected(3);
        versions.Add(call.State.Version);

        Assert.Equal([1L, 2L, 3L, 4L], versions);
    }
}
