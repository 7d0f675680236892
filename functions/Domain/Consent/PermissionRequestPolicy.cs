using System.Collections.Immutable;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>Whether a permission request may go now, by which channel, and why not.</summary>
public sealed record PermissionRequestDecision(
    bool Allowed,
    RequestChannel Channel,
    ImmutableArray<ConsentReason> Reasons,
    DateTimeOffset? NextAllowedAt,
    int RequestsLeftToday,
    int RequestsLeftThisWeek);

/// <summary>
/// May we ask this customer for call permission now (whatsapp-calling-api.md §3.1, §3.5; issue 6)? At most 1 request
/// per 24 h and 2 per 7 days, both reset by any connected call; never while a permanent permission exists (138017);
/// 24 h after a decline; free-form only inside the window and, after one of our templates opened the conversation,
/// only once the customer has written back; otherwise as the configured template.
/// </summary>
public sealed class PermissionRequestPolicy(ConsentRules rules)
{
    private readonly ConsentRules _rules = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <param name="templateAvailable">Whether a permission-request template is configured for use outside the window.</param>
    public PermissionRequestDecision Evaluate(ConsentState state, DateTimeOffset now, bool templateAvailable = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reasons = ImmutableArray.CreateBuilder<ConsentReason>();
        var permission = CallPermission.Of(state, now, _rules);

        if (permission.Status == CallPermissionStatus.Permanent)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.PermanentPermissionExists, true,
                "The customer has already granted permanent permission; Meta refuses further requests (138017)."));
        }

        var counted = CountedRequests(state, now);
        var (leftToday, todayUntil) = Limit(counted, now, _rules.MaxRequestsPerDay, _rules.RequestDayWindow);
        var (leftThisWeek, weekUntil) = Limit(counted, now, _rules.MaxRequestsPerWeek, _rules.RequestWeekWindow);
        if (todayUntil is not null)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.DailyRequestLimitReached, true,
                $"{_rules.MaxRequestsPerDay} permission request(s) already sent in the last {Hours(_rules.RequestDayWindow)}; the next may go at {todayUntil:u}.",
                todayUntil));
        }

        if (weekUntil is not null)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.WeeklyRequestLimitReached, true,
                $"{_rules.MaxRequestsPerWeek} permission requests already sent in the last {Hours(_rules.RequestWeekWindow)}; the next may go at {weekUntil:u}.",
                weekUntil));
        }

        if (state.Decision is { Kind: PermissionDecisionKind.Declined } declined
            && permission.Status == CallPermissionStatus.Declined
            && now < declined.DecidedAt + _rules.WaitAfterDecline)
        {
            var until = declined.DecidedAt + _rules.WaitAfterDecline;
            reasons.Add(new ConsentReason(
                ConsentReasonCode.RecentlyDeclined, true,
                $"The customer declined at {declined.DecidedAt:u}; a new request may go {Hours(_rules.WaitAfterDecline)} later, at {until:u}.",
                until));
        }

        var channel = ChooseChannel(state, now, templateAvailable, reasons);
        var allowed = !reasons.Any(r => r.Blocks);
        DateTimeOffset? nextAllowedAt = allowed
            ? now
            : reasons.Any(r => r.Blocks && r.Until is null) ? null : reasons.Where(r => r.Blocks).Max(r => r.Until);

        return new PermissionRequestDecision(allowed, channel, reasons.ToImmutable(), nextAllowedAt, leftToday, leftThisWeek);
    }

    private RequestChannel ChooseChannel(
        ConsentState state, DateTimeOffset now, bool templateAvailable, ImmutableArray<ConsentReason>.Builder reasons)
    {
        if (!CustomerServiceWindow.IsOpenAt(state, now, _rules))
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.WindowClosedTemplateRequired, false,
                "The customer has not written or called in the last 24 hours, so the request goes as the permission-request template."));
        }
        else if (CustomerServiceWindow.AwaitingReplyToTemplate(state, now, _rules))
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.AwaitingReplyToTemplate, false,
                "Our template opened this conversation and the customer has not replied yet, so the request goes as the permission-request template."));
        }
        else
        {
            return RequestChannel.FreeForm;
        }

        if (!templateAvailable)
        {
            reasons.Add(new ConsentReason(
                ConsentReasonCode.NoTemplateConfigured, true,
                "No permission-request template is configured, and a free-form request is not possible now."));
        }

        return RequestChannel.Template;
    }

    // Requests at or before the newest connected call no longer count (§3.5: "reset by any connected call").
    private static List<DateTimeOffset> CountedRequests(ConsentState state, DateTimeOffset now) =>
        state.Requests
            .Where(r => (state.RequestLimitsResetAt is not { } reset || r.SentAt > reset) && r.SentAt <= now)
            .Select(r => r.SentAt)
            .ToList();

    /// <summary>Requests left in a rolling window, and when the limit lifts if none are left.</summary>
    internal static (int Left, DateTimeOffset? Until) Limit(
        IReadOnlyList<DateTimeOffset> sortedTimes, DateTimeOffset now, int max, TimeSpan window)
    {
        var inWindow = sortedTimes.Where(t => now - t < window).ToList();
        if (inWindow.Count < max)
        {
            return (max - inWindow.Count, null);
        }

        // The limit lifts once enough of the oldest entries have left the window to bring the count below max.
        return (0, inWindow[inWindow.Count - max] + window);
    }

    internal static string Hours(TimeSpan span) =>
        span.TotalHours % 24 == 0 && span.TotalHours >= 48 ? $"{span.TotalDays:0} days" : $"{span.TotalHours:0} hours";
}
