using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

public sealed class PermissionRequestPolicyTests
{
    private static ConsentScenario OneRequestSentAtT0() => new ConsentScenario().CustomerWrites(T0).RequestSent(T0);

    [Fact]
    public void A_first_request_inside_the_window_goes_free_form()
    {
        var decision = new ConsentScenario().CustomerWrites(T0).Request(H(1));

        Assert.True(decision.Allowed);
        Assert.Equal(RequestChannel.FreeForm, decision.Channel);
        Assert.Empty(decision.Reasons);
        Assert.Equal(H(1), decision.NextAllowedAt);
        Assert.Equal((1, 2), (decision.RequestsLeftToday, decision.RequestsLeftThisWeek));
    }

    [Fact]
    public void A_second_request_within_24_hours_is_refused()
    {
        var decision = OneRequestSentAtT0().Request(T0.AddHours(24).AddSeconds(-1));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.DailyRequestLimitReached);
        Assert.Equal(H(24), decision.NextAllowedAt);
        Assert.Equal((0, 1), (decision.RequestsLeftToday, decision.RequestsLeftThisWeek));
    }

    [Fact]
    public void A_second_request_is_allowed_exactly_24_hours_after_the_first()
    {
        var decision = OneRequestSentAtT0().Request(H(24));

        Assert.True(decision.Allowed);
        decision.Reasons.LacksReason(ConsentReasonCode.DailyRequestLimitReached);
    }

    [Fact]
    public void A_third_request_within_7_days_is_refused()
    {
        var scenario = OneRequestSentAtT0().RequestSent(H(24));

        var decision = scenario.Request(T0.AddDays(7).AddSeconds(-1));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.WeeklyRequestLimitReached);
        decision.Reasons.LacksReason(ConsentReasonCode.DailyRequestLimitReached);
        Assert.Equal(T0.AddDays(7), decision.NextAllowedAt);
        Assert.Equal(0, decision.RequestsLeftThisWeek);
    }

    [Fact]
    public void A_third_request_is_allowed_exactly_7_days_after_the_first()
    {
        var decision = OneRequestSentAtT0().RequestSent(H(24)).Request(T0.AddDays(7));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.RequestsLeftThisWeek);
    }

    [Fact]
    public void A_connected_business_call_resets_both_request_limits()
    {
        var scenario = OneRequestSentAtT0().RequestSent(H(24)).ApprovedTemporarily(H(25)).BusinessCallConnected(H(26));

        var decision = scenario.Request(H(27));

        Assert.True(decision.Allowed);
        Assert.Equal((1, 2), (decision.RequestsLeftToday, decision.RequestsLeftThisWeek));
    }

    [Fact]
    public void A_request_sent_after_the_resetting_call_counts_again()
    {
        var scenario = OneRequestSentAtT0().ApprovedTemporarily(H(1)).BusinessCallConnected(H(2)).RequestSent(H(3));

        var decision = scenario.Request(H(4));

        decision.Reasons.HasReason(ConsentReasonCode.DailyRequestLimitReached);
        Assert.Equal(1, decision.RequestsLeftThisWeek);
        Assert.Equal(H(27), decision.NextAllowedAt);
    }

    [Fact]
    public void A_customer_call_that_we_pick_up_resets_both_request_limits()
    {
        var decision = OneRequestSentAtT0().CustomerCalls(H(2), pickedUp: true).Request(H(3));

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.RequestsLeftToday);
    }

    [Fact]
    public void A_customer_call_that_is_not_picked_up_does_not_reset_the_limits()
    {
        var decision = OneRequestSentAtT0().CustomerCalls(H(2)).Request(H(3));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.DailyRequestLimitReached);
    }

    [Fact]
    public void An_unanswered_business_call_does_not_reset_the_limits()
    {
        var decision = OneRequestSentAtT0().ApprovedTemporarily(H(1)).BusinessCallUnanswered(H(2)).Request(H(3));

        decision.Reasons.HasReason(ConsentReasonCode.DailyRequestLimitReached);
    }

    [Fact]
    public void A_request_is_refused_while_a_permanent_permission_exists()
    {
        var decision = OneRequestSentAtT0().ApprovedPermanently(H(1)).Request(T0.AddDays(30));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.PermanentPermissionExists);
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void A_request_is_allowed_while_a_temporary_permission_exists()
    {
        var decision = OneRequestSentAtT0().ApprovedTemporarily(H(1)).CustomerWrites(H(30)).Request(H(31));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void A_request_within_24_hours_after_a_decline_is_refused()
    {
        var scenario = OneRequestSentAtT0().Declined(H(2));

        var decision = scenario.Request(H(26).AddSeconds(-1));

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.RecentlyDeclined);
        decision.Reasons.LacksReason(ConsentReasonCode.DailyRequestLimitReached);
        Assert.Equal(H(26), decision.NextAllowedAt);
    }

    [Fact]
    public void A_request_is_allowed_exactly_24_hours_after_a_decline()
    {
        var decision = OneRequestSentAtT0().Declined(H(2)).Request(H(26));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Outside_the_window_a_request_is_allowed_as_the_template()
    {
        var decision = new ConsentScenario().CustomerWrites(T0).Request(H(24));

        Assert.True(decision.Allowed);
        Assert.Equal(RequestChannel.Template, decision.Channel);
        decision.Reasons.HasReason(ConsentReasonCode.WindowClosedTemplateRequired);
    }

    [Fact]
    public void Outside_the_window_without_a_configured_template_a_request_is_refused()
    {
        var decision = new ConsentScenario().Request(T0, templateAvailable: false);

        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.NoTemplateConfigured);
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void When_our_template_opened_the_conversation_a_free_form_request_waits_for_the_customers_reply()
    {
        // The template goes out with the window closed; the customer then calls, which opens the window but is no reply.
        var scenario = new ConsentScenario().TemplateSent(T0).CustomerCalls(H(1));

        var beforeReply = scenario.Request(H(2));
        var afterReply = scenario.CustomerWrites(H(3)).Request(H(4));

        Assert.Equal(RequestChannel.Template, beforeReply.Channel);
        beforeReply.Reasons.HasReason(ConsentReasonCode.AwaitingReplyToTemplate);
        Assert.Equal(RequestChannel.FreeForm, afterReply.Channel);
        Assert.Empty(afterReply.Reasons);
    }

    [Fact]
    public void A_template_sent_while_the_window_was_open_does_not_wait_for_a_reply()
    {
        var decision = new ConsentScenario().CustomerWrites(T0).TemplateSent(H(1)).Request(H(2));

        Assert.Equal(RequestChannel.FreeForm, decision.Channel);
    }

    [Fact]
    public void A_customer_message_in_the_same_second_as_our_template_counts_as_the_reply()
    {
        var decision = new ConsentScenario().TemplateSent(H(1)).CustomerWrites(H(1)).Request(H(2));

        Assert.Equal(RequestChannel.FreeForm, decision.Channel);
    }

    [Fact]
    public void A_template_permission_request_also_opens_the_conversation_for_the_reply_rule()
    {
        var scenario = new ConsentScenario().RequestSent(T0, RequestChannel.Template).CustomerCalls(H(30));

        var decision = scenario.Request(H(31));

        decision.Reasons.HasReason(ConsentReasonCode.AwaitingReplyToTemplate);
    }

    [Fact]
    public void Free_form_messages_we_send_never_trigger_the_reply_rule()
    {
        var decision = new ConsentScenario().CustomerWrites(T0).FreeFormSent(H(1)).Request(H(2));

        Assert.Equal(RequestChannel.FreeForm, decision.Channel);
    }

    [Fact]
    public void Sandbox_rules_allow_more_requests_per_day()
    {
        var scenario = new ConsentScenario(ConsentRules.Sandbox).CustomerWrites(T0).RequestSent(T0).RequestSent(H(1));

        var decision = scenario.Request(H(2));

        Assert.True(decision.Allowed);
        Assert.Equal(23, decision.RequestsLeftToday);
    }
}
