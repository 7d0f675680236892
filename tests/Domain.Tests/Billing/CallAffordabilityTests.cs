using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class CallAffordabilityTests
{
    private static readonly CallAffordability Gate = new(Book, Availability(), CallAffordability.DefaultMinimumBalance);

    private static AffordabilityDecision Outbound(string customer, decimal balance, DateOnly? on = null, string business = "+919800000001") =>
        Gate.Check(new CallRequest(CallDirection.BusinessInitiated, Number(business), null, Number(customer), Usd(balance), on ?? Today));

    private static AffordabilityDecision Inbound(string customer, decimal balance) =>
        Gate.Check(new CallRequest(CallDirection.UserInitiated, Number("+919800000001"), null, Number(customer), Usd(balance), Today));

    [Fact]
    public void A_call_with_enough_balance_to_a_priced_market_is_allowed_with_its_rate()
    {
        var decision = Outbound("+447400123456", 25m);
        Assert.Equal(("allowed", 0.0099m), (decision.ReasonCode, decision.Quote!.PerMinute!.Value.Usd));
        Assert.False(decision.Balance.TopUpRequired);
    }

    [Fact]
    public void A_balance_of_9_98_is_below_the_10_dollar_minimum_although_it_rounds_to_10()
    {
        var decision = Outbound("+447400123456", 9.98m);
        Assert.Equal(AffordabilityReason.BalanceBelowMinimum, decision.Reason);
        Assert.True(decision.Balance.TopUpRequired);
        Assert.Equal(10m, Math.Round(decision.Balance.Exact.Usd, 0, MidpointRounding.AwayFromZero));
        Assert.Equal(
            "The prepaid balance is $9.98, below the $10.00 needed to make calls. Ask an administrator to top up at least $0.02.",
            decision.Message);
    }

    [Fact]
    public void A_balance_of_9_995_needs_a_top_up_though_it_displays_as_10_00()
    {
        var decision = Outbound("+447400123456", 9.995m);
        Assert.Equal((AffordabilityReason.BalanceBelowMinimum, 10.00m), (decision.Reason, decision.Balance.DisplayUsd));
        Assert.Contains("$9.995", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_minimum_is_enough() => Assert.True(Outbound("+447400123456", 10m).Allowed);

    [Fact]
    public void Receiving_a_call_needs_the_minimum_balance_too() =>
        Assert.Equal("balance_below_minimum", Inbound("+447400123456", 9.98m).ReasonCode);

    [Fact]
    public void Receiving_a_call_is_free_so_no_rate_is_needed() =>
        Assert.True(Inbound("+201001234567", 50m) is { Allowed: true, Quote: null });

    [Theory]
    [InlineData("+201001234567")]
    [InlineData("+2348031234567")]
    [InlineData("+905321234567")]
    [InlineData("+12025550123")]
    public void Calls_to_the_N_A_markets_are_refused_with_no_rate_for_this_market(string customer)
    {
        var decision = Outbound(customer, 100m);
        Assert.Equal("no_rate_for_market", decision.ReasonCode);
        Assert.StartsWith("No rate for this market", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_country_rules_come_before_the_balance() =>
        Assert.Equal(AffordabilityReason.BusinessCountryCannotInitiate, Outbound("+447400123456", 1m, business: "+12025550100").Reason);

    [Fact]
    public void A_sanctioned_customer_is_refused_whatever_the_balance() =>
        Assert.Equal("sanctioned_number", Inbound("+5351234567", 1000m).ReasonCode);

    [Fact]
    public void A_call_to_a_market_priced_at_its_former_region_is_allowed_with_an_estimate_warning()
    {
        var decision = Outbound("+94771234567", 20m); // Sri Lanka, standalone since 1 Oct 2026
        Assert.True(decision.Allowed);
        Assert.Equal(CallWarningCode.EstimatedRate, Assert.Single(decision.Warnings).Code);
    }

    [Fact]
    public void An_uncertain_market_is_flagged() =>
        Assert.Contains(Outbound("+16715550123", 20m).Warnings, warning => warning.Code == CallWarningCode.UncertainMarket); // Guam

    [Fact]
    public void Warnings_of_availability_and_price_are_combined() =>
        Assert.Equal([CallWarningCode.LimitedReliability], Outbound("+971501234567", 20m).Warnings.Select(w => w.Code));

    [Fact]
    public void A_call_before_any_rate_card_is_refused_with_no_rate_card() =>
        Assert.Equal("no_rate_card", Outbound("+447400123456", 20m, new DateOnly(2025, 1, 1)).ReasonCode);

    [Fact]
    public void The_minimum_is_configurable() =>
        Assert.True(new CallAffordability(Book, Availability(), new Money(5m))
            .Check(new CallRequest(CallDirection.BusinessInitiated, Number("+919800000001"), null, Number("+447400123456"), Usd(9.98m), Today)).Allowed);
}
