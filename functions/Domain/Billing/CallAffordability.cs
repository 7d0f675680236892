using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>Why a call may or may not go ahead; <see cref="AffordabilityDecision.ReasonCode"/> is the wire form.</summary>
public enum AffordabilityReason
{
    Allowed,
    SanctionedNumber,
    BusinessCountryCannotInitiate,
    NoRateForMarket,
    NoRateCard,
    BalanceBelowMinimum,
}

/// <param name="BusinessCountryIso">The business number's registered country (configuration); null reads it from the prefix.</param>
/// <param name="BillingDate">The call's date in the business account's time zone (<see cref="RateBook.BillingDateOf"/>).</param>
/// <param name="MonthToDateMinutes">Billed minutes to the callee's market this month, for volume tiers.</param>
public sealed record CallRequest(
    CallDirection Direction,
    PhoneNumber BusinessNumber,
    string? BusinessCountryIso,
    PhoneNumber Customer,
    Money Balance,
    DateOnly BillingDate,
    decimal MonthToDateMinutes = 0m);

public sealed record AffordabilityDecision(
    AffordabilityReason Reason,
    string Message,
    BalanceView Balance,
    RateQuote? Quote,
    IReadOnlyList<CallWarning> Warnings)
{
    public bool Allowed => Reason == AffordabilityReason.Allowed;

    /// <summary>A stable snake_case code for API clients, e.g. <c>balance_below_minimum</c>.</summary>
    public string ReasonCode => Reason switch
    {
        AffordabilityReason.Allowed => "allowed",
        AffordabilityReason.SanctionedNumber => "sanctioned_number",
        AffordabilityReason.BusinessCountryCannotInitiate => "business_country_cannot_initiate",
        AffordabilityReason.NoRateForMarket => "no_rate_for_market",
        AffordabilityReason.NoRateCard => "no_rate_card",
        AffordabilityReason.BalanceBelowMinimum => "balance_below_minimum",
        _ => throw new InvalidOperationException($"Unknown reason {Reason}."),
    };
}

/// <summary>
/// The check the call lifecycle runs before every business-initiated call and on every user-initiated call (issue 7):
/// country rules first (nothing the agent can change), then the price, then the prepaid balance against the minimum,
/// which applies to receiving calls too although they are free.
/// </summary>
public sealed class CallAffordability
{
    private readonly RateBook rates;
    private readonly CallingAvailability availability;

    /// <param name="minimumBalance">Calling__MinimumBalanceUsd (architecture.md, default $10).</param>
    public CallAffordability(RateBook rates, CallingAvailability availability, Money minimumBalance)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(availability);
        this.rates = rates;
        this.availability = availability;
        MinimumBalance = minimumBalance;
    }

    public static Money DefaultMinimumBalance { get; } = new(10m);

    public Money MinimumBalance { get; }

    public AffordabilityDecision Check(CallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var balance = BalanceView.Of(request.Balance, MinimumBalance);
        var access = availability.Check(request.Direction, request.BusinessNumber, request.BusinessCountryIso, request.Customer);
        var warnings = new List<CallWarning>(access.Warnings);
        if (!access.Available)
        {
            var reason = access.Issue == AvailabilityIssue.BusinessCountryCannotInitiate
                ? AffordabilityReason.BusinessCountryCannotInitiate
                : AffordabilityReason.SanctionedNumber;
            return new AffordabilityDecision(reason, access.Message, balance, null, warnings);
        }

        RateQuote? quote = null;
        if (request.Direction == CallDirection.BusinessInitiated)
        {
            quote = rates.Quote(request.Customer, request.BillingDate, request.MonthToDateMinutes);
            if (PriceProblem(quote) is { } refusal)
            {
                return new AffordabilityDecision(refusal.Reason, refusal.Message, balance, quote, warnings);
            }

            warnings.AddRange(PriceWarnings(quote));
        }

        if (balance.TopUpRequired)
        {
            var action = request.Direction == CallDirection.BusinessInitiated ? "make" : "receive";
            return new AffordabilityDecision(
                AffordabilityReason.BalanceBelowMinimum,
                $"The prepaid balance is {balance.ExactText}, below the {BalanceView.ExactTextOf(MinimumBalance)} needed to {action} calls. Ask an administrator to top up at least {BalanceView.ExactTextOf(balance.ShortBy)}.",
                balance,
                quote,
                warnings);
        }

        var price = quote?.PerMinute is { } perMinute ? $" at {BalanceView.ExactTextOf(perMinute)}/min ({quote.PricedAs})" : string.Empty;
        return new AffordabilityDecision(AffordabilityReason.Allowed, $"The call can go ahead{price}.", balance, quote, warnings);
    }

    private static (AffordabilityReason Reason, string Message)? PriceProblem(RateQuote quote) => quote.Status switch
    {
        RateQuoteStatus.NotAvailable or RateQuoteStatus.MissingFromRateCard => (
            AffordabilityReason.NoRateForMarket,
            $"No rate for this market: the rate card {quote.Card?.Id} has no price for calls to {quote.Market} ({quote.Callee.E164}), so the call could not be billed. Ask the customer to call you instead."),
        RateQuoteStatus.NoRateCardInEffect => (
            AffordabilityReason.NoRateCard,
            $"No rate card is in force on {quote.BillingDate:yyyy-MM-dd}; calls cannot be priced. An administrator must add the current rate card."),
        _ => null,
    };

    private static IEnumerable<CallWarning> PriceWarnings(RateQuote quote)
    {
        if (quote.IsEstimated)
        {
            yield return new CallWarning(
                CallWarningCode.EstimatedRate,
                $"{quote.Market} has no rate of its own in our rate card yet; the price shown is {quote.PricedAs}'s and is an estimate.");
        }

        if (quote.Resolution.Uncertain)
        {
            yield return new CallWarning(
                CallWarningCode.UncertainMarket,
                $"Meta's market for {quote.Resolution.Country?.Name} numbers is not confirmed; the price may differ.");
        }
    }
}
