using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>
/// What the call lifecycle asks billing (issue 7): may this call go ahead now, and what has the active call cost so
/// far. Declared here, where the rules live; the lifecycle refuses the call through the Graph API when not allowed.
/// </summary>
public interface IBillingGate
{
    /// <summary>Before every business-initiated call: country rules, the callee's rate, then the stored balance.</summary>
    /// <exception cref="UnknownBusinessNumberException">The number is not in <c>BusinessNumbers</c>.</exception>
    Task<AffordabilityDecision> CheckOutboundAsync(string businessNumberId, PhoneNumber callee, CancellationToken ct);

    /// <summary>
    /// On every user-initiated call: sanctioned regions and the minimum balance (receiving is free but still needs it).
    /// <paramref name="caller"/> is null when Meta sent only a BSUID; the balance check still applies.
    /// </summary>
    Task<AffordabilityDecision> CheckInboundAsync(string businessNumberId, PhoneNumber? caller, CancellationToken ct);

    /// <summary>Pulses started since connect × the rate, for the agent's call card; null for a number that has no price.</summary>
    Task<LiveCostEstimate?> EstimateLiveCostAsync(PhoneNumber callee, DateTimeOffset connectedAt, CancellationToken ct);

    Task<BalanceView> GetBalanceAsync(CancellationToken ct);
}

/// <summary>A call names a business number the configuration does not list.</summary>
public sealed class UnknownBusinessNumberException(string businessNumberId)
    : Exception($"Business number {businessNumberId} is not configured (BusinessNumbers__n__PhoneNumberId).")
{
    public string BusinessNumberId { get; } = businessNumberId;
}

/// <summary>The pure checks of <c>Domain/Billing</c> fed with the stored balance, the month's volume and the clock.</summary>
public sealed class BillingGate(
    RateBook rates,
    CallAffordability affordability,
    CallingAvailability availability,
    LedgerStore ledger,
    IOptions<BillingOptions> options,
    TimeProvider time) : IBillingGate
{
    private BillingOptions Options => options.Value;

    public async Task<AffordabilityDecision> CheckOutboundAsync(string businessNumberId, PhoneNumber callee, CancellationToken ct)
    {
        var number = RequireNumber(businessNumberId);
        var date = Today();
        var minutes = await MonthToDateMinutesAsync(callee, date, ct);
        var balance = await ledger.GetBalanceAsync(Options.LedgerWabaId, ct);
        return affordability.Check(new CallRequest(
            CallDirection.BusinessInitiated, number.Number!.Value, number.CountryIso, callee, balance.Balance, date, minutes));
    }

    public async Task<AffordabilityDecision> CheckInboundAsync(string businessNumberId, PhoneNumber? caller, CancellationToken ct)
    {
        var number = RequireNumber(businessNumberId);
        var balance = await ledger.GetBalanceAsync(Options.LedgerWabaId, ct);
        if (caller is { } customer)
        {
            return affordability.Check(new CallRequest(
                CallDirection.UserInitiated, number.Number!.Value, number.CountryIso, customer, balance.Balance, Today()));
        }

        // Without the caller's number only the business side and the balance can be checked; Meta screens the rest.
        var business = number.Number!.Value;
        var view = BalanceView.Of(balance.Balance, affordability.MinimumBalance);
        if (availability.SanctionedMatch(business) is { } blocked)
        {
            return new AffordabilityDecision(
                AffordabilityReason.SanctionedNumber,
                $"The business number {business.E164} is in a region WhatsApp Business may not serve ({blocked.Region}).",
                view,
                null,
                []);
        }

        return view.TopUpRequired
            ? new AffordabilityDecision(
                AffordabilityReason.BalanceBelowMinimum,
                $"The prepaid balance is {view.ExactText}, below the {BalanceView.ExactTextOf(view.Minimum)} needed to receive calls. Ask an administrator to top up at least {BalanceView.ExactTextOf(view.ShortBy)}.",
                view,
                null,
                [])
            : new AffordabilityDecision(AffordabilityReason.Allowed, "The call can go ahead.", view, null, []);
    }

    public async Task<LiveCostEstimate?> EstimateLiveCostAsync(PhoneNumber callee, DateTimeOffset connectedAt, CancellationToken ct)
    {
        var date = RateBook.BillingDateOf(connectedAt, Options.TimeZone);
        var minutes = await MonthToDateMinutesAsync(callee, date, ct);
        var quote = rates.Quote(callee, date, minutes);
        return quote.IsBillable ? LiveCostEstimate.For(quote, connectedAt, time.GetUtcNow()) : null;
    }

    public async Task<BalanceView> GetBalanceAsync(CancellationToken ct)
    {
        var balance = await ledger.GetBalanceAsync(Options.LedgerWabaId, ct);
        return BalanceView.Of(balance.Balance, affordability.MinimumBalance);
    }

    /// <summary>
    /// The number's rules without the balance (for <c>GET /api/rates</c>): country rules and the price from the given
    /// business number, or from none when no number is configured (then only the customer side is checked).
    /// </summary>
    public async Task<AffordabilityDecision> DescribeOutboundAsync(BillingBusinessNumber? from, PhoneNumber callee, CancellationToken ct)
    {
        var date = Today();
        var minutes = await MonthToDateMinutesAsync(callee, date, ct);
        // The minimum itself always passes, so the answer is about the number, not today's balance.
        var enough = affordability.MinimumBalance;
        if (from?.Number is { } business)
        {
            return affordability.Check(new CallRequest(CallDirection.BusinessInitiated, business, from.CountryIso, callee, enough, date, minutes));
        }

        // With no business number configured, the callee stands in for it under a country that may call, so only the
        // customer's side (sanctions, market, rate, warnings) decides; the customer is checked first.
        return affordability.Check(new CallRequest(CallDirection.BusinessInitiated, callee, "GB", callee, enough, date, minutes));
    }

    public DateOnly Today() => RateBook.BillingDateOf(time.GetUtcNow(), Options.TimeZone);

    private async Task<decimal> MonthToDateMinutesAsync(PhoneNumber callee, DateOnly date, CancellationToken ct)
    {
        var market = rates.Markets.Resolve(callee, date).Market;
        return await ledger.GetBilledMinutesAsync(Options.LedgerWabaId, new VolumeBucket(date, market), ct);
    }

    private BillingBusinessNumber RequireNumber(string businessNumberId)
    {
        var number = Options.FindNumber(businessNumberId);
        return number?.Number is null ? throw new UnknownBusinessNumberException(businessNumberId) : number;
    }
}
