using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// Reads and validates the billing data files embedded in this assembly (<c>Billing/Data/*.json</c>): one
/// market table and any number of rate cards. Every problem is reported with the file and the entry it is in, so a
/// bad data change fails at start-up with a message that says what to fix.
/// </summary>
public static class BillingDataLoader
{
    public const string MarketTableFileName = "market-membership.json";

    public const string RateCardFilePrefix = "rate-card-";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The market table and every rate card shipped in the assembly.</summary>
    public static RateBook LoadEmbedded()
    {
        var assembly = typeof(BillingDataLoader).Assembly;
        const string folder = ".Billing.Data.";

        // Resource names are "<root namespace>.Billing.Data.<file name>"; key them by file name.
        var files = assembly.GetManifestResourceNames()
            .Where(name => name.Contains(folder, StringComparison.Ordinal))
            .ToDictionary(name => name[(name.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..], StringComparer.Ordinal);
        if (!files.TryGetValue(MarketTableFileName, out var tableResource))
        {
            throw new BillingDataException(MarketTableFileName, ["the embedded resource is missing"]);
        }

        var markets = ParseMarketTable(ReadResource(assembly, tableResource), MarketTableFileName);
        var cards = files
            .Where(file => file.Key.StartsWith(RateCardFilePrefix, StringComparison.Ordinal))
            .Select(file => ParseRateCard(ReadResource(assembly, file.Value), file.Key, markets))
            .ToList();
        return BuildRateBook(markets, cards);
    }

    /// <summary>Builds the book, refusing two cards that take effect on the same day.</summary>
    public static RateBook BuildRateBook(MarketTable markets, IReadOnlyList<RateCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        try
        {
            return new RateBook(markets, cards);
        }
        catch (ArgumentException error) when (error.ParamName == "cards")
        {
            throw new BillingDataException(string.Join(", ", cards.Select(card => card.Id)), error.Message, error);
        }
    }

    public static MarketTable ParseMarketTable(string json, string fileName)
    {
        var file = Deserialize<MarketTableFile>(json, fileName);
        var problems = new List<string>();
        if (file.EffectiveFrom is null)
        {
            problems.Add("effectiveFrom is missing");
        }

        var markets = new HashSet<Market>();
        foreach (var (name, index) in (file.Markets ?? []).Select((name, index) => (name, index)))
        {
            if (string.IsNullOrWhiteSpace(name) || !markets.Add(Market.Parse(name)))
            {
                problems.Add($"markets[{index}] ('{name}'): empty or listed twice");
            }
        }

        if (!markets.Contains(Market.Other))
        {
            problems.Add("markets: 'Other' must be listed (every unlisted country prices as Other)");
        }

        var countries = new List<CountryEntry>();
        var isoSeen = new HashSet<string>(StringComparer.Ordinal);
        var prefixOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (row, index) in (file.Countries ?? []).Select((row, index) => (row, index)))
        {
            var where = $"countries[{index}] ({row.Iso ?? row.Name ?? "?"})";
            var rowProblems = problems.Count;
            if (row.Iso is null || row.Iso.Length != 2 || !row.Iso.All(char.IsAsciiLetterUpper))
            {
                problems.Add($"{where}: iso must be two upper-case letters (ISO 3166 alpha-2)");
            }
            else if (!isoSeen.Add(row.Iso))
            {
                problems.Add($"{where}: iso {row.Iso} appears twice");
            }

            foreach (var prefix in row.Prefixes ?? [])
            {
                if (prefix.Length is 0 or > 15 || prefix[0] == '0' || !prefix.All(char.IsAsciiDigit))
                {
                    problems.Add($"{where}: prefix '{prefix}' must be 1-15 digits without '+' and not start with 0");
                }
                else if (!prefixOwner.TryAdd(prefix, row.Iso ?? "?"))
                {
                    problems.Add($"{where}: prefix {prefix} is also {prefixOwner[prefix]}'s");
                }
            }

            var history = new List<MarketAssignment>();
            AddAssignment(history, file.EffectiveFrom ?? DateOnly.MinValue, row.Market, markets, $"{where}.market", problems);
            foreach (var (change, changeIndex) in (row.Changes ?? []).Select((change, i) => (change, i)))
            {
                var at = $"{where}.changes[{changeIndex}]";
                if (change.From is null)
                {
                    problems.Add($"{at}: from is missing");
                }
                else if (history.Count > 0 && change.From <= history[^1].From)
                {
                    problems.Add($"{at}: from {change.From:yyyy-MM-dd} must be later than the previous assignment ({history[^1].From:yyyy-MM-dd})");
                }
                else
                {
                    AddAssignment(history, change.From.Value, change.Market, markets, $"{at}.market", problems);
                }
            }

            if (problems.Count == rowProblems)
            {
                countries.Add(new CountryEntry(row.Iso!, row.Name ?? row.Iso!, [.. row.Prefixes ?? []], history, row.Uncertain));
            }
        }

        if (problems.Count > 0)
        {
            throw new BillingDataException(fileName, problems);
        }

        return new MarketTable(markets, countries);
    }

    /// <summary>Parses a rate card; every market on it must be one the market table knows.</summary>
    public static RateCard ParseRateCard(string json, string fileName, MarketTable markets)
    {
        ArgumentNullException.ThrowIfNull(markets);
        var file = Deserialize<RateCardFile>(json, fileName);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(file.Id))
        {
            problems.Add("id is missing");
        }

        if (file.EffectiveFrom is null)
        {
            problems.Add("effectiveFrom is missing");
        }

        if (!string.Equals(file.Currency, "USD", StringComparison.Ordinal))
        {
            problems.Add($"currency '{file.Currency}' is not supported: balances are kept in USD");
        }

        var rates = new Dictionary<Market, MarketRate>();
        var listsOther = false;
        foreach (var (row, index) in (file.Rates ?? []).Select((row, index) => (row, index)))
        {
            var where = $"rates[{index}] ({row.Market ?? "?"})";
            if (string.IsNullOrWhiteSpace(row.Market))
            {
                problems.Add($"{where}: market is missing");
                continue;
            }

            var market = Market.Parse(row.Market);
            if (!markets.Markets.Contains(market))
            {
                problems.Add($"{where}: '{row.Market}' is not a market of the market table");
                continue;
            }

            listsOther |= market == Market.Other;
            var tiers = ValidateTiers(row, where, problems);
            if (tiers is not null && !rates.TryAdd(market, new MarketRate(market, tiers)))
            {
                problems.Add($"{where}: {market} is listed twice");
            }
        }

        if (!listsOther)
        {
            problems.Add("rates: no entry for 'Other' (every unlisted country prices as Other)");
        }

        if (problems.Count > 0)
        {
            throw new BillingDataException(fileName, problems);
        }

        return new RateCard(file.Id!, file.EffectiveFrom!.Value, file.Source ?? fileName, rates);
    }

    private static List<RateTier>? ValidateTiers(RateRow row, string where, List<string> problems)
    {
        if (row.NotAvailable)
        {
            if (row.Tiers is { Count: > 0 })
            {
                problems.Add($"{where}: notAvailable and tiers are mutually exclusive");
                return null;
            }

            return [];
        }

        if (row.Tiers is not { Count: > 0 })
        {
            problems.Add($"{where}: needs tiers, or notAvailable: true for an N/A market");
            return null;
        }

        var count = problems.Count;
        var tiers = new List<RateTier>();
        foreach (var (tier, i) in row.Tiers.Select((tier, i) => (tier, i)))
        {
            var at = $"{where}.tiers[{i}]";
            if (tier.FromMinutes is not { } from || tier.UsdPerMinute is not { } rate)
            {
                problems.Add($"{at}: fromMinutes and usdPerMinute are both required");
                continue;
            }

            if (i == 0 && from != 0m)
            {
                problems.Add($"{at}: the first tier must start at 0 minutes");
            }
            else if (i > 0 && from <= tiers[^1].FromMinutes)
            {
                problems.Add($"{at}: fromMinutes {from} must be above the previous tier's {tiers[^1].FromMinutes}");
            }

            if (rate <= 0m)
            {
                problems.Add($"{at}: usdPerMinute {rate} must be positive");
            }
            else if (i > 0 && rate > tiers[^1].PerMinute.Usd)
            {
                // Higher-volume tiers are the cheaper ones (§6.1); a rising rate is a data-entry slip.
                problems.Add($"{at}: usdPerMinute {rate} is above the previous tier's {tiers[^1].PerMinute.Usd}");
            }

            tiers.Add(new RateTier(from, new Money(rate)));
        }

        return problems.Count == count ? tiers : null;
    }

    private static void AddAssignment(
        List<MarketAssignment> history, DateOnly from, string? name, HashSet<Market> markets, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{where}: market is missing");
            return;
        }

        var market = Market.Parse(name);
        if (!markets.Contains(market))
        {
            problems.Add($"{where}: '{name}' is not in the markets list");
            return;
        }

        history.Add(new MarketAssignment(from, market));
    }

    private static T Deserialize<T>(string json, string fileName)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json)
                ?? throw new BillingDataException(fileName, ["the file is empty (null)"]);
        }
        catch (JsonException error)
        {
            throw new BillingDataException(fileName, $"{error.Message}", error);
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new BillingDataException(name, ["the embedded resource cannot be opened"]);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record MarketTableFile(
        int Schema, string? Description, DateOnly? EffectiveFrom, List<string>? Markets, List<CountryRow>? Countries);

    private sealed record CountryRow(
        string? Iso, string? Name, List<string>? Prefixes, string? Market, List<ChangeRow>? Changes, bool Uncertain, string? Note);

    private sealed record ChangeRow(DateOnly? From, string? Market);

    private sealed record RateCardFile(
        string? Id, DateOnly? EffectiveFrom, string? Currency, string? Source, List<RateRow>? Rates);

    private sealed record RateRow(string? Market, bool NotAvailable, List<TierRow>? Tiers);

    private sealed record TierRow(decimal? FromMinutes, decimal? UsdPerMinute);
}
