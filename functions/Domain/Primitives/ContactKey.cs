using System.Diagnostics.CodeAnalysis;

namespace WhatsAppCalling.Domain.Primitives;

/// <summary>
/// Identifies a customer: the business-scoped user id (BSUID, e.g. <c>US.1349…</c>) when known, else
/// <c>wa:&lt;digits&gt;</c> from the WhatsApp number. Either may be missing in a webhook (whatsapp-calling-api.md §7.2).
/// </summary>
public readonly record struct ContactKey
{
    private const string PhonePrefix = "wa:";

    private ContactKey(string value) => Value = value;

    public string Value { get; }

    public bool IsBsuid => !Value.StartsWith(PhonePrefix, StringComparison.Ordinal);

    public static ContactKey ForBsuid(string bsuid) =>
        IsBsuidShape(bsuid) ? new ContactKey(bsuid) : throw new FormatException($"'{bsuid}' is not a BSUID.");

    public static ContactKey ForPhone(PhoneNumber phone) => new(PhonePrefix + phone.Digits);

    /// <summary>The contact-key rule: BSUID when present, else the phone number; null when neither is usable.</summary>
    public static ContactKey? From(string? bsuid, string? phone)
    {
        if (!string.IsNullOrWhiteSpace(bsuid) && IsBsuidShape(bsuid))
        {
            return new ContactKey(bsuid);
        }

        return PhoneNumber.TryParse(phone, out var number) ? ForPhone(number) : null;
    }

    /// <summary>Parses what an API caller may type: a BSUID, or a number with or without '+'.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContactKey key)
    {
        key = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith(PhonePrefix, StringComparison.Ordinal))
        {
            text = text[PhonePrefix.Length..];
        }

        if (IsBsuidShape(text))
        {
            key = new ContactKey(text);
            return true;
        }

        if (PhoneNumber.TryParse(text, out var number))
        {
            key = ForPhone(number);
            return true;
        }

        return false;
    }

    /// <summary>The phone number when this key was built from one.</summary>
    public PhoneNumber? Phone => IsBsuid ? null : PhoneNumber.Parse(Value[PhonePrefix.Length..]);

    // BSUID: ISO 3166 alpha-2 country, '.', optionally 'ENT.' (parent BSUID), then up to 128 alphanumerics.
    private static bool IsBsuidShape(string text)
    {
        if (text.Length < 4 || text[2] != '.' || !char.IsAsciiLetterUpper(text[0]) || !char.IsAsciiLetterUpper(text[1]))
        {
            return false;
        }

        var rest = text.AsSpan(3);
        if (rest.StartsWith("ENT."))
        {
            rest = rest[4..];
        }

        if (rest.Length is 0 or > 128)
        {
            return false;
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Value;
}
