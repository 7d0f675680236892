namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// The relay's events feeding the call lifecycle (<c>POST /api/relay/events</c>): each event is de-duplicated
/// durably by its id (<see cref="RelayEventReceipts"/>), applied to its call (inbound or placed, <see cref="CallMediaEvents"/>), and kept in the recent-events
/// buffer for diagnostics. A failure answers 5xx, so the relay delivers the event again.
/// </summary>
public sealed partial class CallRelayEvents(
    RecentRelayEvents recent,
    RelayEventReceipts receipts,
    CallMediaEvents calls,
    ILogger<CallRelayEvents> logger) : IRelayEventSink
{
    public async Task AcceptAsync(RelayEvent relayEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        await recent.AcceptAsync(relayEvent, cancellationToken);
        if (!await receipts.ClaimAsync(relayEvent, cancellationToken))
        {
            LogDuplicate(logger, relayEvent.Type, relayEvent.SessionId.Value, relayEvent.EventId);
            return;
        }

        if (!await calls.ApplyAsync(relayEvent, cancellationToken))
        {
            LogNoCall(logger, relayEvent.Type, relayEvent.SessionId.Value, relayEvent.EventId);
        }

        await receipts.CompleteAsync(relayEvent, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for call {CallId} already applied (event {EventId}); ignored")]
    private static partial void LogDuplicate(ILogger logger, string type, string callId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for session {CallId} (event {EventId}) matches no call; logged only")]
    private static partial void LogNoCall(ILogger logger, string type, string callId, string eventId);
}

/// <summary>Registration: the lifecycle's sink replaces the log-only default of <see cref="MediaRelayFeature"/>.</summary>
public static class CallRelayEventsRegistration
{
    public static IServiceCollection AddCallRelayEvents(this IServiceCollection services)
    {
        services.AddSingleton<RelayEventReceipts>();
        services.AddSingleton<CallMediaEvents>();
        services.AddSingleton<IRelayEventSink, CallRelayEvents>();
        return services;
    }
}
