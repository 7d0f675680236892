using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class BillingDataLoaderTests
{
    private static BillingDataException CardError(string json) =>
        Assert.Throws<BillingDataException>(() => BillingDataLoader.ParseRateCard(json, "rate-card-bad.json", Markets));

    private static BillingDataException TableError(string countries, string markets = """ "Other", "India" """) =>
        Assert.Throws<BillingDataException>(() => BillingDataLoader.ParseMarketTable(
            $$"""{ "schema": 1, "effectiveFrom": "2025-08-01", "markets": [{{markets}}], "countries": [{{countries}}] }""",
            "market-membership-bad.json"));

    [Fact]
    public void The_shipped_data_loads_with_the_Aug_2025_card_of_32_markets()
    {
        var card = Assert.Single(Book.Cards);
        Assert.Equal((new DateOnly(2025, 8, 1), 32), (card.EffectiveFrom, card.Rates.Count));
        Assert.Equal(4, card.Rates.Values.Count(rate => rate.NotAvailable));
    }

    [Fact]
    public void A_misspelt_market_on_a_rate_card_is_named_in_the_error()
    {
        var error = CardError(RateCardJson("typo", "2025-08-01", [("Other", 0.0132m), ("Indai", 0.0053m)]));
        Assert.Contains("rates[1] (Indai): 'Indai' is not a market of the market table", error.Message, StringComparison.Ordinal);
        Assert.Equal("rate-card-bad.json", error.FileName);
    }

    [Fact]
    public void A_rate_card_without_Other_is_refused() =>
        Assert.Contains(CardError(RateCardJson("no-other", "2025-08-01", [("India", 0.0053m)])).Problems, p => p.Contains("'Other'", StringComparison.Ordinal));

    [Fact]
    public void A_zero_or_negative_rate_is_refused() =>
        Assert.Contains("usdPerMinute 0 must be positive", CardError(RateCardJson("zero", "2025-08-01", [("Other", 0m)])).Message, StringComparison.Ordinal);

    [Fact]
    public void A_market_listed_twice_is_refused() =>
        Assert.Contains("India is listed twice", CardError(RateCardJson("twice", "2025-08-01", [("Other", 0.0132m), ("India", 0.0053m), ("India", 0.0050m)])).Message, StringComparison.Ordinal);

    [Fact]
    public void A_market_with_both_a_rate_and_N_A_is_refused() =>
        Assert.Contains("mutually exclusive", CardError("""
            { "id": "x", "effectiveFrom": "2025-08-01", "currency": "USD", "rates": [
              { "market": "Other", "tiers": [{ "fromMinutes": 0, "usdPerMinute": 0.0132 }] },
              { "market": "Egypt", "notAvailable": true, "tiers": [{ "fromMinutes": 0, "usdPerMinute": 0.01 }] } ] }
            """).Message, StringComparison.Ordinal);

    [Fact]
    public void Tiers_must_start_at_zero_ascend_and_get_cheaper()
    {
        var error = CardError("""
            { "id": "x", "effectiveFrom": "2025-08-01", "currency": "USD", "rates": [
              { "market": "Other", "tiers": [{ "fromMinutes": 10, "usdPerMinute": 0.0132 }] },
              { "market": "India", "tiers": [
                { "fromMinutes": 0, "usdPerMinute": 0.0053 }, { "fromMinutes": 0, "usdPerMinute": 0.0042 } ] },
              { "market": "Chile", "tiers": [
                { "fromMinutes": 0, "usdPerMinute": 0.0100 }, { "fromMinutes": 50000, "usdPerMinute": 0.0200 } ] } ] }
            """);
        Assert.Collection(
            error.Problems,
            p => Assert.StartsWith("rates[0] (Other).tiers[0]: the first tier must start at 0", p, StringComparison.Ordinal),
            p => Assert.StartsWith("rates[1] (India).tiers[1]: fromMinutes 0 must be above", p, StringComparison.Ordinal),
            p => Assert.StartsWith("rates[2] (Chile).tiers[1]: usdPerMinute 0.0200 is above", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_card_in_another_currency_or_without_a_date_is_refused()
    {
        var error = CardError("""{ "id": "eur", "currency": "EUR", "rates": [{ "market": "Other", "tiers": [{ "fromMinutes": 0, "usdPerMinute": 0.01 }] }] }""");
        Assert.Equal(["effectiveFrom is missing", "currency 'EUR' is not supported: balances are kept in USD"], error.Problems);
    }

    [Fact]
    public void An_unknown_field_is_refused_so_a_typo_cannot_silently_drop_data() =>
        Assert.Contains("usdPerMinut", CardError("""
            { "id": "x", "effectiveFrom": "2025-08-01", "currency": "USD", "rates": [
              { "market": "Other", "tiers": [{ "fromMinutes": 0, "usdPerMinut": 0.0132 }] } ] }
            """).Message, StringComparison.Ordinal);

    [Fact]
    public void Malformed_json_names_the_file() =>
        Assert.StartsWith("rate-card-bad.json is invalid", CardError("{ not json").Message, StringComparison.Ordinal);

    [Fact]
    public void Two_cards_taking_effect_on_the_same_day_are_refused() =>
        Assert.Throws<BillingDataException>(() => BookWith(
            RateCardJson("a", "2026-04-01", [("Other", 0.0132m)]),
            RateCardJson("b", "2026-04-01", [("Other", 0.0130m)])));

    [Fact]
    public void A_prefix_claimed_by_two_countries_is_named_in_the_error() =>
        Assert.Contains(
            "countries[1] (XB): prefix 91 is also XA's",
            TableError("""
                { "iso": "XA", "name": "A", "prefixes": ["91"], "market": "India" },
                { "iso": "XB", "name": "B", "prefixes": ["91"], "market": "India" }
                """).Problems);

    [Fact]
    public void A_country_in_an_unknown_market_is_named_in_the_error() =>
        Assert.Contains(
            "countries[0] (IN).market: 'Inida' is not in the markets list",
            TableError("""{ "iso": "IN", "name": "India", "prefixes": ["91"], "market": "Inida" }""").Problems);

    [Fact]
    public void Market_changes_must_move_forward_in_time() =>
        Assert.Contains(
            "countries[0] (IN).changes[0]: from 2025-01-01 must be later than the previous assignment (2025-08-01)",
            TableError("""{ "iso": "IN", "name": "India", "prefixes": ["91"], "market": "India", "changes": [{ "from": "2025-01-01", "market": "Other" }] }""").Problems);

    [Theory]
    [InlineData("""{ "iso": "in", "name": "India", "prefixes": ["91"], "market": "India" }""", "iso must be two upper-case letters")]
    [InlineData("""{ "iso": "IN", "name": "India", "prefixes": ["+91"], "market": "India" }""", "prefix '+91' must be 1-15 digits")]
    public void Malformed_iso_codes_and_prefixes_are_refused(string row, string problem) =>
        Assert.Contains(TableError(row).Problems, p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void A_market_table_without_Other_is_refused() =>
        Assert.Contains(TableError(string.Empty, "\"India\"").Problems, p => p.StartsWith("markets: 'Other' must be listed", StringComparison.Ordinal));
}
