using WhatsAppCalling.Domain.Calls;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class MissedCallTests
{
    [Fact]
    public void Meta_ending_a_ringing_call_makes_it_missed_with_a_missed_call_item_and_no_reject()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered().Terminated(12);

        Assert.Equal(InboundCallPhase.Missed, call.State.Phase);
        Assert.Equal(MissReason.EndedWhileRinging, call.State.Missed);
        var missed = Assert.Single(call.Effects.Of<RecordMissedCall>());
        Assert.Equal((Business, Customer, S(12)), (missed.Business, missed.Customer, missed.At));
        Assert.Empty(call.Effects.Of<SendReject>());
        Assert.Contains(CallTimelineKind.Missed, call.Effects.Timeline());
        Assert.Single(call.Effects.Of<WithdrawIncomingCall>(), w => w.Agent == Ana && w.Reason == IncomingCallWithdrawal.Missed);
    }

    [Fact]
    public void A_budget_spent_call_also_produces_a_missed_call_item()
    {
        var call = new InboundDriver(Order(Ana)).Offered();
        call.Fires(call.Effects.Timer(CallTimerKind.RingBudget), 45);

        Assert.Equal(MissReason.RingBudgetSpent, Assert.Single(call.Effects.Of<RecordMissedCall>()).Reason);
    }

    [Fact]
    public void A_terminate_that_arrives_before_its_connect_leaves_the_call_missed_and_the_late_connect_is_ignored()
    {
        var call = new InboundDriver(Order(Ana)).Terminated(3);
        Assert.Equal(InboundCallPhase.Missed, call.State.Phase);
        Assert.Single(call.Effects.Of<RecordMissedCall>());
        var missed = call.State;

        call.Offered(at: 0);

        Assert.Same(missed, call.State);
        Assert.Empty(call.Effects);
    }

    [Fact]
    public void A_missed_call_becomes_a_follow_up_item_one_agent_can_claim_and_complete()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Terminated(12);
        var item = CallbackRequest.FromMissedCall(call.Effects.Of<RecordMissedCall>().Single());

        var (claimed, claimRefusal) = item.Claim(Ana, S(100));
        var (_, secondClaim) = claimed.Claim(Ben, S(101));
        var (completed, completeRefusal) = claimed.Complete(Ana, S(200));

        Assert.Null(claimRefusal);
        Assert.Equal(CallbackRefusal.ClaimedByAnotherAgent, secondClaim);
        Assert.Null(completeRefusal);
        Assert.Equal(CallbackStage.Completed, completed.Stage);
        Assert.Equal(Call, completed.MissedCall);
    }

    [Fact]
    public void Only_the_agent_who_claimed_a_callback_request_may_complete_it()
    {
        var request = new CallbackRequest(Business, Customer, Call, S(60));

        Assert.Equal(CallbackRefusal.NotClaimedByAgent, request.Complete(Ana, S(61)).Refusal);
        Assert.Equal(CallbackRefusal.NotClaimedByAgent, request.Claim(Ana, S(62)).Request.Complete(Ben, S(63)).Refusal);
    }

    [Fact]
    public void A_callback_request_keeps_its_first_time_and_leaves_a_completed_item_alone()
    {
        var item = new CallbackRequest(Business, Customer, Call, S(60));

        var requested = item.RequestCallback(S(70));
        var repeated = requested.RequestCallback(S(90));
        var (claimed, _) = requested.Claim(Ana, S(100));
        var (completed, _) = claimed.Complete(Ana, S(120), "called back");

        Assert.Equal(S(70), requested.CallbackRequestedAt);
        Assert.Same(requested, repeated);
        Assert.True(claimed.CallbackRequested);
        Assert.Equal("called back", completed.Note);
        Assert.Same(completed, completed.RequestCallback(S(130)));
        Assert.Null(item.Claim(Ana, S(61)).Request.Complete(Ana, S(62)).Request.RequestCallback(S(63)).CallbackRequestedAt);
    }
}
