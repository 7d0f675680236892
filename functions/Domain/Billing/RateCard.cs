using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// A monthly volume band: the price applies once the month's billed minutes in the market exceed
/// <paramref name="FromMinutes"/> (whatsapp-calling-api.md §6.1 names bands 0–50,000 and 50,001–250,000).
/// </summary>
public sealed record RateTier(decimal FromMinutes, Money PerMinute);

/// <summary>A market's price on a rate card: volume tiers in ascending order, or none when the card says N/A.</summary>
public sealed record MarketRate(Market Market, IReadOnlyList<RateTier> Tiers)
{
    /// <summary>The card lists the market without a rate (the Aug 2025 card's Egypt, Nigeria, Turkey, North America).</summary>
    public bool NotAvailable => Tiers.Count == 0;

    /// <summary>
    /// The tier for a call that ends with the month's volume at <paramref name="monthVolumeAtEndMinutes"/>. A call
    /// that crosses a band is priced entirely at the cheaper, higher-volume tier (§6.1), so the end volume decides.
    /// </summary>
    public RateTier TierFor(decimal monthVolumeAtEndMinutes)
    {
        if (NotAvailable)
        {
            throw new InvalidOperationException($"The rate card has no rate for {Market}.");
        }

        var tier = Tiers[0];
        foreach (var candidate in Tiers)
        {
            if (candidate.FromMinutes < monthVolumeAtEndMinutes)
            {
                tier = candidate;
            }
        }

        return tier;
    }
}

/// <summary>
/// One version of Meta's calling prices in USD per minute, in force from <paramref name="EffectiveFrom"/> until the
/// next card (whatsapp-calling-api.md §6.2). A new card is a new data file, not a code change.
/// </summary>
public sealed record RateCard(string Id, DateOnly EffectiveFrom, string Source, IReadOnlyDictionary<Market, MarketRate> Rates)
{
    public MarketRate? Find(Market market) => Rates.GetValueOrDefault(market);
}
