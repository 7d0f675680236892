using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

public enum CallDirection
{
    Unknown,
    UserInitiated,
    BusinessInitiated,
}

/// <summary>Business-initiated call progress (whatsapp-calling-api.md §1.7); anything else is <see cref="Unknown"/>.</summary>
public enum CallStatus
{
    Unknown,
    Ringing,
    Accepted,
    Rejected,
}

/// <summary>How a call ended (whatsapp-calling-api.md §1.8); Meta's samples vary the letter case.</summary>
public enum CallOutcome
{
    Unknown,
    Completed,
    Failed,
    Rejected,
}

public enum CallArtifactKind
{
    Recording,
    Transcription,
}

/// <summary>Base of every <c>calls</c>-field event and call status: they share the call id (§7.1).</summary>
public abstract record CallEvent(EventHeader Header, CallId CallId, string? BizOpaqueCallbackData) : WhatsAppEvent(Header);

/// <summary>
/// <c>connect</c>: for a user-initiated call Meta's SDP <b>offer</b> (§1.5), for a business-initiated call Meta's SDP
/// <b>answer</b> (§1.6). The legacy <c>connection.webrtc</c> copy is deliberately not read.
/// </summary>
public sealed record CallConnected(
    EventHeader Header,
    CallId CallId,
    CallDirection Direction,
    string SdpType,
    string Sdp,
    string? BizOpaqueCallbackData,
    string? DeeplinkPayload,
    string? CtaPayload) : CallEvent(Header, CallId, BizOpaqueCallbackData)
{
    public bool IsOffer => string.Equals(SdpType, "offer", StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>statuses[]</c> with <c>type: "call"</c> (§1.7). <see cref="RawStatus"/> keeps unknown values.</summary>
public sealed record CallStatusChanged(
    EventHeader Header,
    CallId CallId,
    CallStatus Status,
    string RawStatus,
    string? BizOpaqueCallbackData) : CallEvent(Header, CallId, BizOpaqueCallbackData);

/// <summary>
/// <c>terminate</c> (§1.8): sent for every ending. Start, end and duration exist only when the call was picked up;
/// <see cref="Errors"/> merges the call-level and value-level placements.
/// </summary>
public sealed record CallTerminated(
    EventHeader Header,
    CallId CallId,
    CallDirection Direction,
    CallOutcome Outcome,
    string? RawStatus,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    TimeSpan? Duration,
    IReadOnlyList<WhatsAppError> Errors,
    string? BizOpaqueCallbackData,
    string? DeeplinkPayload,
    string? CtaPayload) : CallEvent(Header, CallId, BizOpaqueCallbackData)
{
    public bool WasPickedUp => StartTime is not null || Duration > TimeSpan.Zero;
}

/// <summary><c>call_recording_available</c> / <c>call_transcription_available</c> (§1.9, §7.4).</summary>
public sealed record CallArtifactAvailable(
    EventHeader Header,
    CallId CallId,
    CallArtifactKind Kind,
    string? MediaType,
    MediaReference? Media,
    string? BizOpaqueCallbackData) : CallEvent(Header, CallId, BizOpaqueCallbackData);

/// <summary>A <c>calls[]</c> event this model does not know (e.g. SIP <c>call_created</c>, §1.9), kept raw.</summary>
public sealed record UnknownCallEvent(
    EventHeader Header,
    CallId CallId,
    string EventName,
    JsonElement Raw,
    string? BizOpaqueCallbackData) : CallEvent(Header, CallId, BizOpaqueCallbackData);
