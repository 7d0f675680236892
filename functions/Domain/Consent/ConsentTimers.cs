namespace WhatsAppCalling.Domain.Consent;

public enum ConsentTimerKind
{
    TemporaryPermissionExpiry,
    RequestExpiry,
}

/// <summary>A durable timer to set: fire at <paramref name="DueAt"/> and call ApplyExpiry with <paramref name="Version"/>.</summary>
public sealed record ConsentTimer(DateTimeOffset DueAt, long Version, ConsentTimerKind Kind);

/// <summary>
/// The expiries Meta never announces (§1.10: no webhook when a temporary permission expires; §3.5: a request expires
/// 7 days after it was sent if ignored), as due times for durable timers. After each state change the store asks
/// for the next timer and sets it when it differs from the one already set; an old timer is stale by version.
/// </summary>
public static class ConsentTimers
{
    /// <summary>The earliest expiry not yet applied, or null when nothing will expire.</summary>
    public static ConsentTimer? Next(ConsentState state, ConsentRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);

        var current = state.CurrentDecision;
        ConsentTimer? permission = current is
            { Kind: PermissionDecisionKind.Temporary, ExpiryApplied: false, ExpiresAt: { } expiresAt }
            ? new ConsentTimer(expiresAt, state.Version, ConsentTimerKind.TemporaryPermissionExpiry)
            : null;

        ConsentTimer? request = state.LatestRequest is { ExpiryApplied: false } latest
            && (current is null || current.DecidedAt < latest.SentAt)
            ? new ConsentTimer(latest.SentAt + rules.RequestLifetime, state.Version, ConsentTimerKind.RequestExpiry)
            : null;

        return (permission, request) switch
        {
            (null, _) => request,
            (_, null) => permission,
            _ => permission.DueAt <= request.DueAt ? permission : request,
        };
    }
}
