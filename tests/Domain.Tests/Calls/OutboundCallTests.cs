using System.Collections.Immutable;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class OutboundCallTests
{
    private static readonly OutboundCallMachine Machine = new(CallingRules.Default);

    private static OutboundPlacement Placement(double at = 0) => new(Call, Ana, Business, Customer, S(at));

    private static CallTransition<OutboundCall> Placed() => Machine.Placed(OutboundCall.New(Call), Placement());

    [Fact]
    public void An_agent_without_the_capability_cannot_dial_and_is_told_why()
    {
        var noDial = Available(Ana) with { Capabilities = AgentCapabilities.Full with { MayMakeCalls = false } };

        var decision = OutboundCallMachine.Check(noDial, OutboundVerdict.Allow);

        Assert.Equal(CallRefusal.AgentMayNotMakeCalls, decision.Refusal);
        Assert.NotEmpty(decision.Reasons);
    }

    [Fact]
    public void Consent_and_billing_reasons_are_passed_through_to_the_agent()
    {
        var decision = OutboundCallMachine.Check(Available(Ana), OutboundVerdict.Deny("no call permission", "balance below $10"));

        Assert.False(decision.MayDial);
        Assert.Equal(CallRefusal.NotEligibleToCall, decision.Refusal);
        Assert.Equal<string>(["no call permission", "balance below $10"], decision.Reasons);
    }

    [Fact]
    public void A_placed_call_is_connecting_and_assigned_to_the_agent()
    {
        var placed = Placed();

        Assert.Equal(OutboundCallPhase.Connecting, placed.State.Phase);
        Assert.Single(placed.Effects.Of<AssignAgent>(), a => a.Agent == Ana);
        Assert.Contains(CallTimelineKind.Placed, placed.Effects.Timeline());
    }

    [Fact]
    public void Metas_answer_goes_to_the_relay_once_then_ringing_then_accepted_connects_the_call()
    {
        var state = Placed().State;
        var answer = Machine.AnswerReceived(state, S(1));
        var duplicate = Machine.AnswerReceived(answer.State, S(1));
        var ringing = Machine.CustomerRinging(duplicate.State, S(2));
        var accepted = Machine.CustomerAnswered(ringing.State, S(8));

        Assert.Single(answer.Effects.Of<ApplyAnswerToRelay>());
        Assert.Empty(duplicate.Effects);
        Assert.Equal(OutboundCallPhase.Ringing, ringing.State.Phase);
        Assert.Equal(OutboundCallPhase.Connected, accepted.State.Phase);
    }

    [Fact]
    public void An_answered_call_ends_on_terminate_is_billed_as_business_initiated_and_needs_a_disposition()
    {
        var connected = Machine.CustomerAnswered(Placed().State, S(8)).State;

        var ended = Machine.Terminate(connected, Hangup(98, pickedUp: true, duration: 90));

        Assert.Equal(OutboundOutcome.Answered, ended.State.Outcome);
        var charge = Assert.Single(ended.Effects.Of<ChargeCall>());
        Assert.True(charge.BusinessInitiated);
        Assert.Equal(TimeSpan.FromSeconds(90), charge.Duration);
        Assert.Equal(DispositionStage.Required, ended.State.DispositionStatus.Stage);
    }

    [Fact]
    public void A_terminate_without_pickup_leaves_the_call_unanswered_with_nothing_charged()
    {
        var ringing = Machine.CustomerRinging(Placed().State, S(2)).State;

        var ended = Machine.Terminate(ringing, Hangup(40));

        Assert.Equal(OutboundOutcome.Unanswered, ended.State.Outcome);
        Assert.Empty(ended.Effects.Of<ChargeCall>());
        Assert.Single(ended.Effects.Of<ReleaseAgent>());
        Assert.Single(ended.Effects.Of<RequestDisposition>());
    }

    [Fact]
    public void A_rejected_call_is_closed_at_the_status_and_its_terminate_changes_no_outcome()
    {
        var rejected = Machine.CustomerRejected(Machine.CustomerRinging(Placed().State, S(2)).State, S(5));
        var terminated = Machine.Terminate(rejected.State, Hangup(5));

        Assert.Equal(OutboundOutcome.Rejected, rejected.State.Outcome);
        Assert.Single(rejected.Effects.Of<EndRelaySession>());
        Assert.Equal(OutboundOutcome.Rejected, terminated.State.Outcome);
        Assert.Equal([CallTimelineKind.TerminateConfirmed], terminated.Effects.Timeline());
        Assert.Single(terminated.Effects);
    }

    [Fact]
    public void The_agent_hanging_up_before_pickup_sends_terminate_and_counts_as_unanswered()
    {
        var ringing = Machine.CustomerRinging(Placed().State, S(2)).State;

        var cancelled = Machine.End(ringing, Ana, S(20));

        Assert.Equal(OutboundOutcome.Unanswered, cancelled.State.Outcome);
        Assert.Single(cancelled.Effects.Of<SendTerminate>());
    }

    [Fact]
    public void An_unanswered_call_takes_the_No_Answer_disposition()
    {
        var unanswered = Machine.Terminate(Placed().State, Hangup(40)).State;

        var tagged = Machine.RecordDisposition(unanswered, Ana, DispositionCode.NoAnswer, null, S(50));

        Assert.Equal(DispositionCode.NoAnswer, tagged.State.DispositionStatus.Recorded!.Code);
    }

    [Fact]
    public void Webhooks_that_beat_Graphs_reply_are_kept_and_the_late_placement_asks_for_the_disposition()
    {
        var ended = Machine.Terminate(Machine.CustomerRinging(OutboundCall.New(Call), S(2)).State, Hangup(30)).State;

        var placed = Machine.Placed(ended, Placement());

        Assert.Equal(OutboundOutcome.Unanswered, placed.State.Outcome);
        Assert.Equal(Ana, placed.State.Agent);
        Assert.Single(placed.Effects.Of<RequestDisposition>());
        Assert.Empty(placed.Effects.Of<AssignAgent>());
    }

    [Fact]
    public void The_agent_is_told_each_step_of_the_dial_connecting_ringing_and_answered()
    {
        var placed = Placed();
        var ringing = Machine.CustomerRinging(placed.State, S(2));
        var answered = Machine.CustomerAnswered(ringing.State, S(8));

        Assert.Equal(OutboundCallPhase.Connecting, Assert.Single(placed.Effects.Of<NotifyPlacedCallProgress>(), p => p.Agent == Ana).Phase);
        Assert.Equal(OutboundCallPhase.Ringing, Assert.Single(ringing.Effects.Of<NotifyPlacedCallProgress>(), p => p.Agent == Ana).Phase);
        Assert.Equal(OutboundCallPhase.Connected, Assert.Single(answered.Effects.Of<NotifyPlacedCallProgress>(), p => p.Agent == Ana).Phase);
    }

    [Fact]
    public void A_ringing_status_that_beats_Graphs_reply_reaches_the_agent_with_the_placement()
    {
        var early = Machine.CustomerRinging(OutboundCall.New(Call), S(1));

        var placed = Machine.Placed(early.State, Placement(2));

        Assert.Empty(early.Effects.Of<NotifyPlacedCallProgress>());
        Assert.Equal(OutboundCallPhase.Ringing, Assert.Single(placed.Effects.Of<NotifyPlacedCallProgress>()).Phase);
    }

    [Fact]
    public void A_connected_outbound_call_can_be_transferred_like_an_inbound_one()
    {
        var connected = Machine.CustomerAnswered(Placed().State, S(8)).State;

        var offered = Machine.StartTransfer(connected, Ana, Available(Ben), null, S(30));
        var accepted = Machine.AcceptTransfer(offered.State, Available(Ben), S(35));

        Assert.Equal(Ben, accepted.State.Agent);
        Assert.Single(accepted.Effects.Of<SwitchAgentLeg>());
    }

    [Fact]
    public void Webhook_events_map_onto_the_outbound_inputs()
    {
        var state = Placed().State;
        var events = ImmutableArray.Create<WhatsAppCalling.Domain.Webhooks.CallEvent>(
            WebhookEvents.Connect(Call, S(1), offer: false),
            WebhookEvents.Status(Call, WhatsAppCalling.Domain.Webhooks.CallStatus.Ringing, S(2)),
            WebhookEvents.Status(Call, WhatsAppCalling.Domain.Webhooks.CallStatus.Accepted, S(5)),
            WebhookEvents.Terminate(Call, S(65), startedAt: S(5)));

        foreach (var callEvent in events)
        {
            state = CallWebhookInputs.ApplyToOutbound(Machine, state, callEvent, S(100)).State;
        }

        Assert.Equal(OutboundOutcome.Answered, state.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(60), state.Duration);
    }
}
