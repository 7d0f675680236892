namespace WhatsAppCalling.Domain.Consent;

public enum CallPermissionStatus
{
    /// <summary>Never asked, or Meta reports no permission.</summary>
    None,

    /// <summary>A request is out and unanswered (expires 7 days after it was sent, §3.5).</summary>
    Pending,

    Temporary,
    Permanent,

    /// <summary>The customer declined; they may still approve until the request expires (§3.5).</summary>
    Declined,

    /// <summary>Revoked by the customer, by Meta after unanswered calls, or by our own count of them.</summary>
    Revoked,

    /// <summary>A temporary permission ran out (Meta sends no webhook for this, §1.10).</summary>
    Expired,
}

/// <summary>The permission as it stands at one instant, derived from <see cref="ConsentState"/>.</summary>
public sealed record CallPermission(
    CallPermissionStatus Status,
    PermissionSource? Source,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? OpenRequestExpiresAt,
    bool RevokedForUnansweredCalls)
{
    public bool AllowsCalling => Status is CallPermissionStatus.Temporary or CallPermissionStatus.Permanent;

    public static CallPermission Of(ConsentState state, DateTimeOffset now, ConsentRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);

        var decision = EffectiveDecision(state, rules);
        var openRequestExpiresAt = OpenRequestExpiry(state, decision, now, rules);
        var streakRevoked = decision is { Kind: PermissionDecisionKind.Revoked, Source: PermissionSource.AutomaticRevocation };

        CallPermission With(CallPermissionStatus status) => new(
            status, decision?.Source, decision?.DecidedAt, decision?.ExpiresAt, openRequestExpiresAt, streakRevoked);

        if (decision is { Kind: PermissionDecisionKind.Permanent })
        {
            return With(CallPermissionStatus.Permanent);
        }

        if (decision is { Kind: PermissionDecisionKind.Temporary } && now < decision.ExpiresAt)
        {
            return With(CallPermissionStatus.Temporary);
        }

        var request = state.LatestRequest;
        if (openRequestExpiresAt is not null && request is not null && (decision is null || request.SentAt > decision.DecidedAt))
        {
            return new CallPermission(CallPermissionStatus.Pending, null, null, null, openRequestExpiresAt, false);
        }

        return With(decision?.Kind switch
        {
            PermissionDecisionKind.Temporary => CallPermissionStatus.Expired,
            PermissionDecisionKind.Declined => CallPermissionStatus.Declined,
            PermissionDecisionKind.Revoked => CallPermissionStatus.Revoked,
            _ => CallPermissionStatus.None,
        });
    }

    /// <summary>
    /// The stored decision, unless our own count of unanswered calls reached the revocation threshold after it: Meta
    /// revokes then (§3.5) and its webhook may come late or not at all.
    /// </summary>
    internal const string StreakRevocationId = "unanswered-streak";

    internal static PermissionDecision? EffectiveDecision(ConsentState state, ConsentRules rules)
    {
        var streak = state.UnansweredBusinessCalls;
        if (streak.Length < rules.RevokeAfterUnanswered)
        {
            return state.CurrentDecision;
        }

        var revokedAt = streak[rules.RevokeAfterUnanswered - 1].At;
        return state.CurrentDecision is { } current && current.DecidedAt > revokedAt
            ? current
            : new PermissionDecision(
                PermissionDecisionKind.Revoked, PermissionSource.AutomaticRevocation, revokedAt, null, StreakRevocationId, null);
    }

    /// <summary>
    /// When the newest request stops being answerable, unless a grant after it already answered it. Meta counts the
    /// 7 days from delivery (§3.5); we count from sending, which is at most the delivery delay early and only affects
    /// what we display: a reply that arrives later is applied all the same.
    /// </summary>
    private static DateTimeOffset? OpenRequestExpiry(
        ConsentState state, PermissionDecision? decision, DateTimeOffset now, ConsentRules rules)
    {
        if (state.LatestRequest is not { } request)
        {
            return null;
        }

        var expiresAt = request.SentAt + rules.RequestLifetime;
        var answeredByGrant = decision is { IsGrant: true } && decision.DecidedAt >= request.SentAt;
        return now < expiresAt && !answeredByGrant ? expiresAt : null;
    }
}
