using System.Text.Json;
using WhatsAppCalling.Domain.Consent;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>One reason behind an answer: a stable code, whether it blocks, a sentence for the agent, when it lifts.</summary>
public sealed record ConsentReasonResponse(string Code, bool Blocks, string Message, DateTimeOffset? Until)
{
    public static ConsentReasonResponse From(ConsentReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new(ConsentNames.Of(reason.Code), reason.Blocks, reason.Message, reason.Until);
    }
}

public sealed record PermissionResponseBody(
    string Status,
    string? Source,
    DateTimeOffset? GrantedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? OpenRequestExpiresAt);

public sealed record CallAnswerBody(
    bool Allowed,
    DateTimeOffset? NextAllowedAt,
    int ConnectedCallsLast24Hours,
    int ConnectedCallsLeft24Hours,
    int? AttemptsLeftAfterPermanentGrant,
    int UnansweredStreak,
    bool CustomerFlagged,
    int UnansweredCallsUntilRevocation,
    IReadOnlyList<ConsentReasonResponse> Reasons);

public sealed record PermissionRequestAnswerBody(
    bool Allowed,
    string Channel,
    DateTimeOffset? NextAllowedAt,
    int RequestsLeftToday,
    int RequestsLeftThisWeek,
    IReadOnlyList<ConsentReasonResponse> Reasons);

public sealed record WindowBody(bool Open, DateTimeOffset? OpenUntil, bool AwaitingReplyToTemplate);

public sealed record CorrectionBody(string Description, DateTimeOffset ObservedAt);

/// <summary>The body of <c>GET /api/contacts/{contact}/calling</c> (docs/API.md explains every field).</summary>
public sealed record CallingEligibilityResponse(
    string PhoneNumberId,
    string Contact,
    DateTimeOffset EvaluatedAt,
    PermissionResponseBody Permission,
    CallAnswerBody Call,
    PermissionRequestAnswerBody PermissionRequest,
    WindowBody Window,
    CorrectionBody? LastCorrection)
{
    public static CallingEligibilityResponse From(EligibilityReport report, StoredConsent? stored = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.BusinessNumber.Value,
            report.Contact.Value,
            report.EvaluatedAt,
            new PermissionResponseBody(
                ConsentNames.Of(report.PermissionStatus),
                report.PermissionSource is { } source ? ConsentNames.Of(source) : null,
                report.PermissionGrantedAt,
                report.PermissionExpiresAt,
                report.OpenRequestExpiresAt),
            new CallAnswerBody(
                report.CanCall,
                report.NextCallAllowedAt,
                report.ConnectedCallsLast24Hours,
                report.ConnectedCallsLeft24Hours,
                report.AttemptsLeftAfterPermanentGrant,
                report.UnansweredStreak,
                report.CustomerFlagged,
                report.UnansweredCallsUntilRevocation,
                [.. report.CallReasons.Select(ConsentReasonResponse.From)]),
            new PermissionRequestAnswerBody(
                report.CanRequestPermission,
                ConsentNames.Of(report.RequestChannel),
                report.NextRequestAllowedAt,
                report.RequestsLeftToday,
                report.RequestsLeftThisWeek,
                [.. report.RequestReasons.Select(ConsentReasonResponse.From)]),
            new WindowBody(report.WindowOpen, report.WindowOpenUntil, report.AwaitingReplyToTemplate),
            stored is { LastCorrection: { } text, LastCorrectedAt: { } at } ? new CorrectionBody(text, at) : null);
    }
}

/// <summary>The body of an accepted <c>POST /api/contacts/{contact}/permission-requests</c>.</summary>
public sealed record PermissionRequestSentResponse(
    string MessageId,
    string Channel,
    string? TemplateName,
    DateTimeOffset SentAt,
    CallingEligibilityResponse Eligibility);

/// <summary>The body of <c>POST /api/contacts/{contact}/calling/refresh</c>.</summary>
public sealed record PermissionRefreshResponse(
    string MetaStatus,
    DateTimeOffset? MetaExpiresAt,
    bool Corrected,
    string? Correction,
    CallingEligibilityResponse Eligibility);

/// <summary>Enum values as the API spells them: camelCase names, stable across reordering of members.</summary>
public static class ConsentNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
