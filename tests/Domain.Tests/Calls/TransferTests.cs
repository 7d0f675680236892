using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class TransferTests
{
    private static InboundDriver AnaOnTheCall() => new InboundDriver(Order(Ana)).OnCallWith(Ana, at: 5);

    [Fact]
    public void The_teammate_is_rung_with_the_note_and_a_30_second_revert_timer_is_set()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60, "wants a refund");

        var offer = Assert.Single(call.Effects.Of<NotifyTransferOffered>());
        Assert.Equal((Ben, Ana, "wants a refund"), (offer.Target, offer.From, offer.Note));
        Assert.Equal(S(90), call.Effects.Timer(CallTimerKind.TransferRevert).DueAt);
        Assert.Equal(TransferPhase.Offered, call.State.Transfer!.Phase);
        Assert.Equal(Ana, call.State.Agent);
    }

    [Fact]
    public void On_accept_the_relay_switches_the_agent_leg_and_the_initiator_is_released()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60).AcceptsTransfer(Ben, 70);

        Assert.Equal(Ben, call.State.Agent);
        Assert.Equal(TransferPhase.Accepted, call.State.Transfer!.Phase);
        Assert.Single(call.Effects.Of<SwitchAgentLeg>(), s => s.From == Ana && s.To == Ben);
        Assert.Single(call.Effects.Of<ReleaseAgent>(), r => r.Agent == Ana);
        Assert.Single(call.Effects.Of<AssignAgent>(), a => a.Agent == Ben);
        Assert.Equal(2, call.Effects.Of<NotifyTransferOutcome>().Count(n => n.Outcome == TransferOutcome.Accepted));
    }

    [Fact]
    public void Unanswered_for_30_seconds_the_transfer_reverts_to_the_initiator_and_both_are_told()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60);
        var revert = call.Effects.Timer(CallTimerKind.TransferRevert);

        call.Fires(revert, 90);

        Assert.Equal(TransferPhase.RevertedUnanswered, call.State.Transfer!.Phase);
        Assert.Equal(Ana, call.State.Agent);
        Assert.Equal<AgentId>([Ana, Ben], call.Effects.Of<NotifyTransferOutcome>().Select(n => n.Agent));
        Assert.Empty(call.Effects.Of<SwitchAgentLeg>());
        Assert.Contains(CallTimelineKind.TransferReverted, call.Effects.Timeline());
    }

    [Fact]
    public void The_revert_timer_does_nothing_before_30_seconds()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60);
        var revert = call.Effects.Timer(CallTimerKind.TransferRevert);
        var pending = call.State;

        call.Apply(call.Machine.TimerFired(pending, revert with { DueAt = S(80) }, call.Roster, S(80)));

        Assert.Same(pending, call.State);
    }

    [Fact]
    public void A_revert_timer_that_fires_after_the_accept_is_a_no_op()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60);
        var revert = call.Effects.Timer(CallTimerKind.TransferRevert);
        call.AcceptsTransfer(Ben, 70);
        var accepted = call.State;

        call.Fires(revert, 90);

        Assert.Same(accepted, call.State);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void A_revert_timer_of_an_earlier_transfer_does_not_revert_a_later_one()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60);
        var first = call.Effects.Timer(CallTimerKind.TransferRevert);
        call.DeclinesTransfer(Ben, 62).Transfers(Ana, Cy, 80);

        call.Fires(first, 90);

        Assert.Equal(TransferPhase.Offered, call.State.Transfer!.Phase);
        Assert.Equal(Cy, call.State.Transfer.To);
    }

    [Fact]
    public void A_decline_reverts_at_once()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60).DeclinesTransfer(Ben, 63);

        Assert.Equal(TransferPhase.Declined, call.State.Transfer!.Phase);
        Assert.Equal(Ana, call.State.Agent);
        Assert.All(call.Effects.Of<NotifyTransferOutcome>(), n => Assert.Equal(TransferOutcome.Declined, n.Outcome));
    }

    [Fact]
    public void A_transfer_to_a_teammate_who_became_busy_fails_at_once_with_the_reason_for_the_initiator()
    {
        var call = AnaOnTheCall();
        call.Roster = call.Roster.With(OnCall(Ben));
        var before = call.State;

        call.Transfers(Ana, Ben, 60);

        Assert.Equal(CallRefusal.AgentOnAnotherCall, call.Last.Refusal);
        Assert.Same(before, call.State);
        var failure = Assert.Single(call.Effects.Of<NotifyTransferOutcome>());
        Assert.Equal((Ana, TransferOutcome.Failed, CallRefusal.AgentOnAnotherCall), (failure.Agent, failure.Outcome, failure.Reason));
        Assert.Contains(CallTimelineKind.TransferFailed, call.Effects.Timeline());
    }

    [Fact]
    public void Only_one_transfer_of_a_call_may_wait_for_an_answer_at_a_time()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60).Transfers(Ana, Cy, 61);

        Assert.Equal(CallRefusal.TransferAlreadyPending, call.Last.Refusal);
        Assert.Equal(Ben, call.State.Transfer!.To);
    }

    [Fact]
    public void A_teammate_who_took_another_call_after_the_offer_cannot_accept_it()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60);
        call.Roster = call.Roster.With(OnCall(Ben));

        call.AcceptsTransfer(Ben, 65);

        Assert.Equal(CallRefusal.AgentOnAnotherCall, call.Last.Refusal);
        Assert.Equal(TransferPhase.Offered, call.State.Transfer!.Phase);
    }

    [Fact]
    public void Only_the_agent_on_the_call_may_transfer_it_and_only_the_target_may_answer()
    {
        Assert.Equal(CallRefusal.NotTheAgentOnTheCall, AnaOnTheCall().Transfers(Ben, Cy, 60).Last.Refusal);
        Assert.Equal(CallRefusal.NotTheTransferTarget, AnaOnTheCall().Transfers(Ana, Ben, 60).AcceptsTransfer(Cy, 61).Last.Refusal);
        Assert.Equal(CallRefusal.TransferToSelf, AnaOnTheCall().Transfers(Ana, Ana, 60).Last.Refusal);
    }

    [Fact]
    public void Ending_the_call_while_a_transfer_waits_withdraws_the_offer_from_the_teammate()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60).Ends(Ana, 65);

        Assert.Equal(TransferPhase.Cancelled, call.State.Transfer!.Phase);
        Assert.Single(call.Effects.Of<NotifyTransferOutcome>(), n => n.Agent == Ben && n.Outcome == TransferOutcome.Cancelled);
    }

    [Fact]
    public void After_a_transfer_the_new_agent_owes_the_disposition()
    {
        var call = AnaOnTheCall().Transfers(Ana, Ben, 60).AcceptsTransfer(Ben, 70);
        call.Roster = call.Roster.With(Available(Ana)).With(OnCall(Ben, Call.Value));

        call.Ends(Ben, 120);

        Assert.Single(call.Effects.Of<RequestDisposition>(), r => r.Agent == Ben);
    }

    [Fact]
    public void The_revert_time_is_configurable()
    {
        var call = new InboundDriver(Order(Ana), rules: CallingRules.Default with { TransferRevert = TimeSpan.FromSeconds(20) }).OnCallWith(Ana);

        call.Transfers(Ana, Ben, 60);

        Assert.Equal(S(80), call.Effects.Timer(CallTimerKind.TransferRevert).DueAt);
    }
}
