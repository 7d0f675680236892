using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// Everything an agent needs to know about calling one customer, without guessing (issue 6,
/// <c>GET /api/contacts/{contact}/calling</c>): the permission and its expiry, whether a call or a request is possible
/// now and when it will be, the counters behind that, and each reason as a code and a sentence.
/// </summary>
public sealed record EligibilityReport(
    BusinessNumberId BusinessNumber,
    ContactKey Contact,
    DateTimeOffset EvaluatedAt,
    CallPermissionStatus PermissionStatus,
    PermissionSource? PermissionSource,
    DateTimeOffset? PermissionGrantedAt,
    DateTimeOffset? PermissionExpiresAt,
    DateTimeOffset? OpenRequestExpiresAt,
    bool CanCall,
    DateTimeOffset? NextCallAllowedAt,
    int ConnectedCallsLast24Hours,
    int ConnectedCallsLeft24Hours,
    int? AttemptsLeftAfterPermanentGrant,
    int UnansweredStreak,
    bool CustomerFlagged,
    int UnansweredCallsUntilRevocation,
    bool CanRequestPermission,
    RequestChannel RequestChannel,
    DateTimeOffset? NextRequestAllowedAt,
    int RequestsLeftToday,
    int RequestsLeftThisWeek,
    bool WindowOpen,
    DateTimeOffset? WindowOpenUntil,
    bool AwaitingReplyToTemplate,
    ImmutableArray<ConsentReason> CallReasons,
    ImmutableArray<ConsentReason> RequestReasons)
{
    public static EligibilityReport Create(
        ConsentState state, DateTimeOffset now, ConsentRules rules, bool templateAvailable = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);

        var permission = CallPermission.Of(state, now, rules);
        var call = new CallingEligibility(rules).Evaluate(state, now);
        var request = new PermissionRequestPolicy(rules).Evaluate(state, now, templateAvailable);
        var windowOpen = CustomerServiceWindow.IsOpenAt(state, now, rules);

        return new EligibilityReport(
            state.BusinessNumber,
            state.Contact,
            now,
            permission.Status,
            permission.Source,
            permission.Status is CallPermissionStatus.Temporary or CallPermissionStatus.Permanent ? permission.DecidedAt : null,
            permission.ExpiresAt,
            permission.OpenRequestExpiresAt,
            call.Allowed,
            call.NextAllowedAt,
            call.ConnectedCallsInWindow,
            call.ConnectedCallsLeft,
            call.AttemptsLeftAfterPermanentGrant,
            call.UnansweredStreak,
            call.CustomerFlagged,
            Math.Max(0, rules.RevokeAfterUnanswered - call.UnansweredStreak),
            request.Allowed,
            request.Channel,
            request.NextAllowedAt,
            request.RequestsLeftToday,
            request.RequestsLeftThisWeek,
            windowOpen,
            windowOpen ? CustomerServiceWindow.OpenUntil(state, rules) : null,
            windowOpen && CustomerServiceWindow.AwaitingReplyToTemplate(state, now, rules),
            call.Reasons,
            request.Reasons);
    }
}
