using System.Collections.Concurrent;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// Receives validated relay events from <c>POST /api/relay/events</c>. Implementations must be idempotent by
/// <see cref="RelayEvent.EventId"/>: the relay redelivers until it gets a 2xx (docs/RELAY-API.md, "Delivery").
/// </summary>
public interface IRelayEventSink
{
    Task AcceptAsync(RelayEvent relayEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Logs each event with its call id and keeps the most recent ones in memory (per instance, lost on restart) for
/// diagnostics and tests. <see cref="CallRelayEvents"/> feeds it every event before applying it to the call; its
/// in-memory de-duplication is only for this buffer (the durable one is <see cref="RelayEventReceipts"/>).
/// </summary>
public sealed partial class RecentRelayEvents(ILogger<RecentRelayEvents> logger) : IRelayEventSink
{
    public const int Capacity = 200;

    private readonly ConcurrentQueue<RelayEvent> _recent = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<RelayEvent> Recent => [.. _recent];

    public Task AcceptAsync(RelayEvent relayEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        if (!_seen.TryAdd(relayEvent.EventId, 0))
        {
            LogDuplicate(logger, relayEvent.Type, relayEvent.SessionId.Value, relayEvent.EventId);
            return Task.CompletedTask;
        }

        _recent.Enqueue(relayEvent);
        while (_recent.Count > Capacity && _recent.TryDequeue(out var dropped))
        {
            _seen.TryRemove(dropped.EventId, out _);
        }

        LogAccepted(logger, relayEvent.Type, relayEvent.SessionId.Value, relayEvent.LegId, relayEvent.EventId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for call {CallId}, leg {LegId} (event {EventId})")]
    private static partial void LogAccepted(ILogger logger, string type, string callId, string? legId, string eventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relay event {Type} for call {CallId} redelivered (event {EventId}); ignored")]
    private static partial void LogDuplicate(ILogger logger, string type, string callId, string eventId);
}
