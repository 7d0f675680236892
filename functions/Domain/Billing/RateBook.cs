using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// All rate card versions and the market table: answers "what does a minute to this number cost on this date".
/// Effective dates are calendar dates in the business account's time zone (pricing-markets.md, headline).
/// </summary>
public sealed class RateBook
{
    private readonly List<RateCard> cards;

    public RateBook(MarketTable markets, IEnumerable<RateCard> cards)
    {
        ArgumentNullException.ThrowIfNull(markets);
        ArgumentNullException.ThrowIfNull(cards);
        Markets = markets;
        this.cards = [.. cards.OrderBy(card => card.EffectiveFrom)];
        for (var i = 1; i < this.cards.Count; i++)
        {
            if (this.cards[i].EffectiveFrom == this.cards[i - 1].EffectiveFrom)
            {
                throw new ArgumentException(
                    $"Rate cards {this.cards[i - 1].Id} and {this.cards[i].Id} take effect on the same day.", nameof(cards));
            }
        }
    }

    public MarketTable Markets { get; }

    public IReadOnlyList<RateCard> Cards => cards;

    /// <summary>Meta applies a change at 00:00 in the WABA's time zone, so the billing date is the local date.</summary>
    public static DateOnly BillingDateOf(DateTimeOffset instant, TimeZoneInfo businessTimeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, businessTimeZone).DateTime);

    /// <summary>The card in force on the date: the latest one that took effect on or before it.</summary>
    public RateCard? CardOn(DateOnly billingDate) => cards.LastOrDefault(card => card.EffectiveFrom <= billingDate);

    /// <param name="monthToDateMinutes">Billed minutes to this market so far in the calendar month (tier accrual,
    /// §6.1); 0 when the caller does not track volume, which prices at the base tier.</param>
    public RateQuote Quote(PhoneNumber callee, DateOnly billingDate, decimal monthToDateMinutes = 0m)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monthToDateMinutes);
        var resolution = Markets.Resolve(callee, billingDate);
        var card = CardOn(billingDate);
        if (card is null)
        {
            return new RateQuote(callee, billingDate, resolution, RateQuoteStatus.NoRateCardInEffect, null, null, monthToDateMinutes);
        }

        if (card.Find(resolution.Market) is { } own)
        {
            var status = own.NotAvailable ? RateQuoteStatus.NotAvailable : RateQuoteStatus.Priced;
            return new RateQuote(callee, billingDate, resolution, status, card, own, monthToDateMinutes);
        }

        // A country that left its region before our data has a card with its own entry keeps the region's price
        // (the 1 Oct 2026 cards did exactly that for the nine new markets: pricing-markets.md, headline).
        var former = resolution.Country?.FormerMarkets(billingDate)
            .Select(card.Find)
            .FirstOrDefault(rate => rate is not null);
        if (former is null)
        {
            return new RateQuote(callee, billingDate, resolution, RateQuoteStatus.MissingFromRateCard, card, null, monthToDateMinutes);
        }

        var formerStatus = former.NotAvailable ? RateQuoteStatus.NotAvailable : RateQuoteStatus.Estimated;
        return new RateQuote(callee, billingDate, resolution, formerStatus, card, former, monthToDateMinutes);
    }

    /// <inheritdoc cref="Quote(PhoneNumber, DateOnly, decimal)"/>
    public RateQuote Quote(PhoneNumber callee, DateTimeOffset callTime, TimeZoneInfo businessTimeZone, decimal monthToDateMinutes = 0m) =>
        Quote(callee, BillingDateOf(callTime, businessTimeZone), monthToDateMinutes);
}
