using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// The identity of an event across Meta's redeliveries (whatsapp-calling-api.md §1.4: call id + event, plus the
/// status for status events): the parts as Meta sent them, joined by ':', long keys shortened with a hash. Ids may
/// hold characters Table Storage keys forbid ('/' in Base64 call ids); the table client escapes those itself.
/// </summary>
public readonly record struct IdempotencyKey
{
    // The table client may store a character as three ('/' as %2F) and a RowKey holds 512 UTF-16 characters, so a
    // key of this length still fits three times over, with room for a timeline row's time prefix.
    public const int MaxLength = 160;

    private IdempotencyKey(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static IdempotencyKey For(WhatsAppEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return evt switch
        {
            CallConnected c => Create("call", c.CallId.Value, "connect"),
            CallStatusChanged s => Create("call", s.CallId.Value, "status", s.RawStatus.Trim().ToUpperInvariant()),
            CallTerminated t => Create("call", t.CallId.Value, "terminate"),
            CallArtifactAvailable a => Create("call", a.CallId.Value, a.Kind == CallArtifactKind.Recording
                ? "call_recording_available"
                : "call_transcription_available"),
            UnknownCallEvent u => Create("call", u.CallId.Value, u.EventName.Trim().ToLowerInvariant()),
            InboundMessage m => Create("msg", m.MessageId),
            MessageStatusChanged s => Create("msgstatus", s.MessageId, s.RawStatus.Trim().ToLowerInvariant()),

            // No id of their own: the content identifies them; the time keeps a later identical change distinct.
            CallingSettingsUpdated s => Create("settings", s.BusinessNumberId?.Value ?? "-", ContentHash(s, Raw(s.Calling))),
            AccountUpdated a => Create("account", ContentHash(a, Raw(a.Raw))),
            UnknownChangeEvent u => Create("change", u.Field, ContentHash(u, Raw(u.Value))),
            InvalidEvent i => Create("invalid", i.Header.Field, ContentHash(i, i.Path + "\n" + Raw(i.Raw))),
            _ => Create("event", evt.GetType().Name, ContentHash(evt, evt.ToString())),
        };
    }

    private static IdempotencyKey Create(params string[] parts)
    {
        var value = string.Join(':', parts);
        if (value.Length > MaxLength)
        {
            // Keep the readable kind prefix; the hash of the whole key keeps distinct keys distinct.
            value = parts[0] + ":sha256:" + Hash(value);
        }

        return new IdempotencyKey(value);
    }

    // A change without a value keeps a default element, whose raw text cannot be read.
    private static string Raw(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? string.Empty : element.GetRawText();

    private static string ContentHash(WhatsAppEvent evt, string content) =>
        Hash($"{evt.Timestamp?.ToUnixTimeSeconds()}\n{content}");

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Meta says to judge call events by their <c>timestamp</c> and make no Graph call for stale ones
/// (whatsapp-calling-api.md §1.4). An event without a timestamp cannot be shown stale and is treated as fresh.
/// </summary>
public static class StaleEventPolicy
{
    public static bool IsStale(WhatsAppEvent evt, DateTimeOffset receivedAt, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return evt.Timestamp is { } at && receivedAt - at > staleAfter;
    }
}
