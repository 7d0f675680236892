using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

public sealed class CallingEligibilityTests
{
    private static ConsentScenario Granted(ConsentRules? rules = null) =>
        new ConsentScenario(rules).CustomerWrites(T0).RequestSent(T0).ApprovedPermanently(T0);

    [Fact]
    public void A_call_without_any_permission_is_refused_with_the_reason_no_permission()
    {
        var decision = new ConsentScenario().Call(T0);

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.NoPermission);
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void A_call_while_the_request_is_pending_is_refused()
    {
        var decision = new ConsentScenario().RequestSent(T0).Call(H(1));

        decision.Reasons.HasReason(ConsentReasonCode.PermissionPending);
    }

    [Fact]
    public void The_100th_connected_call_in_24_hours_blocks_the_next_until_the_oldest_leaves_the_window()
    {
        var scenario = Granted();
        for (var i = 0; i < 100; i++)
        {
            scenario.BusinessCallConnected(T0.AddMinutes(10 * i));
        }

        var decision = scenario.Call(H(23));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.ConnectedCallLimitReached);
        Assert.Equal(H(24), decision.NextAllowedAt);
        Assert.Equal((100, 0), (decision.ConnectedCallsInWindow, decision.ConnectedCallsLeft));
    }

    [Fact]
    public void A_call_is_allowed_again_exactly_24_hours_after_the_oldest_counted_call()
    {
        var scenario = Granted();
        for (var i = 0; i < 100; i++)
        {
            scenario.BusinessCallConnected(T0.AddMinutes(10 * i));
        }

        var decision = scenario.Call(H(24));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.ConnectedCallsLeft);
    }

    [Fact]
    public void Ninety_nine_connected_calls_leave_one()
    {
        var scenario = Granted();
        for (var i = 0; i < 99; i++)
        {
            scenario.BusinessCallConnected(T0.AddMinutes(i));
        }

        var decision = scenario.Call(H(2));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.ConnectedCallsLeft);
    }

    [Fact]
    public void The_connected_call_limit_is_configurable()
    {
        var scenario = Granted(ConsentRules.Default with { MaxConnectedCalls = 5 });
        for (var i = 0; i < 5; i++)
        {
            scenario.BusinessCallConnected(H(i));
        }

        Assert.False(scenario.Call(H(6)).Allowed);
        Assert.Equal(H(24), scenario.Call(H(6)).NextAllowedAt);
    }

    [Fact]
    public void One_unanswered_call_does_not_flag_the_customer()
    {
        var decision = Granted().BusinessCallUnanswered(H(1)).Call(H(2));

        Assert.False(decision.CustomerFlagged);
        Assert.Equal(1, decision.UnansweredStreak);
    }

    [Fact]
    public void Two_consecutive_unanswered_calls_flag_the_customer()
    {
        var decision = Granted().BusinessCallUnanswered(H(1)).BusinessCallUnanswered(H(2)).Call(H(3));

        Assert.True(decision.Allowed);
        Assert.True(decision.CustomerFlagged);
        decision.Reasons.HasReason(ConsentReasonCode.CustomerNudged);
    }

    [Fact]
    public void The_third_unanswered_call_does_not_revoke_permission()
    {
        var scenario = Granted().BusinessCallUnanswered(H(1)).BusinessCallUnanswered(H(2)).BusinessCallUnanswered(H(3));

        Assert.True(scenario.Call(H(4)).Allowed);
    }

    [Fact]
    public void The_fourth_unanswered_call_revokes_permission()
    {
        var scenario = Granted().BusinessCallUnanswered(H(1)).BusinessCallUnanswered(H(2))
            .BusinessCallRejected(H(3)).BusinessCallUnanswered(H(4));

        var decision = scenario.Call(H(5));
        var permission = scenario.Permission(H(5));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.PermissionRevokedForUnansweredCalls);
        Assert.Equal(CallPermissionStatus.Revoked, permission.Status);
        Assert.Equal(H(4), permission.DecidedAt);
    }

    [Fact]
    public void A_rejected_call_counts_toward_the_unanswered_streak()
    {
        var decision = Granted().BusinessCallRejected(H(1)).BusinessCallRejected(H(2)).Call(H(3));

        Assert.Equal(2, decision.UnansweredStreak);
    }

    [Fact]
    public void An_answered_call_ends_the_unanswered_streak()
    {
        var scenario = Granted().BusinessCallUnanswered(H(1)).BusinessCallUnanswered(H(2)).BusinessCallUnanswered(H(3))
            .BusinessCallConnected(H(4)).BusinessCallUnanswered(H(5));

        var decision = scenario.Call(H(6));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.UnansweredStreak);
    }

    [Fact]
    public void An_older_unanswered_call_arriving_after_an_answered_one_does_not_extend_the_streak()
    {
        var scenario = Granted().BusinessCallConnected(H(5)).BusinessCallUnanswered(H(4));

        Assert.Equal(0, scenario.Call(H(6)).UnansweredStreak);
    }

    [Fact]
    public void A_new_grant_after_an_automatic_revocation_starts_a_new_streak()
    {
        var scenario = Granted();
        for (var i = 1; i <= 4; i++)
        {
            scenario.BusinessCallUnanswered(H(i));
        }

        scenario.RevokedAutomatically(H(4)).RequestSent(H(30)).ApprovedTemporarily(H(31)).BusinessCallUnanswered(H(32));

        var decision = scenario.Call(H(33));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.UnansweredStreak);
    }

    [Fact]
    public void The_rejected_status_and_the_terminate_of_one_call_count_once()
    {
        var call = new CallId("wacid.same-call");
        var scenario = Granted()
            .Apply(new BusinessCallNotAnswered(call, H(1), NotAnsweredOutcome.Rejected))
            .Apply(new BusinessCallNotAnswered(call, H(1).AddSeconds(1), NotAnsweredOutcome.Unanswered));

        Assert.Equal(1, scenario.Call(H(2)).UnansweredStreak);
    }

    [Fact]
    public void The_attempts_limit_after_a_permanent_grant_is_off_by_default()
    {
        var scenario = Granted();
        for (var i = 0; i < 10; i++)
        {
            scenario.BusinessCallConnected(T0.AddMinutes(i + 1));
        }

        var decision = scenario.Call(H(1));

        Assert.True(decision.Allowed);
        Assert.Null(decision.AttemptsLeftAfterPermanentGrant);
    }

    [Fact]
    public void When_configured_the_attempts_limit_refuses_a_sixth_attempt_within_24_hours_of_a_permanent_grant()
    {
        var scenario = Granted(ConsentRules.Default with { MaxAttemptsAfterPermanentGrant = 5 });
        for (var i = 1; i <= 3; i++)
        {
            scenario.BusinessCallConnected(H(i));
        }

        scenario.BusinessCallUnanswered(H(4)).BusinessCallConnected(H(5));

        var refused = scenario.Call(H(6));
        var allowedAgain = scenario.Call(H(24));

        refused.Reasons.HasReason(ConsentReasonCode.AttemptsLimitReached);
        Assert.Equal(H(24), refused.NextAllowedAt);
        Assert.True(allowedAgain.Allowed);
    }

    [Fact]
    public void A_call_limit_reported_by_Meta_blocks_until_its_expiration()
    {
        var scenario = Granted();
        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(1), MetaPermissionStatus.Permanent, null, StartCallLimitUntil: H(10)));
        var refused = new CallingEligibility(scenario.Rules).Evaluate(result.State, H(2));

        Assert.False(refused.Allowed);
        Assert.Equal(H(10), refused.NextAllowedAt);
        Assert.True(new CallingEligibility(scenario.Rules).Evaluate(result.State, H(10)).Allowed);
    }
}
