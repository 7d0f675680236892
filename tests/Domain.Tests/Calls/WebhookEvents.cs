using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>Parsed call webhooks as the ingest hands them over, with only the fields the call machines read.</summary>
internal static class WebhookEvents
{
    public static EventHeader Header(DateTimeOffset at) =>
        new("calls", "waba-1", CallScenario.Business, "+4930123456", at,
            new WebhookContact(null, CallScenario.Customer.Phone, CallScenario.Customer.Phone?.Digits, null, "Kim", null), [], 0, 0, 0);

    public static CallConnected Connect(CallId call, DateTimeOffset at, bool offer) =>
        new(Header(at), call, offer ? CallDirection.UserInitiated : CallDirection.BusinessInitiated, offer ? "offer" : "answer", "v=0", null, null, null);

    public static CallStatusChanged Status(CallId call, CallStatus status, DateTimeOffset at) =>
        new(Header(at), call, status, status.ToString().ToUpperInvariant(), null);

    public static CallTerminated Terminate(CallId call, DateTimeOffset at, DateTimeOffset? startedAt = null) =>
        new(Header(at), call, CallDirection.Unknown, CallOutcome.Completed, "COMPLETED", startedAt, startedAt is null ? null : at,
            startedAt is { } s ? at - s : null, [], null, null, null);
}
