using WhatsAppCalling.Domain.Calls;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class CallWebhookInputsTests
{
    [Fact]
    public void A_user_initiated_connect_becomes_an_offer_with_Metas_timestamp_and_the_customer()
    {
        var offer = CallWebhookInputs.ToInboundOffer(WebhookEvents.Connect(Call, S(3), offer: true), CallAdmission.Admitted, S(9));

        Assert.NotNull(offer);
        Assert.Equal((Call, Business, Customer, S(3)), (offer.CallId, offer.Business, offer.Customer!.Value, offer.At));
    }

    [Fact]
    public void A_business_initiated_connect_is_not_an_inbound_offer()
    {
        Assert.Null(CallWebhookInputs.ToInboundOffer(WebhookEvents.Connect(Call, S(3), offer: false), CallAdmission.Admitted, S(9)));
    }

    [Fact]
    public void A_terminate_with_a_start_time_was_picked_up_and_carries_its_duration()
    {
        var termination = CallWebhookInputs.ToTermination(WebhookEvents.Terminate(Call, S(100), startedAt: S(40)), S(120));

        Assert.True(termination.PickedUp);
        Assert.Equal(TimeSpan.FromSeconds(60), termination.Duration);
        Assert.Equal(S(100), termination.At);
    }

    [Fact]
    public void A_terminate_without_a_start_time_was_not_picked_up()
    {
        var termination = CallWebhookInputs.ToTermination(WebhookEvents.Terminate(Call, S(30)), S(31));

        Assert.False(termination.PickedUp);
        Assert.Null(termination.Duration);
    }

    [Fact]
    public void A_terminate_webhook_before_its_connect_webhook_leaves_the_inbound_call_missed()
    {
        var call = new InboundDriver(Order(Ana));
        call.Apply(call.Machine.Terminate(call.State, CallWebhookInputs.ToTermination(WebhookEvents.Terminate(Call, S(2)), S(2))));
        var offer = CallWebhookInputs.ToInboundOffer(WebhookEvents.Connect(Call, S(1), offer: true), CallAdmission.Admitted, S(3))!;

        var late = call.Machine.Offer(call.State, offer, Order(Ana), call.Roster, S(3));

        Assert.Equal(InboundCallPhase.Missed, late.State.Phase);
        Assert.Empty(late.Effects);
    }
}
