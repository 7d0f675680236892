using System.Collections.Frozen;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>Reads <c>account_settings_update</c> and <c>account_update</c> (whatsapp-calling-api.md §1.11).</summary>
internal static class AccountEventReader
{
    private static readonly FrozenSet<string> KnownSettingsValue = FrozenSet.Create(
        StringComparer.Ordinal, "type", "phone_number_settings", "timestamp", "messaging_product", "metadata");

    private static readonly FrozenSet<string> KnownAccountValue = FrozenSet.Create(
        StringComparer.Ordinal, "event", "violation_info", "restriction_info", "phone_number", "timestamp", "metadata");

    public static WhatsAppEvent ReadSettings(WebhookChange change)
    {
        var value = change.Value;
        var unknown = new List<string>();
        JsonFields.CollectUnknown(value, "value", KnownSettingsValue, unknown);
        var settings = JsonFields.Object(value, "phone_number_settings");
        var numberId = (settings is { } s ? JsonFields.String(s, "phone_number_id") : null) ?? MetadataNumberId(value);
        var header = Header(change, numberId, null, unknown);
        if (settings is null || JsonFields.Object(settings.Value, "calling") is not { } calling)
        {
            return new InvalidEvent(header, "no phone_number_settings.calling object", "value.phone_number_settings.calling", value);
        }

        var sip = JsonFields.Object(calling, "sip");
        return new CallingSettingsUpdated(
            header,
            SettingsType(value),
            JsonFields.String(calling, "status"),
            JsonFields.String(calling, "call_icon_visibility"),
            JsonFields.String(calling, "callback_permission_status"),
            sip is { } p ? JsonFields.String(p, "status") : null,
            JsonFields.String(calling, "srtp_key_exchange_protocol"),
            calling);
    }

    public static WhatsAppEvent ReadAccountUpdate(WebhookChange change)
    {
        var value = change.Value;
        var unknown = new List<string>();
        JsonFields.CollectUnknown(value, "value", KnownAccountValue, unknown);
        var header = Header(change, MetadataNumberId(value), JsonFields.String(value, "phone_number"), unknown);
        var eventName = JsonFields.String(value, "event");
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return new InvalidEvent(header, "account_update without event", "value.event", value);
        }

        var kind = eventName.Trim().ToUpperInvariant() switch
        {
            "ACCOUNT_VIOLATION" => AccountUpdateKind.Violation,
            "ACCOUNT_RESTRICTION" => AccountUpdateKind.Restriction,
            _ => AccountUpdateKind.Other,
        };
        var violation = JsonFields.Object(value, "violation_info");
        var restrictions = new List<AccountRestriction>();
        foreach (var item in JsonFields.Items(JsonFields.Array(value, "restriction_info")))
        {
            if (JsonFields.String(item, "restriction_type") is { } type)
            {
                restrictions.Add(new AccountRestriction(type, JsonFields.UnixTime(item, "expiration")));
            }
        }

        return new AccountUpdated(
            header,
            eventName,
            kind,
            violation is { } v ? JsonFields.String(v, "violation_type") : null,
            restrictions,
            value);
    }

    // §1.11: the type is documented as PHONE_NUMBER_SETTINGS but a sample shows an array ["phone_number_settings"].
    private static string? SettingsType(JsonElement value)
    {
        if (JsonFields.Array(value, "type") is { } array)
        {
            return JsonFields.Items(array).Select(JsonFields.AsString).FirstOrDefault(t => t is not null);
        }

        return JsonFields.String(value, "type");
    }

    private static string? MetadataNumberId(JsonElement value) =>
        JsonFields.Object(value, "metadata") is { } m ? JsonFields.String(m, "phone_number_id") : null;

    private static EventHeader Header(WebhookChange change, string? numberId, string? displayNumber, List<string> unknown) =>
        new(
            change.Field,
            change.WabaId,
            string.IsNullOrWhiteSpace(numberId) ? null : new BusinessNumberId(numberId),
            displayNumber,
            JsonFields.UnixTime(change.Value, "timestamp") ?? change.EntryTime,
            WebhookContact.None,
            unknown,
            change.EntryIndex,
            change.ChangeIndex,
            0);
}
