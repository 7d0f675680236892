using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Tests.Billing;

/// <summary>The shipped data, loaded once, and small builders for data files and numbers.</summary>
internal static class BillingTestData
{
    private static readonly Lazy<RateBook> Shipped = new(BillingDataLoader.LoadEmbedded);

    public static RateBook Book => Shipped.Value;

    public static MarketTable Markets => Book.Markets;

    public static DateOnly Aug2025 { get; } = new(2025, 8, 15);

    public static DateOnly Today { get; } = new(2026, 11, 22);

    public static PhoneNumber Number(string e164) => PhoneNumber.Parse(e164);

    public static Money Usd(decimal amount) => new(amount);

    /// <summary>A rate card file as text: markets with one base rate each, and N/A markets.</summary>
    public static string RateCardJson(string id, string effectiveFrom, IEnumerable<(string Market, decimal Rate)> rates, params string[] notAvailable)
    {
        var rows = rates
            .Select(rate => $$"""{ "market": "{{rate.Market}}", "tiers": [{ "fromMinutes": 0, "usdPerMinute": {{rate.Rate}} }] }""")
            .Concat(notAvailable.Select(market => $$"""{ "market": "{{market}}", "notAvailable": true }"""));
        return $$"""{ "id": "{{id}}", "effectiveFrom": "{{effectiveFrom}}", "currency": "USD", "rates": [ {{string.Join(", ", rows)}} ] }""";
    }

    /// <summary>A book of the shipped market table and the given cards (each a JSON text).</summary>
    public static RateBook BookWith(params string[] cardJson) =>
        BillingDataLoader.BuildRateBook(
            Markets,
            [.. cardJson.Select((json, i) => BillingDataLoader.ParseRateCard(json, $"test-card-{i}.json", Markets))]);

    public static CallingAvailability Availability(CallingAvailabilityOptions? options = null) =>
        new(Markets, options ?? new CallingAvailabilityOptions());
}
