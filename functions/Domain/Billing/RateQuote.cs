using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

public enum RateQuoteStatus
{
    /// <summary>The card in force has a rate for the callee's market.</summary>
    Priced,

    /// <summary>The market has no entry of its own in our data; priced at the region the country left.</summary>
    Estimated,

    /// <summary>The card lists the market as N/A: the call could not be billed, so it is not placed.</summary>
    NotAvailable,

    /// <summary>Neither the market nor a former market of the country is on the card.</summary>
    MissingFromRateCard,

    /// <summary>No rate card in our data is in force on the billing date.</summary>
    NoRateCardInEffect,
}

/// <summary>
/// The price of calling one number on one billing date, given the month's volume so far in that market.
/// </summary>
public sealed record RateQuote(
    PhoneNumber Callee,
    DateOnly BillingDate,
    MarketResolution Resolution,
    RateQuoteStatus Status,
    RateCard? Card,
    MarketRate? Rate,
    decimal MonthToDateMinutes)
{
    public Market Market => Resolution.Market;

    /// <summary>The market whose rate is used: the callee's own, or the former region when estimated.</summary>
    public Market? PricedAs => Rate?.Market;

    public bool IsBillable => Status is RateQuoteStatus.Priced or RateQuoteStatus.Estimated;

    public bool IsEstimated => Status == RateQuoteStatus.Estimated;

    /// <summary>The per-minute rate of the next pulse at this month's volume, or null when not billable.</summary>
    public Money? PerMinute => IsBillable ? Rate!.TierFor(MonthToDateMinutes + PulseBilling.MinutesOf(1)).PerMinute : null;

    /// <summary>The charge for a connected call of this duration in whole seconds (terminate webhook duration).</summary>
    public CallCharge PriceFor(long durationSeconds) => PriceForPulses(PulseBilling.PulsesFor(durationSeconds));

    public CallCharge PriceFor(TimeSpan duration) => PriceForPulses(PulseBilling.PulsesFor(duration));

    public CallCharge PriceForPulses(long pulses)
    {
        if (!IsBillable)
        {
            throw new InvalidOperationException($"A call to {Market} on {BillingDate:yyyy-MM-dd} cannot be priced: {Status}.");
        }

        var tier = Rate!.TierFor(MonthToDateMinutes + PulseBilling.MinutesOf(pulses));
        return new CallCharge(
            pulses,
            tier.PerMinute,
            PulseBilling.CostOf(pulses, tier.PerMinute),
            tier.FromMinutes,
            Market,
            Rate.Market,
            Card!.Id,
            IsEstimated);
    }
}

/// <summary>What a connected business-initiated call costs, with everything needed to explain the amount.</summary>
public sealed record CallCharge(
    long Pulses,
    Money PerMinuteRate,
    Money Cost,
    decimal TierFromMinutes,
    Market Market,
    Market PricedAs,
    string RateCardId,
    bool IsEstimated)
{
    public decimal BilledMinutes => PulseBilling.MinutesOf(Pulses);
}
