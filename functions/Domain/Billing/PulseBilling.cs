using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// The pulse arithmetic of Meta's calling prices (whatsapp-calling-api.md §6.1): a connected business-initiated
/// call is billed in 6-second pulses, a started pulse counts in full, and a pulse costs a tenth of the per-minute rate.
/// </summary>
public static class PulseBilling
{
    public const int SecondsPerPulse = 6;

    public const int PulsesPerMinute = 10;

    private static readonly long TicksPerPulse = TimeSpan.FromSeconds(SecondsPerPulse).Ticks;

    /// <summary>Pulses for a call duration in whole seconds (Meta's terminate webhook reports whole seconds).</summary>
    public static long PulsesFor(long durationSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(durationSeconds);
        return (durationSeconds + SecondsPerPulse - 1) / SecondsPerPulse;
    }

    /// <summary>Pulses for an elapsed time; any started pulse counts, so 6.001 s is two pulses.</summary>
    public static long PulsesFor(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return (duration.Ticks + TicksPerPulse - 1) / TicksPerPulse;
    }

    /// <summary>Exact cost: pulses × per-minute rate ÷ 10, unrounded (up to 5 decimals with 4-decimal rates).</summary>
    public static Money CostOf(long pulses, Money perMinuteRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pulses);
        return new Money(pulses * perMinuteRate.Usd / PulsesPerMinute);
    }

    /// <summary>The billed minutes the pulses add to the month's volume (tiers count billed minutes).</summary>
    public static decimal MinutesOf(long pulses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pulses);
        return (decimal)pulses / PulsesPerMinute;
    }
}
