using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>From this date on, the country prices as <paramref name="Market"/> (00:00 in the WABA's time zone).</summary>
public sealed record MarketAssignment(DateOnly From, Market Market);

/// <summary>
/// A country or territory of the market table: the number prefixes (calling code plus, where codes are shared, the
/// network prefix) and its market over time. <paramref name="Uncertain"/> marks rows the research could not settle
/// (pricing-markets.md, "Open questions" 1–2).
/// </summary>
public sealed record CountryEntry(
    string Iso,
    string Name,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<MarketAssignment> History,
    bool Uncertain)
{
    /// <summary>The market on a date; the first assignment also covers earlier dates.</summary>
    public Market MarketOn(DateOnly date)
    {
        var market = History[0].Market;
        foreach (var assignment in History)
        {
            if (assignment.From <= date)
            {
                market = assignment.Market;
            }
        }

        return market;
    }

    /// <summary>Markets the country belonged to before the one in force on <paramref name="date"/>, latest first.</summary>
    public IEnumerable<Market> FormerMarkets(DateOnly date)
    {
        var current = MarketOn(date);
        for (var i = History.Count - 1; i >= 0; i--)
        {
            if (History[i].From <= date && History[i].Market != current)
            {
                yield return History[i].Market;
            }
        }
    }
}

/// <summary>Which market a number prices as on a date, and which table row (if any) decided it.</summary>
public sealed record MarketResolution(Market Market, CountryEntry? Country, string? MatchedPrefix)
{
    /// <summary>True when the country's placement is a documented guess rather than Meta's stated table.</summary>
    public bool Uncertain => Country?.Uncertain ?? false;
}

/// <summary>
/// The effective-dated country-to-market table (pricing-markets.md, "How Meta resolves a number" and "Country
/// table"). The longest matching prefix wins, so +1 809 is the Dominican Republic rather than North America and
/// +7 7 is Kazakhstan rather than Russia; a number no row matches is Other.
/// </summary>
public sealed class MarketTable
{
    private readonly Dictionary<string, CountryEntry> byPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CountryEntry> byIso = new(StringComparer.Ordinal);
    private readonly int longestPrefix;

    /// <param name="markets">Every market name the table and rate cards may use.</param>
    /// <param name="countries">Rows with unique ISO codes and unique prefixes; use <see cref="BillingDataLoader"/> for
    /// data files, which reports every problem by entry.</param>
    public MarketTable(IEnumerable<Market> markets, IEnumerable<CountryEntry> countries)
    {
        ArgumentNullException.ThrowIfNull(markets);
        ArgumentNullException.ThrowIfNull(countries);
        Markets = markets.ToHashSet();
        foreach (var country in countries)
        {
            if (country.History.Count == 0)
            {
                throw new ArgumentException($"Country {country.Iso} has no market.", nameof(countries));
            }

            if (!byIso.TryAdd(country.Iso, country))
            {
                throw new ArgumentException($"Country {country.Iso} appears twice.", nameof(countries));
            }

            foreach (var prefix in country.Prefixes)
            {
                if (!byPrefix.TryAdd(prefix, country))
                {
                    throw new ArgumentException($"Prefix {prefix} belongs to both {byPrefix[prefix].Iso} and {country.Iso}.", nameof(countries));
                }

                longestPrefix = Math.Max(longestPrefix, prefix.Length);
            }
        }
    }

    public IReadOnlySet<Market> Markets { get; }

    public IReadOnlyCollection<CountryEntry> Countries => byIso.Values;

    public CountryEntry? FindCountry(string iso) => byIso.GetValueOrDefault(iso.ToUpperInvariant());

    /// <summary>The table row whose prefix is the longest match for the number, or null (an unlisted country).</summary>
    public CountryEntry? CountryOf(PhoneNumber number) => Match(number).Country;

    public MarketResolution Resolve(PhoneNumber number, DateOnly date)
    {
        var (country, prefix) = Match(number);
        return new MarketResolution(country?.MarketOn(date) ?? Market.Other, country, prefix);
    }

    private (CountryEntry? Country, string? Prefix) Match(PhoneNumber number)
    {
        var digits = number.Digits;
        for (var length = Math.Min(longestPrefix, digits.Length); length > 0; length--)
        {
            var prefix = digits[..length];
            if (byPrefix.TryGetValue(prefix, out var country))
            {
                return (country, prefix);
            }
        }

        return (null, null);
    }
}
