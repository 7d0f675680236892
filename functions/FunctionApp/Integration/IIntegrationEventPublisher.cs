namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Hands call events to whoever integrates with us (a CRM). Publishing is at least once: a caller that fails
/// publishes again with the same event id, and the transport or the subscriber de-duplicates on it.
/// </summary>
public interface IIntegrationEventPublisher
{
    /// <summary>A short name for logs: where the events go.</summary>
    string Name { get; }

    /// <summary>Completes once the event is durably accepted; throws when it is not, so the caller's input is retried.</summary>
    Task PublishAsync(IntegrationEvent evt, CancellationToken ct);
}
