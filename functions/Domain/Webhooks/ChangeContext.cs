using System.Collections.Frozen;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// What the items of one change share: routing metadata (whatsapp-calling-api.md §1.1), the <c>contacts[]</c> list
/// used to fill in profile names, and value-level <c>errors</c> (§1.8 allows them at either level).
/// </summary>
internal sealed class ChangeContext
{
    private static readonly FrozenSet<string> KnownMetadata =
        FrozenSet.Create(StringComparer.Ordinal, "display_phone_number", "phone_number_id");

    private static readonly FrozenSet<string> KnownContact =
        FrozenSet.Create(StringComparer.Ordinal, "profile", "wa_id", "user_id", "parent_user_id");

    private readonly List<JsonElement> _contacts;
    private readonly List<string> _valueUnknown;

    public ChangeContext(WebhookChange change, IReadOnlySet<string> knownValueFields)
    {
        Change = change;
        var metadata = JsonFields.Object(change.Value, "metadata");
        var numberId = metadata is { } m ? JsonFields.String(m, "phone_number_id") : null;
        BusinessNumberId = string.IsNullOrWhiteSpace(numberId) ? null : new BusinessNumberId(numberId);
        DisplayNumber = metadata is { } d ? JsonFields.String(d, "display_phone_number") : null;
        _contacts = [.. JsonFields.Items(JsonFields.Array(change.Value, "contacts")).Where(c => c.ValueKind == JsonValueKind.Object)];
        ValueErrors = WebhookErrors.Read(JsonFields.Array(change.Value, "errors"));

        _valueUnknown = [];
        JsonFields.CollectUnknown(change.Value, "value", knownValueFields, _valueUnknown);
        if (metadata is { } meta)
        {
            JsonFields.CollectUnknown(meta, "value.metadata", KnownMetadata, _valueUnknown);
        }

        foreach (var contact in _contacts)
        {
            JsonFields.CollectUnknown(contact, "value.contacts[]", KnownContact, _valueUnknown);
        }
    }

    public WebhookChange Change { get; }

    public JsonElement Value => Change.Value;

    public BusinessNumberId? BusinessNumberId { get; }

    public string? DisplayNumber { get; }

    public IReadOnlyList<WhatsAppError> ValueErrors { get; }

    /// <summary>The header of item <paramref name="itemIndex"/>; the entry time stands in when the item has none.</summary>
    public EventHeader Header(DateTimeOffset? timestamp, WebhookContact contact, List<string> itemUnknown, int itemIndex) =>
        new(
            Change.Field,
            Change.WabaId,
            BusinessNumberId,
            DisplayNumber,
            timestamp ?? Change.EntryTime,
            contact,
            [.. _valueUnknown, .. itemUnknown],
            Change.EntryIndex,
            Change.ChangeIndex,
            itemIndex);

    /// <summary>
    /// The contact named by an item's own fields, completed from the matching <c>contacts[]</c> entry (by BSUID, else
    /// by number, else the only entry when the item names nobody). Either identifier may be missing (§7.2).
    /// </summary>
    public WebhookContact Contact(string? bsuid, string? phone, string? parentBsuid)
    {
        bsuid = Blank(bsuid);
        phone = Blank(phone);
        var match = _contacts.FirstOrDefault(c => bsuid is not null && JsonFields.String(c, "user_id") == bsuid);
        if (match.ValueKind == JsonValueKind.Undefined && phone is not null)
        {
            match = _contacts.FirstOrDefault(c => SameNumber(JsonFields.String(c, "wa_id"), phone));
        }

        if (match.ValueKind == JsonValueKind.Undefined && bsuid is null && phone is null && _contacts.Count == 1)
        {
            match = _contacts[0];
        }

        var profile = JsonFields.Object(match, "profile");
        bsuid ??= Blank(JsonFields.String(match, "user_id"));
        phone ??= Blank(JsonFields.String(match, "wa_id"));
        parentBsuid = Blank(parentBsuid) ?? Blank(JsonFields.String(match, "parent_user_id"));
        PhoneNumber? number = PhoneNumber.TryParse(phone, out var parsed) ? parsed : null;
        return new WebhookContact(
            bsuid,
            number,
            phone,
            parentBsuid,
            profile is { } p ? JsonFields.String(p, "name") : null,
            profile is { } u ? JsonFields.String(u, "username") : null);
    }

    /// <summary>True when <paramref name="phone"/> is the business's own number (so the user is the other side).</summary>
    public bool IsBusinessNumber(string? phone) => SameNumber(DisplayNumber, phone);

    private static bool SameNumber(string? a, string? b) =>
        PhoneNumber.TryParse(a, out var x) && PhoneNumber.TryParse(b, out var y) && x == y;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>Reads Meta's error objects, tolerating a missing <c>href</c> or <c>title</c> (§1.8).</summary>
internal static class WebhookErrors
{
    public static IReadOnlyList<WhatsAppError> Read(JsonElement? errors)
    {
        var list = new List<WhatsAppError>();
        foreach (var error in JsonFields.Items(errors))
        {
            if (error.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var data = JsonFields.Object(error, "error_data");
            list.Add(new WhatsAppError(
                JsonFields.Integer(error, "code"),
                JsonFields.String(error, "title"),
                JsonFields.String(error, "message"),
                data is { } d ? JsonFields.String(d, "details") : null,
                JsonFields.String(error, "href")));
        }

        return list;
    }
}
