using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// The customer an event is about. Meta sends the BSUID and/or the phone number, either may be missing
/// (whatsapp-calling-api.md §7.2); <see cref="Key"/> applies the contact-key rule (architecture.md, "Identity and
/// storage"). <see cref="RawPhone"/> keeps what was sent when it is not a valid E.164 number.
/// </summary>
public sealed record WebhookContact(
    string? Bsuid,
    PhoneNumber? Phone,
    string? RawPhone,
    string? ParentBsuid,
    string? ProfileName,
    string? Username)
{
    public static WebhookContact None { get; } = new(null, null, null, null, null, null);

    public ContactKey? Key => ContactKey.From(Bsuid, Phone?.Digits);
}

/// <summary>What every event carries, taken from the change envelope, its metadata and the event itself.</summary>
public sealed record EventHeader(
    string Field,
    string? WabaId,
    BusinessNumberId? BusinessNumberId,
    string? DisplayNumber,
    DateTimeOffset? Timestamp,
    WebhookContact Contact,
    IReadOnlyList<string> UnknownFields,
    int EntryIndex,
    int ChangeIndex,
    int ItemIndex);

/// <summary>An error object as Meta sends it on terminate and failed statuses (whatsapp-calling-api.md §1.8).</summary>
public sealed record WhatsAppError(long? Code, string? Title, string? Message, string? Details, string? Href);

/// <summary>A media reference (<c>audio</c>, <c>image</c>, recording ...): fetch it through the Media API by id.</summary>
public sealed record MediaReference(string? Id, string? MimeType, string? Sha256, string? Url);

/// <summary>
/// A typed webhook event. Handlers switch on the concrete type; anything the parser does not understand is kept as
/// <see cref="UnknownCallEvent"/>, <see cref="UnknownChangeEvent"/> or <see cref="InvalidEvent"/> (never thrown),
/// because Meta adds fields and events without notice (whatsapp-calling-api.md §1.12).
/// </summary>
public abstract record WhatsAppEvent(EventHeader Header)
{
    public BusinessNumberId? BusinessNumberId => Header.BusinessNumberId;

    public string? DisplayNumber => Header.DisplayNumber;

    public DateTimeOffset? Timestamp => Header.Timestamp;

    public WebhookContact Contact => Header.Contact;

    public ContactKey? ContactKey => Header.Contact.Key;

    public IReadOnlyList<string> UnknownFields => Header.UnknownFields;
}

/// <summary>A change whose <c>field</c> this model does not cover (e.g. <c>message_template_status_update</c>).</summary>
public sealed record UnknownChangeEvent(EventHeader Header, string Field, JsonElement Value) : WhatsAppEvent(Header);

/// <summary>An item that could not be read (wrong shape, missing id ...): kept with the reason for the logs.</summary>
public sealed record InvalidEvent(EventHeader Header, string Reason, string Path, JsonElement Raw) : WhatsAppEvent(Header);
