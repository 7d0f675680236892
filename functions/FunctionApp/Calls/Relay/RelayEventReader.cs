using System.Globalization;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>A body that is not a valid relay event, naming the offending field (e.g. <c>data.digit</c>).</summary>
public sealed record RelayEventError(string Field, string Message);

/// <summary>Either a typed event or the reason the body is not one.</summary>
public sealed record RelayEventReadResult(RelayEvent? Event, RelayEventError? Error)
{
    public static implicit operator RelayEventReadResult(RelayEvent relayEvent) => new(relayEvent, null);

    public static implicit operator RelayEventReadResult(RelayEventError error) => new(null, error);
}

/// <summary>
/// Validates an event body against docs/RELAY-API.md, "Events", at the edge, so sinks only ever see typed,
/// complete events. Unknown types are refused: the function app must learn a type before the relay sends it.
/// </summary>
public static class RelayEventReader
{
    private const int MaxIdLength = 200;

    public static RelayEventReadResult Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail("body", "The body must be a JSON object.");
        }

        if (Text(body, "eventId") is not { Length: > 0 and <= MaxIdLength } eventId)
        {
            return Fail("eventId", $"eventId is required (1-{MaxIdLength} characters).");
        }

        var type = Text(body, "type");
        if (type is not (MediaConnected.WireType or MediaLost.WireType or DtmfReceived.WireType or QualityReport.WireType or RecordingReady.WireType))
        {
            return Fail("type", "type must be media_connected, media_lost, dtmf, quality_report or recording_ready.");
        }

        if (Text(body, "sessionId") is not { Length: > 0 and <= MaxIdLength } sessionId)
        {
            return Fail("sessionId", "sessionId (the call id) is required.");
        }

        // Every event but recording_ready concerns one leg; a recording covers the whole session.
        var legId = Text(body, "legId");
        if (legId is not null && (legId.Length is 0 or > 64))
        {
            return Fail("legId", "legId must be 1-64 characters.");
        }

        if (legId is null && type != RecordingReady.WireType)
        {
            return Fail("legId", $"legId is required for {type}.");
        }

        if (Text(body, "at") is not { } atText ||
            !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ||
            !atText.Contains('T', StringComparison.Ordinal))
        {
            return Fail("at", "at must be an RFC 3339 timestamp with an offset, e.g. 2026-11-22T03:00:00Z.");
        }

        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var call = new CallId(sessionId);
        switch (type)
        {
            case MediaConnected.WireType:
                return new MediaConnected(eventId, call, legId, at, Text(data, "remoteAddress"));
            case MediaLost.WireType:
                return Text(data, "reason") is { Length: > 0 } reason
                    ? new MediaLost(eventId, call, legId, at, reason)
                    : Fail("data.reason", "data.reason is required for media_lost.");
            case DtmfReceived.WireType:
                if (Text(data, "digit") is not { Length: 1 } digit || !"0123456789*#ABCD".Contains(digit[0], StringComparison.Ordinal))
                {
                    return Fail("data.digit", "data.digit must be one of 0-9, *, #, A-D.");
                }

                var duration = Number(data, "durationMs");
                return duration is < 0
                    ? Fail("data.durationMs", "data.durationMs must not be negative.")
                    : new DtmfReceived(eventId, call, legId, at, digit, duration is { } ms ? (int)ms : null);
            case QualityReport.WireType:
                return ReadQuality(eventId, call, legId, at, data);
            default:
                if (Text(data, "uri") is not { } uriText || !Uri.TryCreate(uriText, UriKind.Absolute, out var location))
                {
                    return Fail("data.uri", "data.uri must be an absolute URL.");
                }

                return Number(data, "durationSeconds") is { } seconds and >= 0
                    ? new RecordingReady(eventId, call, legId, at, location, Text(data, "contentType") ?? "audio/ogg", seconds)
                    : Fail("data.durationSeconds", "data.durationSeconds is required and must not be negative.");
        }
    }

    private static RelayEventReadResult ReadQuality(string eventId, CallId call, string? legId, DateTimeOffset at, JsonElement data)
    {
        foreach (var field in new[] { "packetsReceived", "packetsLost", "jitterMs" })
        {
            if (Number(data, field) is not >= 0)
            {
                return Fail("data." + field, $"data.{field} is required and must not be negative.");
            }
        }

        var mos = Number(data, "mos");
        if (mos is < 1 or > 5)
        {
            return Fail("data.mos", "data.mos must be between 1 and 5.");
        }

        var rtt = Number(data, "roundTripMs");
        if (rtt is < 0)
        {
            return Fail("data.roundTripMs", "data.roundTripMs must not be negative.");
        }

        return new QualityReport(eventId, call, legId, at,
            (long)Number(data, "packetsReceived")!.Value, (long)Number(data, "packetsLost")!.Value, Number(data, "jitterMs")!.Value, rtt, mos);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private static RelayEventError Fail(string field, string message) => new(field, message);
}
