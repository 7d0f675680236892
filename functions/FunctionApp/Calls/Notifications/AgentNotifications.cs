using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// A message pushed to agent consoles over SignalR (hub <c>agents</c>, architecture.md "External contracts").
/// <see cref="Target"/> is the client method the console registers with <c>connection.on(target, handler)</c>; the
/// record itself is the single argument, serialized in camelCase (docs/API.md, "Notifications (SignalR)").
/// </summary>
public abstract record AgentNotification
{
    [JsonIgnore]
    public abstract string Target { get; }

    /// <summary>When the system decided to send it; consoles order and expire banners by it.</summary>
    public required DateTimeOffset At { get; init; }
}

/// <summary>The customer as a console shows them; any part may be unknown (architecture.md, "Contact key").</summary>
public sealed record NotifiedCustomer(string ContactKey, string? PhoneNumber, string? Name);

/// <summary>
/// A call is ringing this agent. Busy agents are told too but with <see cref="CanAcceptNow"/> false and a
/// <see cref="Reason"/> (issue 8: an agent on a call is notified but cannot accept until it ends).
/// </summary>
public sealed record IncomingCallNotification(
    string CallId,
    string BusinessNumberId,
    string? BusinessNumber,
    NotifiedCustomer Customer,
    bool CanAcceptNow,
    string? Reason,
    DateTimeOffset RingingUntil) : AgentNotification
{
    public override string Target => "incomingCall";
}

/// <summary>Another agent accepted (first accept wins): consoles still ringing drop the banner.</summary>
public sealed record CallTakenNotification(string CallId, string TakenBy) : AgentNotification
{
    public override string Target => "callTaken";
}

/// <summary>
/// The call stopped ringing this agent while it still rings elsewhere: the ring moved to the next step, or this
/// agent declined. <see cref="Reason"/> is <c>ringMoved</c> or <c>declined</c>; the console drops the banner.
/// </summary>
public sealed record CallWithdrawnNotification(string CallId, string Reason, string[] NowRinging) : AgentNotification
{
    public override string Target => "callWithdrawn";
}

/// <summary>The call ended; <see cref="DispositionRequired"/> asks the agent who handled it for a disposition.</summary>
public sealed record CallEndedNotification(string CallId, string EndedBy, int? DurationSeconds, bool DispositionRequired) : AgentNotification
{
    public override string Target => "callEnded";
}

/// <summary>
/// A call this agent placed moved on: <see cref="Phase"/> is <c>Connecting</c> (Graph took the call), <c>Ringing</c>
/// (the customer's phone rings) or <c>Connected</c> (answered); the end comes as <c>callEnded</c>.
/// </summary>
public sealed record PlacedCallProgressNotification(string CallId, string Phase) : AgentNotification
{
    public override string Target => "placedCallProgress";
}

/// <summary>A teammate offers this agent a call, with the initiator's optional note; the offer lapses at <see cref="ExpiresAt"/>.</summary>
public sealed record TransferOfferedNotification(
    string CallId,
    string TransferId,
    string FromAgentId,
    NotifiedCustomer Customer,
    string? Note,
    DateTimeOffset ExpiresAt) : AgentNotification
{
    public override string Target => "transferOffered";
}

/// <summary>The teammate took the call: the initiator's console closes it, the teammate's shows it as theirs.</summary>
public sealed record TransferAcceptedNotification(string CallId, string TransferId, string FromAgentId, string ToAgentId) : AgentNotification
{
    public override string Target => "transferAccepted";
}

/// <summary>The teammate did not take the call in time (30 s, issue 8) or declined: it stays with the initiator.</summary>
public sealed record TransferRevertedNotification(string CallId, string TransferId, string FromAgentId, string ToAgentId, string Reason)
    : AgentNotification
{
    public override string Target => "transferReverted";
}

/// <summary>A transfer could not start or finish (the teammate became busy, the relay refused): shown at once to the initiator.</summary>
public sealed record TransferFailedNotification(string CallId, string TransferId, string ToAgentId, string Code, string Message)
    : AgentNotification
{
    public override string Target => "transferFailed";
}

/// <summary>The relay lost media on a leg of the agent's call (<see cref="Reason"/> as the relay says, e.g. <c>consent_expired</c>).</summary>
public sealed record CallMediaLostNotification(string CallId, string LegId, string Reason) : AgentNotification
{
    public override string Target => "mediaLost";
}

/// <summary>A customer's call permission changed (granted, revoked, expired), so "call" buttons can update.</summary>
public sealed record PermissionChangedNotification(
    string BusinessNumberId,
    NotifiedCustomer Customer,
    string Status,
    DateTimeOffset? ExpiresAt) : AgentNotification
{
    public override string Target => "permissionChanged";
}

/// <summary>The prepaid balance fell under the minimum; amounts are decimal strings like the balance API.</summary>
public sealed record BalanceLowNotification(string WabaId, string BalanceUsd, string MinimumUsd) : AgentNotification
{
    public override string Target => "balanceLow";
}

/// <summary>Nobody answered (or the call ended while ringing): a follow-up item now exists on the timeline.</summary>
public sealed record MissedCallNotification(string CallId, string BusinessNumberId, NotifiedCustomer Customer, string Reason)
    : AgentNotification
{
    public override string Target => "missedCall";
}

/// <summary>The one JSON shape both transports send, so the local hub and SignalR Service deliver identical payloads.</summary>
public static class AgentNotificationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes by the runtime type: a base-typed reference would otherwise lose the event's fields.</summary>
    public static JsonElement Payload(AgentNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return JsonSerializer.SerializeToElement(notification, notification.GetType(), Options);
    }
}
