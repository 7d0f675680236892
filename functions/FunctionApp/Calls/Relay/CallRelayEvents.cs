using WhatsAppCalling.FunctionApp.Calls.Inbound;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// The relay's events feeding the call lifecycle (<c>POST /api/relay/events</c>): each event is de-duplicated
/// durably by its id (<see cref="RelayEventReceipts"/>), applied to its inbound call, and kept in the recent-events
/// buffer for diagnostics. A failure answers 5xx, so the relay delivers the event again.
/// </summary>
public sealed partial class CallRelayEvents(
    RecentRelayEvents recent,
    RelayEventReceipts receipts,
    InboundCallMediaEvents inbound,
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

        if (!await inbound.ApplyAsync(relayEvent, cancellationToken))
        {
            LogNoInboundCall(logger, relayEvent.Type, relayEvent.SessionId.Value, relayEvent.EventId);
        }

        await receipts.CompleteAsync(relayEvent, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for call {CallId} already applied (event {EventId}); ignored")]
    private static partial void LogDuplicate(ILogger logger, string type, string callId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for call {CallId} (event {EventId}) matches no inbound call; logged only")]
    private static partial void LogNoInboundCall(ILogger logger, string type, string callId, string eventId);
}

/// <summary>Registration: the lifecycle's sink replaces the log-only default of <see cref="MediaRelayFeature"/>.</summary>
public static class CallRelayEventsRegistration
{
    public static IServiceCollection AddCallRelayEvents(this IServiceCollection services)
    {
        services.AddSingleton<RelayEventReceipts>();
        services.AddSingleton<InboundCallMediaEvents>();
        services.AddSingleton<IRelayEventSink, CallRelayEvents>();
        return services;
    }
}
