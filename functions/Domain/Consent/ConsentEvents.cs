using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// A fact that changes consent, stamped with the time it happened (Meta's webhook <c>timestamp</c>, or our send time).
/// Events arrive at least once and in any order (whatsapp-calling-api.md §1.4); every transition is keyed by this
/// time and by the event's own id, so duplicates change nothing and a late, older event cannot undo a newer one.
/// </summary>
public abstract record ConsentEvent(DateTimeOffset OccurredAt);

public enum PermissionResponse
{
    Accept,
    Reject,
}

/// <summary><c>response_source</c> of a permission reply (§1.10).</summary>
public enum ReplySource
{
    UserAction,
    Automatic,
}

/// <summary>
/// <c>interactive.call_permission_reply</c> (§1.10). <paramref name="ContextId"/> is the <c>context.id</c>: the wamid of
/// our request, the wacid of the customer's call (automatic callback grant), or absent (business profile, revocation).
/// </summary>
public sealed record PermissionReplyReceived(
    string MessageId,
    DateTimeOffset OccurredAt,
    PermissionResponse Response,
    bool IsPermanent,
    DateTimeOffset? ExpiresAt,
    ReplySource Source,
    string? ContextId) : ConsentEvent(OccurredAt)
{
    /// <summary>True when the reply refers to a call (callback permission), not to a request message (§7.1).</summary>
    public bool RefersToCall => ContextId?.StartsWith("wacid.", StringComparison.Ordinal) == true;
}

/// <summary>Any message from the customer; it opens or refreshes the customer-service window (§7.3).</summary>
public sealed record InboundMessageReceived(string MessageId, DateTimeOffset OccurredAt) : ConsentEvent(OccurredAt);

/// <summary>A user-initiated call arrived (<c>connect</c>); it refreshes the window whether or not we accept (§7.3).</summary>
public sealed record UserCallReceived(CallId CallId, DateTimeOffset OccurredAt) : ConsentEvent(OccurredAt);

/// <summary>A user-initiated call was picked up; a connected call resets the request limits (§3.5).</summary>
public sealed record UserCallConnected(CallId CallId, DateTimeOffset OccurredAt) : ConsentEvent(OccurredAt);

/// <summary>
/// The customer picked up a business-initiated call (status <c>ACCEPTED</c> or a <c>terminate</c> with
/// <c>start_time</c>, §1.7–1.8). It counts toward the connected-call limit, ends the unanswered streak, resets the
/// request limits and refreshes the window (§3.5, §7.3).
/// </summary>
public sealed record BusinessCallConnected(CallId CallId, DateTimeOffset OccurredAt) : ConsentEvent(OccurredAt);

public enum NotAnsweredOutcome
{
    Unanswered,
    Rejected,
}

/// <summary>
/// A business-initiated call ended without being picked up (<c>terminate</c> without <c>start_time</c>) or was
/// rejected (status <c>REJECTED</c>); both extend the unanswered streak (§1.7, §3.5).
/// </summary>
public sealed record BusinessCallNotAnswered(CallId CallId, DateTimeOffset OccurredAt, NotAnsweredOutcome Outcome)
    : ConsentEvent(OccurredAt);

public enum RequestChannel
{
    /// <summary>An interactive <c>call_permission_request</c> message; needs an open window (§3.2).</summary>
    FreeForm,

    /// <summary>A template with a <c>call_permission_request</c> component; allowed outside the window (§3.3).</summary>
    Template,
}

/// <summary>We sent a permission request (free-form and template count together toward the limits, §3.5).</summary>
public sealed record PermissionRequestSent(string MessageId, DateTimeOffset OccurredAt, RequestChannel Channel)
    : ConsentEvent(OccurredAt);

public enum SentMessageKind
{
    FreeForm,
    Template,
}

/// <summary>Any other message we sent the customer; our log of templates decides the template-reply rule.</summary>
public sealed record MessageSent(string MessageId, DateTimeOffset OccurredAt, SentMessageKind Kind)
    : ConsentEvent(OccurredAt);
