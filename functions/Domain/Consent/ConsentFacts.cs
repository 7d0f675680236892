using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Consent;

public enum PermissionDecisionKind
{
    Temporary,
    Permanent,
    Declined,
    Revoked,

    /// <summary>Meta's <c>GET call_permissions</c> reported no permission where we believed there was one.</summary>
    NoPermission,
}

public enum PermissionSource
{
    /// <summary>The customer answered a request message.</summary>
    UserAction,

    /// <summary>The customer granted permanent permission from the business profile (no <c>context</c>, §1.10).</summary>
    BusinessProfile,

    /// <summary>Automatic temporary grant after the customer called with callback permission enabled (§3.1).</summary>
    CallbackGrant,

    /// <summary>Meta revoked the permission after consecutive unanswered calls (§1.10, §3.5).</summary>
    AutomaticRevocation,

    /// <summary>Meta's <c>GET call_permissions</c> disagreed with us and won (issue 6).</summary>
    MetaCorrection,
}

/// <summary>The customer's latest decision on calls; the newest by (time, event id) wins.</summary>
public sealed record PermissionDecision(
    PermissionDecisionKind Kind,
    PermissionSource Source,
    DateTimeOffset DecidedAt,
    DateTimeOffset? ExpiresAt,
    string EventId,
    string? ContextId,
    bool ExpiryApplied = false)
{
    public bool IsGrant => Kind is PermissionDecisionKind.Temporary or PermissionDecisionKind.Permanent;

    internal bool IsNewerThan(PermissionDecision? other) =>
        other is null || FactList.Compare(DecidedAt, EventId, other.DecidedAt, other.EventId) > 0;
}

/// <summary>A permission request we sent; kept for the rolling limits and the pending state.</summary>
public sealed record SentPermissionRequest(
    string MessageId,
    DateTimeOffset SentAt,
    RequestChannel Channel,
    bool ExpiryApplied = false);

public enum CustomerActivityKind
{
    Message,
    UserCall,
    AcceptedBusinessCall,
}

/// <summary>Something the customer did that opens the customer-service window (§7.3).</summary>
public sealed record CustomerActivity(CustomerActivityKind Kind, string Id, DateTimeOffset At)
{
    internal string Key => $"{Kind}:{Id}";
}

/// <summary>A template we sent (as a message or as a permission request).</summary>
public sealed record SentTemplate(string MessageId, DateTimeOffset SentAt);

/// <summary>A business-initiated call at the time it connected or ended unanswered.</summary>
public sealed record TimedCall(CallId CallId, DateTimeOffset At);
