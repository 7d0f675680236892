using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>Structured logs of the consent feature. Phone numbers are shortened; BSUIDs are pseudonymous and kept.</summary>
internal static partial class ConsentLog
{
    /// <summary>A BSUID as is; a number-based key reduced to its last four digits (style: no personal data in logs).</summary>
    public static string Redact(ContactKey contact) =>
        contact.IsBsuid ? contact.Value : "wa:…" + contact.Value[^Math.Min(4, contact.Value.Length - 3)..];

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Consent {Event} applied for {Contact} on {BusinessNumberId}: permission {Status}.")]
    public static partial void Applied(ILogger logger, string @event, string contact, string businessNumberId, string status);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Consent event {EventType} ignored: {Why}.")]
    public static partial void Ignored(ILogger logger, string eventType, string why);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Consent timer {TimerKind} for {BusinessNumberId}/{Contact} v{Version} scheduled at {DueAt:o}.")]
    public static partial void TimerScheduled(ILogger logger, string timerKind, string businessNumberId, string contact, long version, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Consent timer record for {BusinessNumberId}/{Contact} lost a race; the next writer checks again.")]
    public static partial void TimerRecordRaced(ILogger logger, string businessNumberId, string contact);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Consent expiry timer for {BusinessNumberId}/{Contact} v{Version}: {Outcome}.")]
    public static partial void ExpiryHandled(ILogger logger, string businessNumberId, string contact, long version, string outcome);


    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "Permission request {MessageId} sent to {Contact} on {BusinessNumberId} as {Channel} by {AgentId}.")]
    public static partial void RequestSent(ILogger logger, string messageId, string contact, string businessNumberId, string channel, string agentId);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Permission request to {Contact} on {BusinessNumberId} refused by our rules: {Reasons}.")]
    public static partial void RequestRefused(ILogger logger, string contact, string businessNumberId, string reasons);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Graph refused {Operation} for {Contact} on {BusinessNumberId}: code {Code}, reason {Reason}, trace {FbTraceId}.")]
    public static partial void GraphFailed(ILogger logger, string operation, string contact, string businessNumberId, int code, string reason, string? fbTraceId);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Meta's call permission for {Contact} on {BusinessNumberId} disagreed with ours and won: {Correction}")]
    public static partial void Corrected(ILogger logger, string contact, string businessNumberId, string correction);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Consent facts stored under a number moved to {Bsuid} on {BusinessNumberId} ({Events} events).")]
    public static partial void Adopted(ILogger logger, string businessNumberId, string bsuid, int events);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Debug, Message = "The number-keyed consent row for {Bsuid} on {BusinessNumberId} changed while it was moved; the next event moves the rest.")]
    public static partial void AdoptionDeferred(ILogger logger, string businessNumberId, string bsuid);
}
