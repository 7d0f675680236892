namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// A pricing market of Meta's rate cards: a named country ("India"), "North America", a "Rest of …" region or
/// "Other" (pricing-markets.md, "Region membership by period"). Names are canonical; see <see cref="Parse"/>.
/// </summary>
public readonly record struct Market
{
    private Market(string name) => Name = name;

    public string Name { get; }

    /// <summary>Every country Meta does not list prices as Other (pricing-markets.md, "How Meta resolves a number" 1).</summary>
    public static Market Other { get; } = new("Other");

    public static Market NorthAmerica { get; } = new("North America");

    public bool IsRegion => Name.StartsWith("Rest of ", StringComparison.Ordinal);

    /// <summary>
    /// Accepts the spellings that occur in Meta's pages and BSP rate cards (pricing-markets.md, "How Meta resolves a
    /// number" 7) and returns the canonical name, so data files and cards can be compared.
    /// </summary>
    public static Market Parse(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FormatException("A market name must not be empty.");
        }

        var trimmed = string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var (variant, canonical) in Variants)
        {
            if (string.Equals(trimmed, variant, StringComparison.OrdinalIgnoreCase))
            {
                return new Market(canonical);
            }
        }

        return new Market(trimmed);
    }

    public override string ToString() => Name;

    private static readonly (string Variant, string Canonical)[] Variants =
    [
        ("Rest of Central and Eastern Europe", "Rest of Central & Eastern Europe"),
        ("Türkiye", "Turkey"),
        ("Turkiye", "Turkey"),
        ("North America (US & Canada)", "North America"),
        ("UAE", "United Arab Emirates"),
        ("UK", "United Kingdom"),
    ];
}
