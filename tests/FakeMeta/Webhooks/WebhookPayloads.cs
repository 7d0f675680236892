using System.Globalization;
using System.Text.Json.Nodes;
using FakeMeta.Simulation;

namespace FakeMeta.Webhooks;

/// <summary>Builds webhook bodies in the shapes of whatsapp-calling-api.md §1 (field names exact).</summary>
internal static class WebhookPayloads
{
    /// <summary>The common envelope of §1.1.</summary>
    public static JsonObject Envelope(string wabaId, string field, JsonObject value) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = wabaId,
            ["changes"] = new JsonArray(new JsonObject { ["field"] = field, ["value"] = value }),
        }),
    };

    public static JsonObject Value(FakeBusinessNumber number, FakeUser? contact)
    {
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject
            {
                ["display_phone_number"] = number.DisplayNumber,
                ["phone_number_id"] = number.PhoneNumberId,
            },
        };
        if (contact is not null)
        {
            var c = new JsonObject { ["profile"] = new JsonObject { ["name"] = contact.Name } };
            Put(c, "wa_id", contact.WaId);
            c["user_id"] = contact.UserId;
            value["contacts"] = new JsonArray(c);
        }

        return value;
    }

    /// <summary>§1.5 (user-initiated, Meta's offer) and §1.6 (business-initiated, Meta's answer).</summary>
    public static JsonObject Connect(FakeCall call, FakeBusinessNumber number, string sdpType, string sdp, DateTimeOffset at)
    {
        var c = CallParties(call, number);
        c["event"] = "connect";
        c["timestamp"] = Unix(at);
        c["direction"] = Direction(call.Direction);
        Put(c, "biz_opaque_callback_data", call.Direction == CallDirection.BusinessInitiated ? call.BizOpaqueCallbackData : null);
        c["session"] = new JsonObject { ["sdp_type"] = sdpType, ["sdp"] = sdp };
        return c;
    }

    /// <summary>§1.7: RINGING, ACCEPTED or REJECTED for a business-initiated call.</summary>
    public static JsonObject Status(FakeCall call, string status, DateTimeOffset at)
    {
        var s = new JsonObject
        {
            ["id"] = call.Id,
            ["timestamp"] = Unix(at),
            ["type"] = "call",
            ["status"] = status,
        };
        Put(s, "recipient_id", call.User.WaId);
        s["recipient_user_id"] = call.User.UserId;
        Put(s, "biz_opaque_callback_data", call.BizOpaqueCallbackData);
        return s;
    }

    /// <summary>§1.8: times and duration only when the call was picked up.</summary>
    public static JsonObject Terminate(FakeCall call, FakeBusinessNumber number, string status, DateTimeOffset at)
    {
        var c = CallParties(call, number);
        c["event"] = "terminate";
        c["direction"] = Direction(call.Direction);
        c["timestamp"] = Unix(at);
        c["status"] = status;
        if (call.ConnectedAt is { } start)
        {
            c["start_time"] = Unix(start);
            c["end_time"] = Unix(at);
            c["duration"] = (int)(at - start).TotalSeconds;
        }

        Put(c, "biz_opaque_callback_data", call.BizOpaqueCallbackData);
        return c;
    }

    public static JsonObject CallError(int code, string message, string details) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["error_data"] = new JsonObject { ["details"] = details },
    };

    /// <summary>§1.10 <c>interactive.call_permission_reply</c>.</summary>
    public static JsonObject PermissionReply(FakeUser user, string messageId, DateTimeOffset at, string response,
        bool? isPermanent, DateTimeOffset? expiresAt, string source, string? contextId, string businessDisplayNumber)
    {
        var reply = new JsonObject { ["response"] = response };
        if (isPermanent is { } permanent)
        {
            reply["is_permanent"] = permanent;
        }

        Put(reply, "expiration_timestamp", expiresAt is { } e ? Unix(e) : null);
        reply["response_source"] = source;
        var message = Message(user, messageId, at, "interactive");
        if (contextId is not null)
        {
            message["context"] = new JsonObject { ["from"] = businessDisplayNumber, ["id"] = contextId };
        }

        message["interactive"] = new JsonObject { ["type"] = "call_permission_reply", ["call_permission_reply"] = reply };
        return message;
    }

    public static JsonObject Text(FakeUser user, string messageId, DateTimeOffset at, string text)
    {
        var message = Message(user, messageId, at, "text");
        message["text"] = new JsonObject { ["body"] = text };
        return message;
    }

    /// <summary>§1.11 <c>account_settings_update</c> value.</summary>
    public static JsonObject SettingsUpdate(string phoneNumberId, JsonObject calling) => new()
    {
        ["type"] = "PHONE_NUMBER_SETTINGS",
        ["phone_number_settings"] = new JsonObject
        {
            ["phone_number_id"] = phoneNumberId,
            ["calling"] = calling.DeepClone(),
        },
    };

    public static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static JsonObject Message(FakeUser user, string id, DateTimeOffset at, string type)
    {
        var m = new JsonObject();
        Put(m, "from", user.WaId);
        m["from_user_id"] = user.UserId;
        m["id"] = id;
        m["timestamp"] = Unix(at);
        m["type"] = type;
        return m;
    }

    private static JsonObject CallParties(FakeCall call, FakeBusinessNumber number)
    {
        var c = new JsonObject { ["id"] = call.Id };
        if (call.Direction == CallDirection.UserInitiated)
        {
            Put(c, "from", call.User.WaId);
            c["from_user_id"] = call.User.UserId;
            c["to"] = number.DisplayNumber;
        }
        else
        {
            c["from"] = number.DisplayNumber;
            Put(c, "to", call.User.WaId);
            c["to_user_id"] = call.User.UserId;
        }

        return c;
    }

    private static string Direction(CallDirection d) => d == CallDirection.UserInitiated ? "USER_INITIATED" : "BUSINESS_INITIATED";

    private static void Put(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }
}
