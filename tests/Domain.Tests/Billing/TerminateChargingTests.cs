using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class TerminateChargingTests
{
    private static readonly RateQuote India = Book.Quote(Number("+919812345678"), Today);

    [Fact]
    public void A_connected_business_initiated_call_is_charged_by_its_duration()
    {
        var decision = TerminateCharging.Decide(CallDirection.BusinessInitiated, connected: true, 56, India);
        Assert.Equal((TerminateChargeOutcome.Charge, 0.0053m), (decision.Outcome, decision.Charge!.Cost.Usd));
        Assert.Equal("56 s = 10 pulses at $0.0053/min = $0.0053.", decision.Message);
    }

    [Fact]
    public void A_user_initiated_call_is_free() =>
        Assert.Equal(TerminateChargeOutcome.FreeUserInitiated, TerminateCharging.Decide(CallDirection.UserInitiated, true, 600, India).Outcome);

    [Theory]
    [InlineData(false, 30L)]
    [InlineData(true, null)]
    [InlineData(true, 0L)]
    public void A_call_that_never_connected_costs_nothing(bool connected, long? duration) =>
        Assert.Equal(TerminateChargeOutcome.NotConnected, TerminateCharging.Decide(CallDirection.BusinessInitiated, connected, duration, India).Outcome);

    [Fact]
    public void A_connected_call_to_an_N_A_market_is_not_charged_but_flagged() =>
        Assert.Equal(
            TerminateChargeOutcome.Unpriceable,
            TerminateCharging.Decide(CallDirection.BusinessInitiated, true, 60, Book.Quote(Number("+201001234567"), Today)).Outcome);
}
