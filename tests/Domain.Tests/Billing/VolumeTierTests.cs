using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

/// <summary>Volume tiers (whatsapp-calling-api.md §6.1); the rates here are made up, the Aug 2025 data has only the base tier.</summary>
public sealed class VolumeTierTests
{
    private const string TieredCard = """
        {
          "id": "tiered-test", "effectiveFrom": "2025-08-01", "currency": "USD",
          "rates": [
            { "market": "Other", "tiers": [{ "fromMinutes": 0, "usdPerMinute": 0.0132 }] },
            { "market": "India", "tiers": [
              { "fromMinutes": 0, "usdPerMinute": 0.0053 },
              { "fromMinutes": 50000, "usdPerMinute": 0.0042 },
              { "fromMinutes": 250000, "usdPerMinute": 0.0030 } ] }
          ]
        }
        """;

    private static RateQuote IndiaQuote(decimal monthToDateMinutes) =>
        BookWith(TieredCard).Quote(Number("+919812345678"), Aug2025, monthToDateMinutes);

    [Fact]
    public void A_call_inside_the_first_band_is_priced_at_the_base_tier() =>
        Assert.Equal(0.0053m, IndiaQuote(1_000m).PriceFor(56).Cost.Usd);

    [Fact]
    public void A_call_crossing_into_the_next_band_is_priced_entirely_at_the_cheaper_tier()
    {
        // 49,999.5 minutes so far; a 90 s call adds 1.5 minutes and ends at 50,001.
        var charge = IndiaQuote(49_999.5m).PriceFor(90);
        Assert.Equal((15L, 0.0042m, 0.0063m, 50_000m), (charge.Pulses, charge.PerMinuteRate.Usd, charge.Cost.Usd, charge.TierFromMinutes));
    }

    [Fact]
    public void A_call_ending_exactly_on_the_band_edge_stays_in_the_lower_band() =>
        Assert.Equal(0.0053m, IndiaQuote(49_999m).PriceFor(60).PerMinuteRate.Usd);

    [Fact]
    public void The_quoted_per_minute_rate_follows_the_volume_already_reached()
    {
        Assert.Equal(0.0053m, IndiaQuote(0m).PerMinute!.Value.Usd);
        Assert.Equal(0.0042m, IndiaQuote(60_000m).PerMinute!.Value.Usd);
        Assert.Equal(0.0030m, IndiaQuote(300_000m).PerMinute!.Value.Usd);
    }

    [Fact]
    public void A_negative_month_to_date_volume_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IndiaQuote(-1m));
}
