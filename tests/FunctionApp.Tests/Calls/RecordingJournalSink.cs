using System.Collections.Concurrent;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Journal;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>A journal reader that keeps every timeline line it is handed, for tests to look at.</summary>
internal sealed class RecordingJournalSink : ICallJournalSink
{
    public ConcurrentQueue<CallTimelineEntry> Timeline { get; } = new();

    public string Name => "test";

    public Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct)
    {
        Timeline.Enqueue(entry);
        return Task.CompletedTask;
    }

    public Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct) => Task.CompletedTask;
}
