namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// The numbers the consent rules run on. Defaults are Meta's current limits (whatsapp-calling-api.md §0, §3.5);
/// they are options because Meta has changed them before (the connected-call limit went 5 → 10 → 100) and the
/// sandbox uses other values.
/// </summary>
public sealed record ConsentRules
{
    public static ConsentRules Default { get; } = new();

    /// <summary>Meta's relaxed limits for test numbers and the sandbox (§3.5).</summary>
    public static ConsentRules Sandbox { get; } = new()
    {
        MaxRequestsPerDay = 25,
        MaxRequestsPerWeek = 100,
        NudgeAfterUnanswered = 5,
        RevokeAfterUnanswered = 10,
    };

    /// <summary>Permission requests per pair in <see cref="RequestDayWindow"/> (§3.5: 1 per 24 h).</summary>
    public int MaxRequestsPerDay { get; init; } = 1;

    public TimeSpan RequestDayWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Permission requests per pair in <see cref="RequestWeekWindow"/> (§3.5: 2 per 7 days).</summary>
    public int MaxRequestsPerWeek { get; init; } = 2;

    public TimeSpan RequestWeekWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>After a decline the next request waits this long (product rule from the seeds; issue 6).</summary>
    public TimeSpan WaitAfterDecline { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of a temporary permission when the reply carries no <c>expiration_timestamp</c> (§3.5).</summary>
    public TimeSpan TemporaryPermissionLifetime { get; init; } = TimeSpan.FromHours(168);

    /// <summary>An unanswered request expires this long after it was sent (§3.5).</summary>
    public TimeSpan RequestLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Connected business-initiated calls per pair in <see cref="ConnectedCallWindow"/> (§0: 100, error 138012).</summary>
    public int MaxConnectedCalls { get; init; } = 100;

    public TimeSpan ConnectedCallWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Consecutive unanswered or rejected business calls after which Meta nudges the customer (§3.5).</summary>
    public int NudgeAfterUnanswered { get; init; } = 2;

    /// <summary>Consecutive unanswered or rejected business calls after which Meta revokes the permission (§3.5).</summary>
    public int RevokeAfterUnanswered { get; init; } = 4;

    /// <summary>The customer-service window (§7.3).</summary>
    public TimeSpan CustomerServiceWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Call attempts allowed in <see cref="AttemptsWindowAfterPermanentGrant"/> after a permanent grant. The respond.io
    /// seed cites 5; Meta documents no such limit, so it is off (null) unless configured.
    /// </summary>
    public int? MaxAttemptsAfterPermanentGrant { get; init; }

    public TimeSpan AttemptsWindowAfterPermanentGrant { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How far our expiry may differ from Meta's before <c>GET call_permissions</c> counts as a disagreement.</summary>
    public TimeSpan CorrectionTolerance { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long facts are kept: long enough for every rolling window and for the window before a template.</summary>
    public TimeSpan HistoryRetention =>
        Max(Max(RequestWeekWindow, RequestLifetime), RequestDayWindow) + CustomerServiceWindow;

    /// <summary>Problems that make these rules unusable; empty when valid (checked at start-up by the host).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{name} must be positive.");
            }
        }

        void AtLeastOne(int value, string name)
        {
            if (value < 1)
            {
                problems.Add($"{name} must be at least 1.");
            }
        }

        AtLeastOne(MaxRequestsPerDay, nameof(MaxRequestsPerDay));
        AtLeastOne(MaxRequestsPerWeek, nameof(MaxRequestsPerWeek));
        AtLeastOne(MaxConnectedCalls, nameof(MaxConnectedCalls));
        AtLeastOne(NudgeAfterUnanswered, nameof(NudgeAfterUnanswered));
        AtLeastOne(RevokeAfterUnanswered, nameof(RevokeAfterUnanswered));
        Positive(RequestDayWindow, nameof(RequestDayWindow));
        Positive(RequestWeekWindow, nameof(RequestWeekWindow));
        Positive(WaitAfterDecline, nameof(WaitAfterDecline));
        Positive(TemporaryPermissionLifetime, nameof(TemporaryPermissionLifetime));
        Positive(RequestLifetime, nameof(RequestLifetime));
        Positive(ConnectedCallWindow, nameof(ConnectedCallWindow));
        Positive(CustomerServiceWindow, nameof(CustomerServiceWindow));
        Positive(AttemptsWindowAfterPermanentGrant, nameof(AttemptsWindowAfterPermanentGrant));
        if (MaxAttemptsAfterPermanentGrant is < 1)
        {
            problems.Add($"{nameof(MaxAttemptsAfterPermanentGrant)} must be at least 1 or unset.");
        }

        if (RevokeAfterUnanswered > ConsentState.MaxUnansweredKept)
        {
            problems.Add($"{nameof(RevokeAfterUnanswered)} must be at most {ConsentState.MaxUnansweredKept}.");
        }

        return problems;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
