using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Timeline;

namespace WhatsAppCalling.FunctionApp.Calls.Timelines;

/// <summary>
/// Keeps every call's timeline (issue 8, Rules: "a call's state changes are recorded on its timeline with who and
/// when") and copies the lines only the lifecycle knows onto the customer's contact timeline: who answered, who
/// placed the call, who took a transfer, the disposition. Meta's own facts (incoming, missed, ended with its
/// duration) already reach the contact timeline from the webhooks (<see cref="TimelineEventHandler"/>), so they are
/// not written twice.
/// </summary>
public sealed class CallTimelineSink(CallTimelineStore calls, TimelineStore contacts, ILogger<CallTimelineSink> logger) : ICallJournalSink
{
    public string Name => "call-timeline";

    public async Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(entry);
        await calls.WriteAsync(entry, call.Version, ct);
        if (ContactLine(call, entry) is not { } line)
        {
            return;
        }

        if (call.Business is not { } number || call.Customer is not { } customer)
        {
            logger.LogInformation("Call {CallId}: {What} not put on a contact timeline, the call names no number or customer", call.CallId, entry.What);
            return;
        }

        // The event key is the call and the line's kind, so a repeated effect replaces its own row.
        await contacts.WriteAsync(number, customer.Value, entry.At, $"call:{call.CallId.Value}:{entry.What}", line, ct);
    }

    /// <summary>A missed call's follow-up item is the follow-ups sink's work; Meta's terminate puts "Missed call" on the contact timeline.</summary>
    public Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The contact-timeline line for an entry, or null when the entry is internal to the call (ring steps, relay).</summary>
    public static TimelineDescriber.Description? ContactLine(JournalCall call, CallTimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(entry);
        var direction = call.Direction == JournalCallDirection.Inbound ? "user_initiated" : "business_initiated";
        var agent = entry.Who.Agent?.Value ?? call.Agent?.Value;
        var (kind, summary) = entry.What switch
        {
            CallTimelineKind.Accepted when agent is not null => ("call.answered", $"Call answered by {agent}"),
            CallTimelineKind.Placed when agent is not null => ("call.placed", $"{agent} called the customer"),
            CallTimelineKind.TransferAccepted when agent is not null => ("call.transferred", $"Call transferred to {agent}" + Suffix(entry.Detail)),
            CallTimelineKind.DispositionRecorded when agent is not null => ("call.disposition", $"Call outcome recorded by {agent}" + Suffix(entry.Detail)),
            _ => (null, null),
        };
        return kind is null ? null : new TimelineDescriber.Description(kind, summary!, call.CallId.Value, null, direction, null, entry.Detail);
    }

    private static string Suffix(string? detail) => detail is { Length: > 0 } ? $" ({detail})" : string.Empty;
}
