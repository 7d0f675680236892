using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.WhatsApp.Models;

/// <summary>
/// Whom a call, message or permission look-up is about: the WhatsApp number (<c>to</c> / <c>user_wa_id</c>) and/or
/// the BSUID (<c>recipient</c>). When both are sent Meta uses the number (whatsapp-calling-api.md §2.1, §7.2).
/// </summary>
public sealed record Recipient
{
    public Recipient(PhoneNumber? phone, string? bsuid)
    {
        if (phone is null && string.IsNullOrWhiteSpace(bsuid))
        {
            throw new ArgumentException("A recipient needs a phone number or a BSUID.");
        }

        if (bsuid is not null && !(ContactKey.TryParse(bsuid, out var key) && key.IsBsuid))
        {
            throw new ArgumentException($"'{bsuid}' is not a BSUID.", nameof(bsuid));
        }

        Phone = phone;
        Bsuid = bsuid;
    }

    public PhoneNumber? Phone { get; }

    public string? Bsuid { get; }

    public static Recipient ForPhone(PhoneNumber phone) => new(phone, null);

    public static Recipient ForBsuid(string bsuid) => new(null, bsuid);

    /// <summary>Addresses a contact by its key: a BSUID key goes in <c>recipient</c>, a number key in <c>to</c>.</summary>
    public static Recipient ForContact(ContactKey key) => key.IsBsuid ? ForBsuid(key.Value) : ForPhone(key.Phone!.Value);
}
