using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.WhatsApp.Configuration;

/// <summary>The business numbers from <c>BusinessNumbers__&lt;n&gt;__…</c> (architecture.md "Configuration keys").</summary>
public sealed class BusinessNumbersOptions
{
    public const string SectionName = "BusinessNumbers";

    public List<BusinessNumberOptions> Numbers { get; } = [];

    public BusinessNumberOptions? Find(BusinessNumberId id) =>
        Numbers.Find(n => string.Equals(n.PhoneNumberId, id.Value, StringComparison.Ordinal));
}

/// <summary>One business number as seeded from configuration; admins may edit them later in storage.</summary>
public sealed class BusinessNumberOptions
{
    /// <summary>Meta's phone number id (routes webhooks and Graph calls).</summary>
    public string PhoneNumberId { get; set; } = "";

    /// <summary>The number customers see, E.164 with or without '+'.</summary>
    public string DisplayNumber { get; set; } = "";

    /// <summary>ISO 3166 alpha-2 country of the number; decides business-initiated availability (§6.3).</summary>
    public string Country { get; set; } = "";

    public BusinessNumberId Id => new(PhoneNumberId);

    public PhoneNumber Display => PhoneNumber.Parse(DisplayNumber);
}
