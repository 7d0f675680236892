namespace WhatsAppCalling.Domain.Consent;

public enum ConsentReasonCode
{
    // Why a permission request is refused or must go as a template (§3.5, issue 6).
    PermanentPermissionExists,
    DailyRequestLimitReached,
    WeeklyRequestLimitReached,
    RecentlyDeclined,
    AwaitingReplyToTemplate,
    WindowClosedTemplateRequired,
    NoTemplateConfigured,

    // Why a call is refused, or what the agent should know before dialling (§3.5).
    NoPermission,
    PermissionPending,
    PermissionDeclined,
    PermissionRevoked,
    PermissionRevokedForUnansweredCalls,
    PermissionExpired,
    ConnectedCallLimitReached,
    AttemptsLimitReached,
    CustomerNudged,
}

/// <summary>
/// One reason behind a consent decision: a stable code for programs, a sentence for agents, whether it blocks, and
/// when it stops applying (null when only the customer can lift it).
/// </summary>
public sealed record ConsentReason(ConsentReasonCode Code, bool Blocks, string Message, DateTimeOffset? Until = null);
