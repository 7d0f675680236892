using System.Diagnostics.CodeAnalysis;

namespace WhatsAppCalling.Domain.Primitives;

/// <summary>
/// A phone number in E.164 form, held as its digits without the leading '+' (the form Meta uses in
/// <c>wa_id</c>, <c>from</c> and <c>to</c>). ITU-T E.164 allows at most 15 digits; country codes never start with 0.
/// </summary>
public readonly record struct PhoneNumber
{
    private PhoneNumber(string digits) => Digits = digits;

    /// <summary>The digits without '+', e.g. <c>4915112345678</c>.</summary>
    public string Digits { get; }

    /// <summary>The display form with a leading '+'.</summary>
    public string E164 => "+" + Digits;

    public static bool TryParse([NotNullWhen(true)] string? text, out PhoneNumber number)
    {
        number = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("+"))
        {
            span = span[1..];
        }
        else if (span.StartsWith("00"))
        {
            span = span[2..];
        }

        Span<char> digits = stackalloc char[16];
        var count = 0;
        foreach (var c in span)
        {
            if (c is ' ' or '-' or '(' or ')' or '.')
            {
                continue;
            }

            if (c is < '0' or > '9' || count == 15)
            {
                return false;
            }

            digits[count++] = c;
        }

        // Shortest real E.164 numbers have 7 digits including the country code (e.g. Niue +683 xxxx).
        if (count < 7 || digits[0] == '0')
        {
            return false;
        }

        number = new PhoneNumber(new string(digits[..count]));
        return true;
    }

    public static PhoneNumber Parse(string text) =>
        TryParse(text, out var number) ? number : throw new FormatException($"'{text}' is not an E.164 phone number.");

    public override string ToString() => E164;
}
