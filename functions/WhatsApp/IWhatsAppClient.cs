using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp;

/// <summary>
/// The WhatsApp Cloud API calls this system makes (whatsapp-calling-api.md §2–§4). Every method returns a typed
/// result instead of throwing for Graph errors; invalid arguments throw <see cref="ArgumentException"/> before any
/// request is sent; caller cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
public interface IWhatsAppClient
{
    /// <summary>Starts a business-initiated call with our SDP offer (§2.1). Sent once, never retried.</summary>
    Task<GraphResult<StartedCall>> ConnectAsync(BusinessNumberId number, ConnectCallRequest request,
        CancellationToken cancellationToken = default);

    /// <summary>Sends our SDP answer ahead of accepting a user-initiated call (§2.2). Never retried.</summary>
    Task<GraphResult> PreAcceptAsync(BusinessNumberId number, CallId callId, string sdpAnswer,
        CancellationToken cancellationToken = default);

    /// <summary>Answers a user-initiated call; the SDP must equal the pre-accepted one (§2.3). Never retried.</summary>
    Task<GraphResult> AcceptAsync(BusinessNumberId number, CallId callId, string sdpAnswer,
        string? bizOpaqueCallbackData = null, CancellationToken cancellationToken = default);

    /// <summary>Declines a user-initiated call (§2.4). Retried on 5xx/429.</summary>
    Task<GraphResult> RejectAsync(BusinessNumberId number, CallId callId, CancellationToken cancellationToken = default);

    /// <summary>Ends a call from the business side (§2.5). Retried on 5xx/429.</summary>
    Task<GraphResult> TerminateAsync(BusinessNumberId number, CallId callId, CancellationToken cancellationToken = default);

    /// <summary>Sends a plain text message. Never retried.</summary>
    Task<GraphResult<SentMessage>> SendTextAsync(BusinessNumberId number, Recipient to, string text,
        CancellationToken cancellationToken = default);

    /// <summary>Sends the free-form call permission request (§3.2); only the body text is ours. Never retried.</summary>
    Task<GraphResult<SentMessage>> SendCallPermissionRequestAsync(BusinessNumberId number, Recipient to,
        string? bodyText = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a template message with body parameters (§3.3). Never retried.</summary>
    Task<GraphResult<SentMessage>> SendTemplateAsync(BusinessNumberId number, Recipient to, TemplateMessage template,
        CancellationToken cancellationToken = default);

    /// <summary>Reads the user's call permission and Meta's limits (§3.4). Retried on 5xx/429.</summary>
    Task<GraphResult<CallPermissionState>> GetCallPermissionsAsync(BusinessNumberId number, Recipient user,
        CancellationToken cancellationToken = default);

    /// <summary>Reads the <c>calling</c> settings of a number (§4). Retried on 5xx/429.</summary>
    Task<GraphResult<CallingSettings>> GetCallingSettingsAsync(BusinessNumberId number,
        CancellationToken cancellationToken = default);

    /// <summary>Reads the number's messaging limit tier, which gates enabling calling (§0). Retried on 5xx/429.</summary>
    Task<GraphResult<MessagingLimit>> GetMessagingLimitAsync(BusinessNumberId number,
        CancellationToken cancellationToken = default);

    /// <summary>Writes the <c>calling</c> settings (§4); <c>call_hours</c> is replaced whole. Retried on 5xx/429.</summary>
    Task<GraphResult> UpdateCallingSettingsAsync(BusinessNumberId number, CallingSettings settings,
        CancellationToken cancellationToken = default);
}
