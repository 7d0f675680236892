using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

public enum PermissionResponse
{
    Unknown,
    Accept,
    Reject,
}

public enum PermissionResponseSource
{
    Unknown,
    UserAction,
    Automatic,
}

public enum MessageStatus
{
    Unknown,
    Sent,
    Delivered,
    Read,
    Failed,
}

/// <summary>
/// Base of every inbound <c>messages[]</c> item. Any of them opens or refreshes the customer-service window
/// (whatsapp-calling-api.md §7.3) — which is why unknown message types still become an event.
/// </summary>
public abstract record InboundMessage(
    EventHeader Header,
    string MessageId,
    string MessageType,
    string? ContextId) : WhatsAppEvent(Header);

/// <summary>Any user message (text, audio, image, unknown types ...); <see cref="Text"/> only for text.</summary>
public sealed record UserMessage(
    EventHeader Header,
    string MessageId,
    string MessageType,
    string? ContextId,
    string? Text,
    MediaReference? Media,
    JsonElement Raw) : InboundMessage(Header, MessageId, MessageType, ContextId);

/// <summary>
/// <c>interactive.call_permission_reply</c> (whatsapp-calling-api.md §1.10). <see cref="ContextId"/> is the wamid of
/// the request, the wacid of the call that triggered an automatic callback permission, or absent.
/// </summary>
public sealed record CallPermissionReply(
    EventHeader Header,
    string MessageId,
    string? ContextId,
    PermissionResponse Response,
    string? RawResponse,
    bool? IsPermanent,
    DateTimeOffset? ExpiresAt,
    PermissionResponseSource Source,
    string? RawSource) : InboundMessage(Header, MessageId, "interactive", ContextId)
{
    public CallId? ContextCallId =>
        ContextId is { } id && id.StartsWith("wacid.", StringComparison.Ordinal) ? new CallId(id) : null;

    public string? ContextMessageId => ContextCallId is null ? ContextId : null;
}

/// <summary>A voicemail: an inbound audio message whose id is the call's wacid (whatsapp-calling-api.md §1.11).</summary>
public sealed record VoicemailReceived(
    EventHeader Header,
    CallId CallId,
    MediaReference Audio) : InboundMessage(Header, CallId.Value, "audio", null);

/// <summary>Status of a message we sent (sent/delivered/read/failed), e.g. a permission request (§1.10).</summary>
public sealed record MessageStatusChanged(
    EventHeader Header,
    string MessageId,
    MessageStatus Status,
    string RawStatus,
    IReadOnlyList<WhatsAppError> Errors,
    string? BizOpaqueCallbackData) : WhatsAppEvent(Header);
