using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class InboundRingTests
{
    [Fact]
    public void An_admitted_call_is_pre_accepted_and_rings_the_primary_with_budget_and_escalation_timers()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();

        Assert.Equal(InboundCallPhase.Ringing, call.State.Phase);
        Assert.Single(call.Effects.Of<OpenRelaySession>());
        Assert.Single(call.Effects.Of<SendPreAccept>());
        Assert.Equal<AgentId>([Ana], call.Effects.Rung());
        Assert.Equal(S(45), call.Effects.Timer(CallTimerKind.RingBudget).DueAt);
        Assert.Equal(S(15), call.Effects.Timer(CallTimerKind.RingEscalation).DueAt);
        Assert.Equal([CallTimelineKind.Offered, CallTimelineKind.Ringing], call.Effects.Timeline());
    }

    [Theory]
    [InlineData(CallAdmission.CallingDisabled)]
    [InlineData(CallAdmission.BalanceBelowMinimum)]
    [InlineData(CallAdmission.OutsideBusinessHours)]
    public void A_call_that_is_not_admitted_is_rejected_through_Graph_with_the_reason_on_the_timeline(CallAdmission admission)
    {
        var call = new InboundDriver(Order(Ana)).Offered(admission: admission);

        Assert.Equal(InboundCallPhase.Rejected, call.State.Phase);
        Assert.Equal(admission, call.State.RejectedFor);
        var reject = Assert.Single(call.Effects.Of<SendReject>());
        var entry = call.Effects.Of<RecordTimeline>().Single(t => t.Entry.What == CallTimelineKind.Rejected);
        Assert.Equal(reject.Reason, entry.Entry.Detail);
        Assert.Empty(call.Effects.Of<NotifyIncomingCall>());
    }

    [Fact]
    public void The_escalation_timer_moves_the_ring_to_the_next_backup()
    {
        var call = new InboundDriver(Order(Ana, Ben, Cy)).Offered();
        var escalation = call.Effects.Timer(CallTimerKind.RingEscalation);

        call.Fires(escalation, 15);

        Assert.Equal<AgentId>([Ben], call.Effects.Rung());
        Assert.Contains(call.Effects.Of<WithdrawIncomingCall>(), w => w.Agent == Ana && w.Reason == IncomingCallWithdrawal.RingMoved);
        Assert.Equal(S(30), call.Effects.Timer(CallTimerKind.RingEscalation).DueAt);
        Assert.Contains(CallTimelineKind.RingEscalated, call.Effects.Timeline());
    }

    [Fact]
    public void Offline_restricted_and_busy_agents_are_skipped_and_only_the_busy_one_is_notified()
    {
        var roster = AllAvailable.With(Offline(Ana)).With(Restricted(Ben)).With(OnCall(Cy));

        var call = new InboundDriver(Order(Ana, Ben, Cy, Dee), roster).Offered();

        Assert.Equal<AgentId>([Dee], call.Effects.Rung());
        Assert.Equal<AgentId>([Cy], call.Effects.NotifiedOnly());
    }

    [Fact]
    public void A_decline_moves_the_ring_to_the_next_step_at_once()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();

        call.Declines(Ana, 3);

        Assert.Equal<AgentId>([Ben], call.Effects.Rung());
        Assert.Equal<AgentId>([Ben], call.State.Ring!.Ringing);
        Assert.Contains(CallTimelineKind.Declined, call.Effects.Timeline());
    }

    [Fact]
    public void The_escalation_timer_of_a_step_left_by_a_decline_is_a_no_op()
    {
        var call = new InboundDriver(Order(Ana, Ben, Cy)).Offered();
        var firstStep = call.Effects.Timer(CallTimerKind.RingEscalation);
        call.Declines(Ana, 3);
        var before = call.State;

        call.Fires(firstStep, 15);

        Assert.Same(before, call.State);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void In_the_ring_all_step_every_remaining_agent_rings_and_one_decline_leaves_the_others_ringing()
    {
        var call = new InboundDriver(OrderWithRingAll(Ana, Ben, Cy)).Offered().Declines(Ana, 1);
        call.Fires(call.Effects.Timer(CallTimerKind.RingEscalation), 16);
        call.Fires(call.Effects.Timer(CallTimerKind.RingEscalation), 31);

        Assert.Equal<AgentId>([Ben, Cy], call.State.Ring!.Ringing);

        call.Declines(Cy, 20);

        Assert.Equal<AgentId>([Ben], call.State.Ring!.Ringing);
        Assert.Equal(InboundCallPhase.Ringing, call.State.Phase);
    }

    [Fact]
    public void When_everyone_declines_the_call_is_missed_at_once()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered().Declines(Ana, 2);

        call.Declines(Ben, 4);

        Assert.Equal(InboundCallPhase.Missed, call.State.Phase);
        Assert.Equal(MissReason.AllAgentsDeclined, call.State.Missed);
        Assert.Single(call.Effects.Of<SendReject>());
    }

    [Fact]
    public void When_the_ring_budget_is_spent_the_call_is_missed_and_rejected_through_Graph()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var budget = call.Effects.Timer(CallTimerKind.RingBudget);

        call.Fires(budget, 45);

        Assert.Equal(InboundCallPhase.Missed, call.State.Phase);
        Assert.Equal(MissReason.RingBudgetSpent, call.State.Missed);
        Assert.Single(call.Effects.Of<SendReject>());
        Assert.Single(call.Effects.Of<EndRelaySession>());
        Assert.Contains(call.Effects.Of<WithdrawIncomingCall>(), w => w.Reason == IncomingCallWithdrawal.Missed);
    }

    [Fact]
    public void A_timer_delivered_before_its_due_time_changes_nothing()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        var budget = call.Effects.Timer(CallTimerKind.RingBudget);
        var before = call.State;

        call.Fires(budget, 44);

        Assert.Same(before, call.State);
    }

    [Fact]
    public void When_no_agent_can_even_be_notified_the_call_is_missed_at_once()
    {
        var call = new InboundDriver(Order(Ana, Ben), AgentRoster.Of(Offline(Ana), Offline(Ben))).Offered();

        Assert.Equal(MissReason.NoAgentAvailable, call.State.Missed);
        Assert.Single(call.Effects.Of<SendReject>());
        Assert.Empty(call.Effects.Of<SendPreAccept>());
    }

    [Fact]
    public void A_connect_processed_after_its_ring_budget_is_missed_without_calling_Graph()
    {
        var call = new InboundDriver(Order(Ana));

        call.Apply(call.Machine.Offer(call.State, Offer(at: 0), Order(Ana), call.Roster, S(50)));

        Assert.Equal(InboundCallPhase.Missed, call.State.Phase);
        Assert.Empty(call.Effects.Of<SendReject>());
        Assert.Empty(call.Effects.Of<SendPreAccept>());
    }

    [Fact]
    public void With_only_a_busy_agent_left_the_call_keeps_ringing_until_the_budget_and_they_may_take_it_once_free()
    {
        var call = new InboundDriver(Order(Ana, Ben), AllAvailable.With(OnCall(Ben))).Offered();
        call.Declines(Ana, 2);

        Assert.Equal(InboundCallPhase.Ringing, call.State.Phase);
        Assert.Empty(call.State.Ring!.Ringing);

        call.Roster = AllAvailable;
        call.Accepts(Ben, 20);

        Assert.Equal(InboundCallPhase.Accepted, call.State.Phase);
        Assert.Equal(Ben, call.State.Agent);
    }
}
