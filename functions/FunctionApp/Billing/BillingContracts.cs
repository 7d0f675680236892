using System.Globalization;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Billing;

// Wire shapes of the billing API (docs/API.md, "Balance, ledger and rates"). Exact amounts travel as decimal strings
// so no JSON client can turn them into floating point; display amounts are numbers rounded to cents.

/// <summary><c>GET /api/balance</c>.</summary>
public sealed record BalanceResponse(
    string WabaId,
    string BalanceUsd,
    decimal DisplayUsd,
    string Display,
    bool TopUpRequired,
    string MinimumUsd,
    string ShortByUsd,
    string Currency,
    long Entries,
    DateTimeOffset? UpdatedAt)
{
    public static BalanceResponse From(LedgerBalance stored, Money minimum)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var view = BalanceView.Of(stored.Balance, minimum);
        return new BalanceResponse(
            stored.WabaId, Exact(view.Exact), view.DisplayUsd, view.DisplayText, view.TopUpRequired, Exact(view.Minimum),
            Exact(view.ShortBy), "USD", stored.Entries, stored.UpdatedAt);
    }

    public static string Exact(Money amount) => amount.Usd.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How a call's debit was priced, so the amount can be explained line by line.</summary>
public sealed record ChargeResponse(
    long Pulses, decimal BilledMinutes, string PerMinuteUsd, string CostUsd, string Market, string PricedAs, string RateCardId, bool Estimated);

/// <summary>One ledger entry as listed.</summary>
public sealed record LedgerItemResponse(
    long Sequence,
    string Key,
    string Kind,
    string AmountUsd,
    string BalanceAfterUsd,
    DateTimeOffset At,
    string Actor,
    string Reason,
    string? CallId,
    ChargeResponse? Charge)
{
    public static LedgerItemResponse From(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        var charge = entry.Charge is { } c
            ? new ChargeResponse(c.Pulses, c.BilledMinutes, BalanceResponse.Exact(c.PerMinuteRate), BalanceResponse.Exact(c.Cost),
                c.Market.Name, c.PricedAs.Name, c.RateCardId, c.IsEstimated)
            : null;
        return new LedgerItemResponse(
            record.Sequence, entry.Key, KindCode(entry.Kind), BalanceResponse.Exact(entry.Amount), BalanceResponse.Exact(record.BalanceAfter),
            entry.At, entry.Actor, entry.Reason, entry.CallId?.Value, charge);
    }

    public static string KindCode(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.TopUpCredit => "top_up",
        LedgerEntryKind.CallDebit => "call_debit",
        _ => "adjustment",
    };
}

/// <summary><c>GET /api/ledger</c>: newest first; pass <see cref="Continuation"/> back to read on.</summary>
public sealed record LedgerPageResponse(IReadOnlyList<LedgerItemResponse> Items, string? Continuation);

/// <summary>
/// <c>POST /api/balance/top-ups</c>: built from the stored entry only, so a repeat with the same key answers the
/// very same body as the first request.
/// </summary>
public sealed record TopUpResponse(string ClientKey, LedgerItemResponse Entry, string BalanceAfterUsd, bool TopUpRequired);

public sealed record WarningResponse(string Code, string Message);

public sealed record CountryResponse(string Iso, string Name);

/// <summary><c>GET /api/rates/{e164}</c>: the price and whether the business may call the number (balance aside).</summary>
public sealed record RateResponse(
    string E164,
    CountryResponse? Country,
    string Market,
    string? PricedAs,
    string Status,
    string? RateCardId,
    DateOnly BillingDate,
    string? PerMinuteUsd,
    bool Estimated,
    bool Callable,
    string ReasonCode,
    string Reason,
    string? BusinessNumberId,
    IReadOnlyList<WarningResponse> Warnings)
{
    public static RateResponse From(PhoneNumber callee, RateQuote quote, AffordabilityDecision decision, string? businessNumberId)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(decision);
        var country = quote.Resolution.Country is { } c ? new CountryResponse(c.Iso, c.Name) : null;
        return new RateResponse(
            callee.E164, country, quote.Market.Name, quote.PricedAs?.Name, StatusCode(quote.Status), quote.Card?.Id, quote.BillingDate,
            quote.PerMinute is { } rate ? BalanceResponse.Exact(rate) : null, quote.IsEstimated, decision.Allowed, decision.ReasonCode,
            decision.Message, businessNumberId, [.. decision.Warnings.Select(w => new WarningResponse(WarningCode(w.Code), w.Message))]);
    }

    private static string StatusCode(RateQuoteStatus status) => status switch
    {
        RateQuoteStatus.Priced => "priced",
        RateQuoteStatus.Estimated => "estimated",
        RateQuoteStatus.NotAvailable => "not_available",
        RateQuoteStatus.MissingFromRateCard => "missing_from_rate_card",
        _ => "no_rate_card",
    };

    private static string WarningCode(CallWarningCode code) => code switch
    {
        CallWarningCode.LimitedReliability => "limited_reliability",
        CallWarningCode.EstimatedRate => "estimated_rate",
        _ => "uncertain_market",
    };
}
