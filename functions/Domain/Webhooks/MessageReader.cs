using System.Collections.Frozen;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// Reads <c>value.messages[]</c>: the call permission reply (whatsapp-calling-api.md §1.10), voicemail (§1.11) and
/// every other inbound user message, whatever its type, since each one opens the service window (§7.3).
/// </summary>
internal static class MessageReader
{
    private static readonly FrozenSet<string> KnownMessage = FrozenSet.Create(
        StringComparer.Ordinal,
        "id", "from", "from_user_id", "from_parent_user_id", "timestamp", "type", "context", "errors");

    private static readonly FrozenSet<string> KnownReply = FrozenSet.Create(
        StringComparer.Ordinal, "response", "is_permanent", "expiration_timestamp", "response_source");

    public static void Read(ChangeContext context, List<WhatsAppEvent> events)
    {
        var index = 0;
        foreach (var item in JsonFields.Items(JsonFields.Array(context.Value, "messages")))
        {
            var path = $"value.messages[{index}]";
            try
            {
                events.Add(ReadMessage(context, item, index, path));
            }
            catch (Exception ex) when (WhatsAppEventParser.IsReadFailure(ex))
            {
                events.Add(CallEventReader.Invalid(context, item, index, path, ex.Message));
            }

            index++;
        }
    }

    private static WhatsAppEvent ReadMessage(ChangeContext context, JsonElement item, int index, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return CallEventReader.Invalid(context, item, index, path, "a message must be an object");
        }

        var id = JsonFields.String(item, "id");
        if (string.IsNullOrWhiteSpace(id))
        {
            return CallEventReader.Invalid(context, item, index, path + ".id", "the message has no id");
        }

        var type = JsonFields.String(item, "type") ?? string.Empty;
        var unknown = new List<string>();
        foreach (var property in item.EnumerateObject())
        {
            // The object named by the message type (text, audio, interactive ...) is the message body, not unknown.
            if (!KnownMessage.Contains(property.Name) && property.Name != type)
            {
                unknown.Add("value.messages[]." + property.Name);
            }
        }

        var contact = context.Contact(
            JsonFields.String(item, "from_user_id"),
            JsonFields.String(item, "from"),
            JsonFields.String(item, "from_parent_user_id"));
        var contextObject = JsonFields.Object(item, "context");
        var contextId = contextObject is { } c ? JsonFields.String(c, "id") : null;
        var body = JsonFields.Object(item, type);

        if (Is(type, "interactive") && body is { } interactive
            && Is(JsonFields.String(interactive, "type"), "call_permission_reply")
            && JsonFields.Object(interactive, "call_permission_reply") is { } reply)
        {
            JsonFields.CollectUnknown(reply, "value.messages[].interactive.call_permission_reply", KnownReply, unknown);
            var header = context.Header(JsonFields.UnixTime(item, "timestamp"), contact, unknown, index);
            return PermissionReply(header, id, contextId, reply);
        }

        var messageHeader = context.Header(JsonFields.UnixTime(item, "timestamp"), contact, unknown, index);
        var media = body is { } b && JsonFields.TryGet(b, "id", out _) ? Media.Read(b) : null;

        // §1.11: a voicemail is an audio message whose id is the wacid of the call that went unanswered.
        if (Is(type, "audio") && media is not null && id.StartsWith("wacid.", StringComparison.Ordinal))
        {
            return new VoicemailReceived(messageHeader, new CallId(id), media);
        }

        var text = Is(type, "text") && body is { } t ? JsonFields.String(t, "body") : null;
        return new UserMessage(messageHeader, id, type, contextId, text, media, item);
    }

    private static bool Is(string? text, string expected) => string.Equals(text, expected, StringComparison.OrdinalIgnoreCase);

    private static CallPermissionReply PermissionReply(EventHeader header, string id, string? contextId, JsonElement reply)
    {
        var response = JsonFields.String(reply, "response");
        var source = JsonFields.String(reply, "response_source");
        return new CallPermissionReply(
            header,
            id,
            contextId,
            response?.Trim().ToUpperInvariant() switch
            {
                "ACCEPT" => PermissionResponse.Accept,
                "REJECT" => PermissionResponse.Reject,
                _ => PermissionResponse.Unknown,
            },
            response,
            JsonFields.Boolean(reply, "is_permanent"),
            JsonFields.UnixTime(reply, "expiration_timestamp"),
            source?.Trim().ToUpperInvariant() switch
            {
                "USER_ACTION" => PermissionResponseSource.UserAction,
                "AUTOMATIC" => PermissionResponseSource.Automatic,
                _ => PermissionResponseSource.Unknown,
            },
            source);
    }
}
