using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Settings;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>
/// Feeds user-initiated call webhooks into the inbound machine: <c>connect</c> (Meta's offer, §1.5) after billing's
/// admission check, and <c>terminate</c> (§1.8). Stale events are applied but make no Graph call (§1.4).
/// </summary>
public sealed class InboundCallEventHandler(InboundCalls calls, IBillingGate billing, INumberSettings settings, ILogger<InboundCallEventHandler> logger) : IWhatsAppEventHandler
{
    public string Name => "calls";

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (evt)
        {
            case CallConnected { IsOffer: true } connect when connect.Direction != CallDirection.BusinessInitiated:
                await OfferAsync(connect, context, ct);
                break;
            case CallTerminated terminated when terminated.Direction != CallDirection.BusinessInitiated:
                await calls.TerminatedAsync(CallWebhookInputs.ToTermination(terminated, context.ReceivedAt), !context.IsStale, ct);
                break;
        }
    }

    private async Task OfferAsync(CallConnected connect, EventContext context, CancellationToken ct)
    {
        if (connect.BusinessNumberId is not { } business)
        {
            logger.LogWarning("Call {CallId}: connect without a business number, ignored", connect.CallId);
            return;
        }

        // The number's settings first (calling off, outside business hours or on a holiday), then billing's minimum.
        var admission = (await settings.GetAsync(business, ct)).Admit(context.ReceivedAt);
        if (admission != CallAdmission.Admitted)
        {
            logger.LogInformation("Call {CallId}: refused by the number's settings: {Admission}", connect.CallId, admission);
        }
        else if (await billing.CheckInboundAsync(business.Value, connect.Contact.Phone, ct) is { Allowed: false } decision)
        {
            admission = CallAdmission.BalanceBelowMinimum;
            logger.LogInformation("Call {CallId}: billing refused the inbound call: {Reason} {Message}", connect.CallId, decision.Reason, decision.Message);
        }

        if (CallWebhookInputs.ToInboundOffer(connect, admission, context.ReceivedAt) is { } offer)
        {
            await calls.OfferAsync(offer, connect.Sdp, !context.IsStale, ct);
        }
    }
}
