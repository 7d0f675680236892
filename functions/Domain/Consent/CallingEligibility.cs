using System.Collections.Immutable;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>Whether a business-initiated call may be placed now, and the counters behind the answer.</summary>
public sealed record CallDecision(
    bool Allowed,
    ImmutableArray<ConsentReason> Reasons,
    DateTimeOffset? NextAllowedAt,
    int ConnectedCallsInWindow,
    int ConnectedCallsLeft,
    int? AttemptsLeftAfterPermanentGrant,
    int UnansweredStreak,
    bool CustomerFlagged);

/// <summary>
/// May we call this customer now (whatsapp-calling-api.md §3.5)? Needs an unexpired temporary or a permanent
/// permission, fewer than the connected-call limit in the rolling window (100 per 24 h, 138012), and, when
/// configured, fewer than the attempts limit in the first hours after a permanent grant. The unanswered streak is
/// reported: at the nudge threshold Meta has prompted the customer, at the revocation threshold permission is gone.
/// </summary>
public sealed class CallingEligibility(ConsentRules rules)
{
    private readonly ConsentRules _rules = rules ?? throw new ArgumentNullException(nameof(rules));

    public CallDecision Evaluate(ConsentState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reasons = ImmutableArray.CreateBuilder<ConsentReason>();
        var permission = CallPermission.Of(state, now, _rules);
        if (PermissionReason(permission) is { } refusal)
        {
            reasons.Add(refusal);
        }

        var connected = state.ConnectedBusinessCalls.Select(c => c.At).ToList();
        var (left, limitUntil) = PermissionRequestPolicy.Limit(connected, now, _rules.MaxConnectedCalls, _rules.ConnectedCallWindow);
        if (state.MetaCallLimitUntil is { } metaUntil && now < metaUntil && (limitUntil is null || metaUntil > limitUntil))
        {
            limitUntil = metaUntil;
            left = 0;
        }

        if (limitUntil is not null)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.ConnectedCallLimitReached, true,
                $"{_rules.MaxConnectedCalls} calls to this customer connected in the last {PermissionRequestPolicy.Hours(_rules.ConnectedCallWindow)}; the next may be placed at {limitUntil:u}.",
                limitUntil));
        }

        var attemptsLeft = AttemptsLeft(state, permission, now, reasons);

        var streak = state.UnansweredBusinessCalls.Length;
        var flagged = streak >= _rules.NudgeAfterUnanswered;
        if (flagged && permission.AllowsCalling)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.CustomerNudged, false,
                $"The last {streak} calls went unanswered; Meta has asked the customer to reconsider, and permission is revoked after {_rules.RevokeAfterUnanswered}."));
        }

        var allowed = !reasons.Any(r => r.Blocks);
        DateTimeOffset? nextAllowedAt = allowed
            ? now
            : reasons.Any(r => r.Blocks && r.Until is null) ? null : reasons.Where(r => r.Blocks).Max(r => r.Until);
        var inWindow = connected.Count(t => now - t < _rules.ConnectedCallWindow);

        return new CallDecision(
            allowed, reasons.ToImmutable(), nextAllowedAt, inWindow, left, attemptsLeft, streak, flagged);
    }

    private static ConsentReason? PermissionReason(CallPermission permission) => permission.Status switch
    {
        CallPermissionStatus.Temporary or CallPermissionStatus.Permanent => null,
        CallPermissionStatus.Pending => new ConsentReason(
            ConsentReasonCode.PermissionPending, true,
            $"A permission request is waiting for the customer's answer (it expires at {permission.OpenRequestExpiresAt:u})."),
        CallPermissionStatus.Declined => new ConsentReason(
            ConsentReasonCode.PermissionDeclined, true,
            "The customer declined the permission request."),
        CallPermissionStatus.Revoked when permission.RevokedForUnansweredCalls => new ConsentReason(
            ConsentReasonCode.PermissionRevokedForUnansweredCalls, true,
            "Permission was revoked automatically after consecutive unanswered calls; ask again."),
        CallPermissionStatus.Revoked => new ConsentReason(
            ConsentReasonCode.PermissionRevoked, true,
            "The customer revoked call permission; ask again."),
        CallPermissionStatus.Expired => new ConsentReason(
            ConsentReasonCode.PermissionExpired, true,
            $"Permission expired at {permission.ExpiresAt:u}; ask again."),
        _ => new ConsentReason(
            ConsentReasonCode.NoPermission, true,
            "The customer has not given call permission; send a permission request first."),
    };

    // The respond.io seed's attempts limit after a permanent grant; off unless configured (no Meta rule).
    private int? AttemptsLeft(
        ConsentState state, CallPermission permission, DateTimeOffset now, ImmutableArray<ConsentReason>.Builder reasons)
    {
        if (_rules.MaxAttemptsAfterPermanentGrant is not { } max
            || permission.Status != CallPermissionStatus.Permanent
            || permission.DecidedAt is not { } grantedAt)
        {
            return null;
        }

        var windowEnd = grantedAt + _rules.AttemptsWindowAfterPermanentGrant;
        if (now >= windowEnd)
        {
            return null;
        }

        var attempts = state.ConnectedBusinessCalls.Count(c => c.At >= grantedAt)
            + state.RecentNotAnsweredCalls.Count(c => c.At >= grantedAt);
        if (attempts < max)
        {
            return max - attempts;
        }

        reasons.Add(new ConsentReason(
            ConsentReasonCode.AttemptsLimitReached, true,
            $"{max} call attempts already made since the permanent grant at {grantedAt:u}; the next may be placed at {windowEnd:u}.",
            windowEnd));
        return 0;
    }
}
