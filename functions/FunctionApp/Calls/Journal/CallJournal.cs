using WhatsAppCalling.Domain.Calls;

namespace WhatsAppCalling.FunctionApp.Calls.Journal;

/// <summary>
/// Fans a call's timeline lines and missed calls out to every <see cref="ICallJournalSink"/>. A failing sink fails
/// the effect run, so the input is redelivered and every sink sees it again (each one tolerates the repeat).
/// </summary>
public sealed class CallJournal(IEnumerable<ICallJournalSink> sinks, ILogger<CallJournal> logger)
{
    private readonly ICallJournalSink[] _sinks = [.. sinks];

    public async Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(entry);
        logger.LogInformation("Call {CallId} timeline: {What} by {Who} at {At} {Detail}", call.CallId, entry.What, entry.Who, entry.At, entry.Detail);
        foreach (var sink in _sinks)
        {
            await sink.TimelineAsync(call, entry, ct);
        }
    }

    public async Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(missed);
        logger.LogInformation("Call {CallId} missed on {BusinessNumberId}: {Reason}", call.CallId, missed.Business, missed.Reason);
        foreach (var sink in _sinks)
        {
            await sink.MissedAsync(call, missed, ct);
        }
    }
}

/// <summary>Registration: <c>services.AddCallJournalSink&lt;T&gt;()</c> adds a reader; the fan-out is registered once.</summary>
public static class CallJournalRegistration
{
    public static IServiceCollection AddCallJournalSink<TSink>(this IServiceCollection services)
        where TSink : class, ICallJournalSink
    {
        services.AddSingleton<ICallJournalSink, TSink>();
        return services;
    }
}
