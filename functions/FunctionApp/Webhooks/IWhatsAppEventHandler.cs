using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// Reacts to one typed webhook event. Every handler is called through the event processor's single dispatch
/// point; completion is recorded per (idempotency key, handler name), so a redelivered event reaches a handler
/// once after it succeeded, and a failed handler is retried alone. Events arrive at least once and in any order:
/// a handler must converge to the same state whatever the order.
/// </summary>
public interface IWhatsAppEventHandler
{
    /// <summary>Stable name; part of the completion record's key, so never rename a deployed handler lightly.</summary>
    string Name { get; }

    Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct);
}

/// <param name="IdempotencyKey">Derived from the call or message id, the event and the status.</param>
/// <param name="BusinessNumberId">The business phone number the change was addressed to.</param>
/// <param name="ReceivedAt">When our endpoint received the delivery.</param>
/// <param name="IsStale">Older than <c>WhatsApp__StaleEventSeconds</c>: record it, count it, but make no Graph call.</param>
/// <param name="DeliveryId">The stored raw delivery (blob name), for tracing.</param>
public sealed record EventContext(
    string IdempotencyKey,
    BusinessNumberId? BusinessNumberId,
    string? WabaId,
    DateTimeOffset ReceivedAt,
    bool IsStale,
    string DeliveryId);
