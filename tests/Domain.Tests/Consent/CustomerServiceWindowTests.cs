using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>The 24 h customer-service window of §7.3.</summary>
public sealed class CustomerServiceWindowTests
{
    [Fact]
    public void The_window_is_open_one_second_before_24_hours_after_the_last_customer_message()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0);

        Assert.True(CustomerServiceWindow.IsOpenAt(scenario.State, H(24).AddSeconds(-1), scenario.Rules));
        Assert.Equal(H(24), CustomerServiceWindow.OpenUntil(scenario.State, scenario.Rules));
    }

    [Fact]
    public void The_window_closes_exactly_24_hours_after_the_last_customer_message()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0);

        Assert.False(CustomerServiceWindow.IsOpenAt(scenario.State, H(24), scenario.Rules));
    }

    [Fact]
    public void A_customer_call_opens_the_window_even_when_nobody_answers()
    {
        var scenario = new ConsentScenario().CustomerCalls(T0);

        Assert.True(CustomerServiceWindow.IsOpenAt(scenario.State, H(23), scenario.Rules));
    }

    [Fact]
    public void The_customer_accepting_a_business_call_opens_the_window()
    {
        var scenario = new ConsentScenario().ApprovedFromBusinessProfile(T0).BusinessCallConnected(H(30));

        Assert.Equal(H(54), CustomerServiceWindow.OpenUntil(scenario.State, scenario.Rules));
    }

    [Fact]
    public void An_unanswered_business_call_does_not_open_the_window()
    {
        var scenario = new ConsentScenario().ApprovedFromBusinessProfile(T0).BusinessCallUnanswered(H(1));

        Assert.False(CustomerServiceWindow.IsOpenAt(scenario.State, H(2), scenario.Rules));
    }

    [Fact]
    public void A_late_older_message_does_not_shorten_the_window()
    {
        var scenario = new ConsentScenario().CustomerWrites(H(10)).CustomerWrites(H(1));

        Assert.Equal(H(34), CustomerServiceWindow.OpenUntil(scenario.State, scenario.Rules));
    }

    [Fact]
    public void Our_template_only_waits_for_a_reply_when_it_was_sent_with_the_window_closed()
    {
        var closed = new ConsentScenario().CustomerWrites(T0).TemplateSent(H(24)).CustomerCalls(H(25));
        var open = new ConsentScenario().CustomerWrites(T0).TemplateSent(H(24).AddSeconds(-1)).CustomerCalls(H(25));

        Assert.True(CustomerServiceWindow.AwaitingReplyToTemplate(closed.State, H(26), closed.Rules));
        Assert.False(CustomerServiceWindow.AwaitingReplyToTemplate(open.State, H(26), open.Rules));
    }
}
