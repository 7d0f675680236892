using System.Collections.Frozen;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>Reads <c>value.calls[]</c> (whatsapp-calling-api.md §1.5, §1.6, §1.8, §1.9).</summary>
internal static class CallEventReader
{
    private static readonly FrozenSet<string> KnownCall = FrozenSet.Create(
        StringComparer.Ordinal,
        "id", "event", "timestamp", "direction", "status",
        "from", "from_user_id", "from_parent_user_id", "to", "to_user_id", "to_parent_user_id",
        "session", "connection", "biz_opaque_callback_data", "deeplink_payload", "cta_payload",
        "start_time", "end_time", "duration", "errors", "call_recording", "call_transcription");

    public static void ReadCalls(ChangeContext context, List<WhatsAppEvent> events)
    {
        var index = 0;
        foreach (var item in JsonFields.Items(JsonFields.Array(context.Value, "calls")))
        {
            var path = $"value.calls[{index}]";
            try
            {
                events.Add(ReadCall(context, item, index, path));
            }
            catch (Exception ex) when (WhatsAppEventParser.IsReadFailure(ex))
            {
                events.Add(Invalid(context, item, index, path, ex.Message));
            }

            index++;
        }
    }

    internal static InvalidEvent Invalid(ChangeContext context, JsonElement item, int index, string path, string reason) =>
        new(context.Header(JsonFields.UnixTime(item, "timestamp"), WebhookContact.None, [], index), reason, path, item);

    private static WhatsAppEvent ReadCall(ChangeContext context, JsonElement item, int index, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Invalid(context, item, index, path, "a call event must be an object");
        }

        var id = JsonFields.String(item, "id");
        if (string.IsNullOrWhiteSpace(id))
        {
            return Invalid(context, item, index, path + ".id", "the call event has no id");
        }

        var callId = new CallId(id);
        var direction = ParseDirection(JsonFields.String(item, "direction"));
        var unknown = new List<string>();
        JsonFields.CollectUnknown(item, "value.calls[]", KnownCall, unknown);
        var header = context.Header(JsonFields.UnixTime(item, "timestamp"), UserContact(context, item, direction), unknown, index);
        var bizOpaque = JsonFields.String(item, "biz_opaque_callback_data");
        var eventName = JsonFields.String(item, "event") ?? string.Empty;

        switch (eventName.ToUpperInvariant())
        {
            case "CONNECT":
            {
                var session = JsonFields.Object(item, "session");
                var sdp = session is { } s ? JsonFields.String(s, "sdp") : null;
                var sdpType = session is { } t ? JsonFields.String(t, "sdp_type") : null;
                if (string.IsNullOrWhiteSpace(sdp))
                {
                    // The legacy connection.webrtc copy is not a fallback: Meta says not to use it (§1.6).
                    return Invalid(context, item, index, path + ".session.sdp", "connect without session.sdp");
                }

                sdpType ??= direction == CallDirection.BusinessInitiated ? "answer" : "offer";
                if (direction == CallDirection.Unknown)
                {
                    direction = string.Equals(sdpType, "answer", StringComparison.OrdinalIgnoreCase)
                        ? CallDirection.BusinessInitiated
                        : CallDirection.UserInitiated;
                }

                return new CallConnected(
                    header, callId, direction, sdpType, sdp, bizOpaque,
                    JsonFields.String(item, "deeplink_payload"), JsonFields.String(item, "cta_payload"));
            }

            case "TERMINATE":
            {
                var status = JsonFields.String(item, "status");
                var seconds = JsonFields.Integer(item, "duration");
                var errors = WebhookErrors.Read(JsonFields.Array(item, "errors")).Concat(context.ValueErrors).Distinct().ToList();
                return new CallTerminated(
                    header, callId, direction, ParseOutcome(status), status,
                    JsonFields.UnixTime(item, "start_time"), JsonFields.UnixTime(item, "end_time"),
                    seconds is >= 0 and <= int.MaxValue ? TimeSpan.FromSeconds(seconds.Value) : null,
                    errors, bizOpaque,
                    JsonFields.String(item, "deeplink_payload"), JsonFields.String(item, "cta_payload"));
            }

            case "CALL_RECORDING_AVAILABLE":
                return Artifact(header, callId, item, CallArtifactKind.Recording, "call_recording", bizOpaque);

            case "CALL_TRANSCRIPTION_AVAILABLE":
                return Artifact(header, callId, item, CallArtifactKind.Transcription, "call_transcription", bizOpaque);

            default:
                return new UnknownCallEvent(header, callId, eventName, item, bizOpaque);
        }
    }

    private static CallArtifactAvailable Artifact(EventHeader header, CallId callId, JsonElement item, CallArtifactKind kind, string property, string? bizOpaque)
    {
        // §1.9: call_recording = { type: "audio", audio: { id, sha256, mime_type, url } }; the media object is named by type.
        var artifact = JsonFields.Object(item, property);
        var mediaType = artifact is { } a ? JsonFields.String(a, "type") : null;
        var media = artifact is { } b ? JsonFields.Object(b, mediaType ?? "audio") : null;
        return new CallArtifactAvailable(header, callId, kind, mediaType, media is { } m ? Media.Read(m) : null, bizOpaque);
    }

    /// <summary>
    /// The user is the caller of a user-initiated call and the callee of a business-initiated one. Meta's UIC sample
    /// mislabels from/to (§1.5), so direction decides; without it, the side carrying a BSUID or not the business number.
    /// </summary>
    private static WebhookContact UserContact(ChangeContext context, JsonElement item, CallDirection direction)
    {
        var userIsCaller = direction switch
        {
            CallDirection.UserInitiated => true,
            CallDirection.BusinessInitiated => false,
            _ => JsonFields.String(item, "from_user_id") is not null
                || (JsonFields.String(item, "to_user_id") is null && !context.IsBusinessNumber(JsonFields.String(item, "from"))),
        };
        var side = userIsCaller ? "from" : "to";
        return context.Contact(
            JsonFields.String(item, side + "_user_id"),
            JsonFields.String(item, side),
            JsonFields.String(item, side + "_parent_user_id"));
    }

    internal static CallDirection ParseDirection(string? text) => text?.ToUpperInvariant() switch
    {
        "USER_INITIATED" => CallDirection.UserInitiated,
        "BUSINESS_INITIATED" => CallDirection.BusinessInitiated,
        _ => CallDirection.Unknown,
    };

    // §1.8: reference says FAILED|COMPLETED, guides say "Failed"/"Completed"; pipecat also expects REJECTED.
    private static CallOutcome ParseOutcome(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "COMPLETED" => CallOutcome.Completed,
        "FAILED" => CallOutcome.Failed,
        "REJECTED" => CallOutcome.Rejected,
        _ => CallOutcome.Unknown,
    };
}

/// <summary>Reads a media object (<c>{ id, mime_type, sha256, url }</c>) of a message or a recording.</summary>
internal static class Media
{
    public static MediaReference Read(JsonElement media) => new(
        JsonFields.String(media, "id"),
        JsonFields.String(media, "mime_type"),
        JsonFields.String(media, "sha256"),
        JsonFields.String(media, "url"));
}
