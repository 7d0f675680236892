using System.Collections.Frozen;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// Reads <c>value.statuses[]</c>: <c>type: "call"</c> items are business-initiated call progress
/// (whatsapp-calling-api.md §1.7); the others are statuses of messages we sent (§1.10).
/// </summary>
internal static class StatusReader
{
    private static readonly FrozenSet<string> KnownStatus = FrozenSet.Create(
        StringComparer.Ordinal,
        "id", "timestamp", "type", "status", "recipient_id", "recipient_user_id", "recipient_parent_user_id",
        "biz_opaque_callback_data", "conversation", "pricing", "errors");

    public static void Read(ChangeContext context, List<WhatsAppEvent> events)
    {
        // Status items follow the calls/messages items of the same change: their item indexes continue after those.
        var offset = events.Count;
        var index = 0;
        foreach (var item in JsonFields.Items(JsonFields.Array(context.Value, "statuses")))
        {
            var path = $"value.statuses[{index}]";
            try
            {
                events.Add(ReadStatus(context, item, offset + index, path));
            }
            catch (Exception ex) when (WhatsAppEventParser.IsReadFailure(ex))
            {
                events.Add(CallEventReader.Invalid(context, item, offset + index, path, ex.Message));
            }

            index++;
        }
    }

    private static WhatsAppEvent ReadStatus(ChangeContext context, JsonElement item, int index, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return CallEventReader.Invalid(context, item, index, path, "a status must be an object");
        }

        var id = JsonFields.String(item, "id");
        if (string.IsNullOrWhiteSpace(id))
        {
            return CallEventReader.Invalid(context, item, index, path + ".id", "the status has no id");
        }

        var status = JsonFields.String(item, "status");
        if (string.IsNullOrWhiteSpace(status))
        {
            return CallEventReader.Invalid(context, item, index, path + ".status", "the status has no status value");
        }

        var unknown = new List<string>();
        JsonFields.CollectUnknown(item, "value.statuses[]", KnownStatus, unknown);
        var contact = context.Contact(
            JsonFields.String(item, "recipient_user_id"),
            JsonFields.String(item, "recipient_id"),
            JsonFields.String(item, "recipient_parent_user_id"));
        var header = context.Header(JsonFields.UnixTime(item, "timestamp"), contact, unknown, index);
        var bizOpaque = JsonFields.String(item, "biz_opaque_callback_data");

        if (string.Equals(JsonFields.String(item, "type"), "call", StringComparison.OrdinalIgnoreCase))
        {
            var callStatus = status.Trim().ToUpperInvariant() switch
            {
                "RINGING" => CallStatus.Ringing,
                "ACCEPTED" => CallStatus.Accepted,
                "REJECTED" => CallStatus.Rejected,
                _ => CallStatus.Unknown,
            };
            return new CallStatusChanged(header, new CallId(id), callStatus, status, bizOpaque);
        }

        var messageStatus = status.Trim().ToUpperInvariant() switch
        {
            "SENT" => MessageStatus.Sent,
            "DELIVERED" => MessageStatus.Delivered,
            "READ" => MessageStatus.Read,
            "FAILED" => MessageStatus.Failed,
            _ => MessageStatus.Unknown,
        };
        var errors = WebhookErrors.Read(JsonFields.Array(item, "errors"));
        return new MessageStatusChanged(header, id, messageStatus, status, errors, bizOpaque);
    }
}
