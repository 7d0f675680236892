using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// Feeds business-initiated call webhooks into the outbound machine: <c>connect</c> with Meta's SDP answer (§1.6),
/// the RINGING / ACCEPTED / REJECTED statuses (§1.7) and <c>terminate</c> (§1.8). User-initiated events belong to
/// the inbound handler. Charging is billing's own handler; the unanswered streak is consent's.
/// </summary>
public sealed class OutboundCallEventHandler(OutboundCalls calls) : IWhatsAppEventHandler
{
    public string Name => "outbound-calls";

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (evt)
        {
            case CallConnected { IsOffer: false } connect when connect.Direction != CallDirection.UserInitiated:
                await calls.EventAsync(connect, context.ReceivedAt, !context.IsStale, ct);
                break;
            case CallStatusChanged status:
                await calls.EventAsync(status, context.ReceivedAt, !context.IsStale, ct);
                break;
            case CallTerminated terminated when terminated.Direction == CallDirection.BusinessInitiated:
                await calls.EventAsync(terminated, context.ReceivedAt, !context.IsStale, ct);
                break;
        }
    }
}
