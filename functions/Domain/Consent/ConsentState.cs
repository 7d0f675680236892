using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// Everything we know about calling consent for one (business number, customer) pair. Immutable; changed only by
/// <see cref="ConsentStateMachine"/>. It holds facts (decisions, requests, customer activity, calls) rather than
/// conclusions: the permission status, limits and window are derived with the current time and
/// <see cref="ConsentRules"/>, so a late timer or a late event can never leave a stale conclusion behind.
/// </summary>
public sealed record ConsentState
{
    /// <summary>Upper bound on the unanswered streak we keep; revocation happens long before (Meta: 4, sandbox: 10).</summary>
    public const int MaxUnansweredKept = 64;

    internal const int MaxActivityKept = 64;
    internal const int MaxTemplatesKept = 16;

    public required BusinessNumberId BusinessNumber { get; init; }

    public required ContactKey Contact { get; init; }

    /// <summary>The customer's newest decision (grant, decline, revocation), or a correction from Meta.</summary>
    public PermissionDecision? Decision { get; init; }

    /// <summary>
    /// The newest automatic callback grant (§3.1), kept apart from <see cref="Decision"/> so that it can never
    /// downgrade a permanent permission, whatever order the two arrive in.
    /// </summary>
    public PermissionDecision? CallbackGrant { get; init; }

    /// <summary>The decision in force: a callback grant newer than the customer's decision, unless that is permanent.</summary>
    public PermissionDecision? CurrentDecision =>
        CallbackGrant is not null && CallbackGrant.IsNewerThan(Decision) && Decision is not { Kind: PermissionDecisionKind.Permanent }
            ? CallbackGrant
            : Decision;

    /// <summary>Requests we sent in the request-limit horizon, oldest first; the newest is always kept.</summary>
    public ImmutableArray<SentPermissionRequest> Requests { get; init; } = [];

    /// <summary>Customer messages and calls in the retention horizon, oldest first.</summary>
    public ImmutableArray<CustomerActivity> Activity { get; init; } = [];

    /// <summary>Templates we sent in the retention horizon, oldest first (free-form messages decide nothing).</summary>
    public ImmutableArray<SentTemplate> TemplatesSent { get; init; } = [];

    /// <summary>Connected business-initiated calls in the connected-call window, oldest first.</summary>
    public ImmutableArray<TimedCall> ConnectedBusinessCalls { get; init; } = [];

    /// <summary>Unanswered or rejected business-initiated calls since <see cref="StreakResetAt"/>, oldest first.</summary>
    public ImmutableArray<TimedCall> UnansweredBusinessCalls { get; init; } = [];

    /// <summary>
    /// Unanswered or rejected business calls in the attempts window, whatever the streak did; kept only when the
    /// attempts limit after a permanent grant is configured (it counts every attempt, answered or not).
    /// </summary>
    public ImmutableArray<TimedCall> RecentNotAnsweredCalls { get; init; } = [];

    /// <summary>Newest answered business call or grant; the unanswered streak counts calls after it.</summary>
    public DateTimeOffset? StreakResetAt { get; init; }

    /// <summary>Newest connected call in either direction; requests at or before it no longer count (§3.5).</summary>
    public DateTimeOffset? RequestLimitsResetAt { get; init; }

    /// <summary>Meta reported the connected-call limit exhausted until this time (<c>limit_expiration_time</c>, §3.4).</summary>
    public DateTimeOffset? MetaCallLimitUntil { get; init; }

    /// <summary>Newest event time seen; the retention horizon is measured back from it.</summary>
    public DateTimeOffset? LatestEventAt { get; init; }

    /// <summary>
    /// Grows whenever a fact that a timer depends on changes (a new decision or a newer request). A timer carries it;
    /// a timer whose version differs is stale. It is derived (newest decision or request time, in unix milliseconds)
    /// rather than counted, so replicas that applied the same events in different orders agree on it.
    /// </summary>
    public long Version
    {
        get
        {
            var newest = FactList.Max(
                FactList.Max(Decision?.DecidedAt, CallbackGrant?.DecidedAt), Requests.IsEmpty ? null : Requests[^1].SentAt);
            return newest?.ToUnixTimeMilliseconds() ?? 0;
        }
    }

    /// <summary>The newest request we sent, if any.</summary>
    public SentPermissionRequest? LatestRequest => Requests.IsEmpty ? null : Requests[^1];

    public static ConsentState Empty(BusinessNumberId businessNumber, ContactKey contact) =>
        new() { BusinessNumber = businessNumber, Contact = contact };

    public bool Equals(ConsentState? other) =>
        other is not null
        && BusinessNumber == other.BusinessNumber
        && Contact == other.Contact
        && Equals(Decision, other.Decision)
        && Equals(CallbackGrant, other.CallbackGrant)
        && Requests.SequenceEqual(other.Requests)
        && Activity.SequenceEqual(other.Activity)
        && TemplatesSent.SequenceEqual(other.TemplatesSent)
        && ConnectedBusinessCalls.SequenceEqual(other.ConnectedBusinessCalls)
        && UnansweredBusinessCalls.SequenceEqual(other.UnansweredBusinessCalls)
        && RecentNotAnsweredCalls.SequenceEqual(other.RecentNotAnsweredCalls)
        && StreakResetAt == other.StreakResetAt
        && RequestLimitsResetAt == other.RequestLimitsResetAt
        && MetaCallLimitUntil == other.MetaCallLimitUntil
        && LatestEventAt == other.LatestEventAt;

    public override int GetHashCode() =>
        HashCode.Combine(
            BusinessNumber,
            Contact,
            Decision,
            Requests.Length,
            Activity.Length,
            ConnectedBusinessCalls.Length,
            UnansweredBusinessCalls.Length,
            LatestEventAt);
}
