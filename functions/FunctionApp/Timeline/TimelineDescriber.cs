using System.Globalization;
using System.Text.Json;
using WhatsAppCalling.Domain.Webhooks;

namespace WhatsAppCalling.FunctionApp.Timeline;

/// <summary>Turns a typed webhook event into the timeline's kind, summary and details (pure).</summary>
public static class TimelineDescriber
{
    public sealed record Description(string Kind, string Summary, string? CallId, string? MessageId, string? Direction, string? Status, string? Details);

    /// <returns>Null for events that do not belong on a contact's or number's timeline.</returns>
    public static Description? Describe(WhatsAppEvent evt) => evt switch
    {
        CallConnected c when c.Direction == CallDirection.UserInitiated =>
            Call(c, "call.incoming", "Incoming WhatsApp call", "user_initiated", null),
        CallConnected c =>
            Call(c, "call.connecting", "Outbound call connecting (Meta answered the offer)", Dir(c.Direction), null),
        CallStatusChanged s => Call(s, "call." + s.RawStatus.ToLowerInvariant(), s.Status switch
        {
            CallStatus.Ringing => "Customer's phone is ringing",
            CallStatus.Accepted => "Customer answered the call",
            CallStatus.Rejected => "Customer declined the call",
            _ => $"Call status {s.RawStatus}",
        }, null, s.RawStatus),
        CallTerminated t => Terminated(t),
        CallArtifactAvailable a => Call(a, "call." + a.Kind.ToString().ToLowerInvariant(), $"Call {a.Kind.ToString().ToLowerInvariant()} available", null, null),
        UnknownCallEvent u => Call(u, "call.other", $"Call event '{u.EventName}'", null, null),
        CallPermissionReply r => Permission(r),
        VoicemailReceived v => new Description("voicemail.received", "Voicemail received", v.CallId.Value, v.MessageId, "user_initiated", null, v.Audio.Id),
        UserMessage m => new Description("message.received", m.MessageType == "text" ? "Message received" : $"Message received ({m.MessageType})",
            null, m.MessageId, "inbound", null, m.Text is null ? null : Truncate(m.Text, 500)),
        MessageStatusChanged s => new Description("message." + s.RawStatus.ToLowerInvariant(), $"Message {s.RawStatus.ToLowerInvariant()}",
            null, s.MessageId, "outbound", s.RawStatus, Errors(s.Errors)),
        CallingSettingsUpdated s => new Description("settings.calling", $"Calling settings updated (calling {s.Status ?? "unchanged"})",
            null, null, null, s.Status, s.Calling.ValueKind == JsonValueKind.Undefined ? null : Truncate(s.Calling.GetRawText(), 2000)),
        AccountUpdated a => new Description("account." + a.Kind.ToString().ToLowerInvariant(),
            a.Kind switch
            {
                AccountUpdateKind.Violation => $"Calling quality warning: {a.ViolationType}",
                AccountUpdateKind.Restriction => "Calling restricted: " + string.Join(", ", a.Restrictions.Select(r => r.RestrictionType)),
                _ => $"Account update {a.EventName}",
            },
            null, null, null, a.EventName, null),
        _ => null,
    };

    private static Description Terminated(CallTerminated t)
    {
        var userInitiated = t.Direction == CallDirection.UserInitiated;
        var errors = Errors(t.Errors);
        if (t.WasPickedUp)
        {
            var duration = t.Duration is { } d ? $" after {(int)d.TotalMinutes}m {d.Seconds:00}s" : string.Empty;
            var summary = t.Outcome == CallOutcome.Failed ? $"Call failed{duration}" : $"Call ended{duration}";
            return new Description("call.ended", summary, t.CallId.Value, null, Dir(t.Direction), t.RawStatus,
                Join(t.Duration is { } s ? "duration=" + ((long)s.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null, errors));
        }

        // Not picked up: a customer's call nobody answered is a missed call to follow up (seed: missed calls are contact events).
        return userInitiated
            ? new Description("call.missed", "Missed call", t.CallId.Value, null, "user_initiated", t.RawStatus, errors)
            : new Description("call.unanswered", t.Outcome == CallOutcome.Failed ? "Outbound call failed" : "Outbound call not answered",
                t.CallId.Value, null, "business_initiated", t.RawStatus, errors);
    }

    private static Description Permission(CallPermissionReply r)
    {
        var accepted = r.Response == PermissionResponse.Accept;
        var automatic = r.Source == PermissionResponseSource.Automatic;
        var (kind, summary) = (accepted, automatic) switch
        {
            (true, true) when r.ContextCallId is not null => ("callback.requested", "Callback requested (temporary permission after the customer's call)"),
            (true, _) when r.IsPermanent == true => ("permission.granted", "Call permission granted (permanent)"),
            (true, _) => ("permission.granted", "Call permission granted (temporary" +
                (r.ExpiresAt is { } until ? $", until {until.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty) + ")"),
            (false, true) => ("permission.revoked", "Call permission revoked automatically after unanswered calls"),
            (false, false) => ("permission.declined", "Customer declined or revoked call permission"),
        };
        return new Description(kind, summary, r.ContextCallId?.Value, r.MessageId, "inbound", r.RawResponse,
            Join(r.ExpiresAt is { } e ? "expires=" + e.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : null, r.ContextMessageId is { } c ? "request=" + c : null));
    }

    private static Description Call(CallEvent c, string kind, string summary, string? direction, string? status) =>
        new(kind, summary, c.CallId.Value, null, direction, status, null);

    private static string? Dir(CallDirection direction) => direction switch
    {
        CallDirection.UserInitiated => "user_initiated",
        CallDirection.BusinessInitiated => "business_initiated",
        _ => null,
    };

    private static string? Errors(IReadOnlyList<WhatsAppError> errors) =>
        errors.Count == 0 ? null : "errors=" + string.Join(";", errors.Select(e => $"{e.Code}:{e.Title ?? e.Message}"));

    private static string? Join(params string?[] parts) =>
        parts.Any(p => p is not null) ? string.Join(" ", parts.Where(p => p is not null)) : null;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
