using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class BalanceAndLiveCostTests
{
    private static readonly DateTimeOffset Connected = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_balance_view_keeps_the_exact_amount_and_rounds_only_the_display()
    {
        var view = BalanceView.Of(Usd(12.34567m), Usd(10m));
        Assert.Equal((12.34567m, 12.35m, false), (view.Exact.Usd, view.DisplayUsd, view.TopUpRequired));
        Assert.Equal(("$12.35", "$12.34567"), (view.DisplayText, view.ExactText));
    }

    [Fact]
    public void A_top_up_is_required_exactly_when_the_unrounded_balance_is_below_the_minimum() =>
        Prop.ForAll(
            Gen.Choose(-100_000, 100_000).ToArbitrary(),
            tenThousandthsFromTen =>
            {
                var balance = 10m + (tenThousandthsFromTen / 10_000m);
                return BalanceView.Of(Usd(balance), Usd(10m)).TopUpRequired == (balance < 10m);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_negative_balance_needs_a_top_up_of_the_whole_gap()
    {
        var view = BalanceView.Of(Usd(-0.5m), Usd(10m));
        Assert.Equal((true, 10.5m, "-$0.50"), (view.TopUpRequired, view.ShortBy.Usd, view.DisplayText));
    }

    [Fact]
    public void The_live_estimate_counts_started_pulses_since_the_call_connected()
    {
        var quote = Book.Quote(Number("+919812345678"), Today);
        var estimate = LiveCostEstimate.For(quote, Connected, Connected.AddSeconds(56));
        Assert.Equal((10L, 0.0053m), (estimate.Pulses, estimate.CostSoFar.Usd));
        Assert.Equal(11, LiveCostEstimate.For(quote, Connected, Connected.AddSeconds(60.2)).Pulses);
    }

    [Fact]
    public void The_live_estimate_is_zero_at_connect_and_never_negative_on_a_skewed_clock()
    {
        var quote = Book.Quote(Number("+919812345678"), Today);
        Assert.Equal(0m, LiveCostEstimate.For(quote, Connected, Connected).CostSoFar.Usd);
        Assert.Equal(0m, LiveCostEstimate.For(quote, Connected, Connected.AddSeconds(-3)).CostSoFar.Usd);
    }

    [Fact]
    public void The_live_estimate_of_an_estimated_market_says_so() =>
        Assert.True(LiveCostEstimate.For(Book.Quote(Number("+9647701234567"), Today), Connected, Connected.AddMinutes(2)).IsEstimated); // Iraq
}
