using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// What an active business-initiated call has cost so far, for the agent's call card: the pulses started since
/// the call connected times the quoted rate. The final charge uses Meta's duration from the terminate webhook.
/// </summary>
public sealed record LiveCostEstimate(TimeSpan Elapsed, long Pulses, Money PerMinuteRate, Money CostSoFar, bool IsEstimated)
{
    /// <param name="quote">The quote taken when the call was placed; it must be billable (the affordability check
    /// refuses calls that are not), otherwise <see cref="InvalidOperationException"/>.</param>
    /// <param name="connectedAt">When the callee picked up; ringing is free (whatsapp-calling-api.md §6.1).</param>
    public static LiveCostEstimate For(RateQuote quote, DateTimeOffset connectedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var elapsed = now > connectedAt ? now - connectedAt : TimeSpan.Zero;
        var charge = quote.PriceFor(elapsed);
        return new LiveCostEstimate(elapsed, charge.Pulses, charge.PerMinuteRate, charge.Cost, charge.IsEstimated);
    }
}
