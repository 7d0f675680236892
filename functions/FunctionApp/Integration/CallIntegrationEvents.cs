using System.Globalization;
using System.Text.RegularExpressions;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Which timeline lines are integration events. Each fact comes from exactly one kind, so it is published once:
/// <list type="bullet">
/// <item>started — <see cref="CallTimelineKind.Offered"/> (inbound) or <see cref="CallTimelineKind.Placed"/> (outbound);</item>
/// <item>answered — <see cref="CallTimelineKind.Connected"/> in both directions: inbound once Meta took our accept
/// (not <see cref="CallTimelineKind.Accepted"/>, which an accept refused by Meta can follow), outbound when the customer
/// picked up;</item>
/// <item>transferred — <see cref="CallTimelineKind.TransferAccepted"/>, one per transfer (keyed by its time);</item>
/// <item>ended — <see cref="CallTimelineKind.Ended"/> for answered calls, <see cref="CallTimelineKind.Rejected"/> for an
/// inbound call refused at admission, <see cref="CallTimelineKind.Unanswered"/> / <see cref="CallTimelineKind.CustomerRejected"/>
/// for an outbound call nobody picked up. These share one id per call, so the outbound "unanswered, then relabelled
/// rejected" pair publishes the first only;</item>
/// <item>missed — the missed-call record (not the <see cref="CallTimelineKind.Missed"/> line, which says the same).</item>
/// </list>
/// Billed events come from billing (<see cref="Billed"/>).
/// </summary>
public static partial class CallIntegrationEvents
{
    public static IntegrationEvent? FromTimeline(JournalCall call, CallTimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(entry);
        var inbound = call.Direction == JournalCallDirection.Inbound;
        var data = DataOf(call);
        return entry.What switch
        {
            CallTimelineKind.Offered when inbound => IntegrationEvent.For(IntegrationEventTypes.Started, entry.At, data),
            CallTimelineKind.Placed when !inbound => IntegrationEvent.For(IntegrationEventTypes.Started, entry.At, data with { AgentId = entry.Who.Agent?.Value ?? data.AgentId }),
            CallTimelineKind.Connected => IntegrationEvent.For(IntegrationEventTypes.Answered, entry.At, data),
            CallTimelineKind.TransferAccepted => IntegrationEvent.For(
                IntegrationEventTypes.Transferred, entry.At,
                data with { AgentId = entry.Who.Agent?.Value ?? data.AgentId, Reason = entry.Detail },
                entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            CallTimelineKind.Ended => Ended(entry, data, "completed", null, DurationOf(entry.Detail)),
            CallTimelineKind.Rejected when inbound => Ended(entry, data, "rejected", entry.Detail, null),
            CallTimelineKind.Unanswered when !inbound => Ended(entry, data, "unanswered", null, null),
            CallTimelineKind.CustomerRejected when !inbound => Ended(entry, data, "rejected", "customer declined", null),
            _ => null,
        };
    }

    public static IntegrationEvent FromMissed(JournalCall call, RecordMissedCall missed)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(missed);
        var data = DataOf(call) with
        {
            BusinessNumberId = call.Business?.Value ?? missed.Business.Value,
            Customer = (call.Customer ?? missed.Customer)?.Value,
            CustomerPhone = (call.Customer ?? missed.Customer)?.Phone?.ToString(),
            Reason = missed.Reason.ToString(),
        };
        return IntegrationEvent.For(IntegrationEventTypes.Missed, missed.At, data);
    }

    /// <summary>The charge billing wrote for a business-initiated call: one per call, like the ledger's debit.</summary>
    public static IntegrationEvent Billed(
        CallId callId, JournalCallDirection direction, BusinessNumberId? business, ContactKey? customer, CallCharge charge, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var data = new IntegrationEventData
        {
            CallId = callId.Value,
            Direction = DirectionOf(direction),
            BusinessNumberId = business?.Value,
            Customer = customer?.Value,
            CustomerPhone = customer?.Phone?.ToString(),
            AmountUsd = charge.Cost.Usd,
            Pulses = charge.Pulses,
            PerMinuteRateUsd = charge.PerMinuteRate.Usd,
            Market = charge.Market.Name,
        };
        return IntegrationEvent.For(IntegrationEventTypes.Billed, at, data);
    }

    public static string DirectionOf(JournalCallDirection direction) => direction == JournalCallDirection.Inbound ? "inbound" : "outbound";

    private static IntegrationEvent Ended(CallTimelineEntry entry, IntegrationEventData data, string outcome, string? reason, long? seconds) =>
        IntegrationEvent.For(IntegrationEventTypes.Ended, entry.At, data with { Outcome = outcome, Reason = reason, DurationSeconds = seconds });

    private static IntegrationEventData DataOf(JournalCall call) => new()
    {
        CallId = call.CallId.Value,
        Direction = DirectionOf(call.Direction),
        BusinessNumberId = call.Business?.Value,
        Customer = call.Customer?.Value,
        CustomerPhone = call.Customer?.Phone?.ToString(),
        AgentId = call.Agent?.Value,
    };

    /// <summary>The Ended line's detail is <c>duration {n} s</c> (Domain/Calls/CallWrapUp); absent when nobody answered.</summary>
    private static long? DurationOf(string? detail) =>
        detail is not null && DurationPattern().Match(detail) is { Success: true } match
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^duration (\d+) s$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
