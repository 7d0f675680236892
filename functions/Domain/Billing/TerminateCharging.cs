namespace WhatsAppCalling.Domain.Billing;

public enum TerminateChargeOutcome
{
    Charge,

    /// <summary>User-initiated calls are free (whatsapp-calling-api.md §6.1).</summary>
    FreeUserInitiated,

    /// <summary>Ringing, rejected or unanswered calls have no duration and cost nothing (§6.1).</summary>
    NotConnected,

    /// <summary>The call was connected but its market has no price; record it for review, charge nothing.</summary>
    Unpriceable,
}

public sealed record TerminateChargeDecision(TerminateChargeOutcome Outcome, CallCharge? Charge, string Message)
{
    public bool Chargeable => Outcome == TerminateChargeOutcome.Charge;
}

/// <summary>
/// What the terminate webhook of a call owes: only connected business-initiated calls are charged, by Meta's
/// reported duration. The handler then writes <see cref="LedgerEntry.ForCall"/>, which is idempotent by call id.
/// </summary>
public static class TerminateCharging
{
    /// <param name="quote">The quote for the callee at the call's connect time (the effective date of the call).</param>
    /// <param name="durationSeconds">The <c>duration</c> of the terminate webhook; null or 0 when not connected.</param>
    public static TerminateChargeDecision Decide(CallDirection direction, bool connected, long? durationSeconds, RateQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (direction == CallDirection.UserInitiated)
        {
            return new TerminateChargeDecision(TerminateChargeOutcome.FreeUserInitiated, null, "User-initiated calls are free.");
        }

        if (!connected || durationSeconds is null or <= 0)
        {
            return new TerminateChargeDecision(TerminateChargeOutcome.NotConnected, null, "The call never connected; nothing is charged.");
        }

        if (!quote.IsBillable)
        {
            return new TerminateChargeDecision(
                TerminateChargeOutcome.Unpriceable,
                null,
                $"A connected call to {quote.Market} has no price ({quote.Status}); it was not charged and needs review.");
        }

        var charge = quote.PriceFor(durationSeconds.Value);
        return new TerminateChargeDecision(
            TerminateChargeOutcome.Charge,
            charge,
            $"{durationSeconds} s = {charge.Pulses} pulses at {BalanceView.ExactTextOf(charge.PerMinuteRate)}/min = {BalanceView.ExactTextOf(charge.Cost)}.");
    }
}
