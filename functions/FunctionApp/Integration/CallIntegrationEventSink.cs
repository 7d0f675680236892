using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Journal;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Reads the calls journal and publishes the lines that are integration events (<see cref="CallIntegrationEvents"/>).
/// A failed publish throws, so the effect run fails and the input is redelivered; the repeat carries the same ids.
/// </summary>
public sealed class CallIntegrationEventSink(IIntegrationEventPublisher publisher) : ICallJournalSink
{
    public string Name => "integration-events";

    public async Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct)
    {
        if (CallIntegrationEvents.FromTimeline(call, entry) is { } evt)
        {
            await publisher.PublishAsync(evt, ct);
        }
    }

    public Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct) =>
        publisher.PublishAsync(CallIntegrationEvents.FromMissed(call, missed), ct);
}
