namespace FakeMeta.Simulation;

/// <summary>
/// Meta's state for one (business number, user) pair: the permission, the request counters and the
/// connected/unanswered business-initiated call history (whatsapp-calling-api.md §3.5). Not thread-safe: the
/// simulator holds its lock around every use.
/// </summary>
public sealed class PermissionPair
{
    private readonly List<DateTimeOffset> requests = [];
    private readonly List<DateTimeOffset> connectedBusinessCalls = [];

    public PermissionKind Kind { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public int UnansweredStreak { get; private set; }

    public PermissionKind EffectiveKind(DateTimeOffset now) =>
        Kind == PermissionKind.Temporary && ExpiresAt <= now ? PermissionKind.None : Kind;

    public void Grant(PermissionKind kind, DateTimeOffset now)
    {
        Kind = kind;
        ExpiresAt = kind == PermissionKind.Temporary ? now + PermissionLimits.TemporaryPermissionLifetime : null;
    }

    public void Revoke()
    {
        Kind = PermissionKind.None;
        ExpiresAt = null;
    }

    public int RequestsWithin(TimeSpan window, DateTimeOffset now) => requests.Count(t => t > now - window);

    public int ConnectedCallsWithin(TimeSpan window, DateTimeOffset now) => connectedBusinessCalls.Count(t => t > now - window);

    /// <summary>When the oldest counted connected call leaves the 24 h window (138012's "next allowed time").</summary>
    public DateTimeOffset? NextCallAllowedAt(DateTimeOffset now) =>
        connectedBusinessCalls.Where(t => t > now - TimeSpan.FromDays(1)).Order().Select(t => (DateTimeOffset?)(t + TimeSpan.FromDays(1))).FirstOrDefault();

    /// <summary>The error code a permission request gets now, or null when it may be sent (§3.5).</summary>
    public int? RefuseRequest(DateTimeOffset now, PermissionLimits limits)
    {
        if (EffectiveKind(now) == PermissionKind.Permanent)
        {
            return 138017;
        }

        return RequestsWithin(TimeSpan.FromDays(1), now) >= limits.RequestsPer24Hours
            || RequestsWithin(TimeSpan.FromDays(7), now) >= limits.RequestsPer7Days
            ? 138009
            : null;
    }

    public void RecordRequest(DateTimeOffset now) => requests.Add(now);

    /// <summary>Any connected call, either direction, resets the request counters (§3.5).</summary>
    public void RecordConnectedCall(CallDirection direction, DateTimeOffset now)
    {
        requests.Clear();
        if (direction == CallDirection.BusinessInitiated)
        {
            connectedBusinessCalls.Add(now);
            UnansweredStreak = 0;
        }
    }

    /// <summary>Counts an unanswered or rejected business-initiated call and says what Meta does about it (§3.5).</summary>
    public StreakOutcome RecordUnanswered(PermissionLimits limits)
    {
        UnansweredStreak++;
        if (UnansweredStreak >= limits.UnansweredCallsBeforeRevoke)
        {
            UnansweredStreak = 0;
            var hadPermission = Kind != PermissionKind.None;
            Revoke();
            return hadPermission ? StreakOutcome.Revoked : StreakOutcome.None;
        }

        return UnansweredStreak == limits.UnansweredCallsBeforeNudge ? StreakOutcome.Nudged : StreakOutcome.None;
    }
}

public enum StreakOutcome
{
    None,
    Nudged,
    Revoked,
}
