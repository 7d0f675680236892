using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class MarketTableTests
{
    private static string MarketOf(string e164, DateOnly? on = null) => Markets.Resolve(Number(e164), on ?? Aug2025).Market.Name;

    [Theory]
    [InlineData("+12025550123", "North America")] // Washington DC
    [InlineData("+14165550123", "North America")] // Toronto: Canada shares +1
    [InlineData("+18095550123", "Rest of Latin America")] // Dominican Republic 809
    [InlineData("+18295550123", "Rest of Latin America")]
    [InlineData("+18495550123", "Rest of Latin America")]
    [InlineData("+18765550123", "Rest of Latin America")] // Jamaica
    [InlineData("+17875550123", "Rest of Latin America")] // Puerto Rico
    [InlineData("+12425550123", "Other")] // Bahamas: NANP but not listed by Meta
    [InlineData("+18685550123", "Other")] // Trinidad and Tobago
    public void Nanp_numbers_resolve_by_area_code_before_falling_back_to_North_America(string number, string market) =>
        Assert.Equal(market, MarketOf(number));

    [Theory]
    [InlineData("+971501234567", "United Arab Emirates")]
    [InlineData("+972501234567", "Israel")]
    [InlineData("+97336123456", "Rest of Middle East")] // Bahrain
    [InlineData("+97433123456", "Rest of Middle East")] // Qatar before July 2026
    [InlineData("+970591234567", "Other")] // Palestine is not in Meta's list
    public void Three_digit_codes_that_share_a_start_are_distinct_markets(string number, string market) =>
        Assert.Equal(market, MarketOf(number));

    [Fact]
    public void A_Russian_number_is_Russia() => Assert.Equal("Russia", MarketOf("+79161234567"));

    [Theory]
    [InlineData("+77011234567")]
    [InlineData("+76001234567")]
    public void Kazakh_numbers_beat_the_shorter_Russian_plus_7_and_become_Kazakhstan_in_October_2026(string number)
    {
        Assert.Equal("Other", MarketOf(number, new DateOnly(2026, 9, 30)));
        Assert.Equal("Kazakhstan", MarketOf(number, new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void The_longest_prefix_wins_for_Crown_Dependencies_inside_plus_44() =>
        Assert.Equal(("Other", "GB"), (MarketOf("+447781123456"), Markets.CountryOf(Number("+447400123456"))!.Iso));

    [Fact]
    public void A_number_no_row_matches_is_Other_with_no_country()
    {
        var resolution = Markets.Resolve(Number("+82101234567"), Today); // South Korea
        Assert.Equal(Market.Other, resolution.Market);
        Assert.Null(resolution.Country);
    }

    [Fact]
    public void Bangladesh_is_Rest_of_Asia_Pacific_until_30_September_2026_and_its_own_market_from_1_October()
    {
        Assert.Equal("Rest of Asia Pacific", MarketOf("+8801712345678", new DateOnly(2026, 9, 30)));
        Assert.Equal("Bangladesh", MarketOf("+8801712345678", new DateOnly(2026, 10, 1)));
    }

    [Theory]
    [InlineData("+85291234567", "Hong Kong")]
    [InlineData("+3620123456", "Hungary")]
    [InlineData("+48501234567", "Poland")]
    [InlineData("+97433123456", "Qatar")]
    [InlineData("+40721234567", "Romania")]
    [InlineData("+6591234567", "Singapore")]
    public void Six_countries_became_their_own_markets_on_1_July_2026(string number, string market)
    {
        Assert.NotEqual(market, MarketOf(number, new DateOnly(2026, 6, 30)));
        Assert.Equal(market, MarketOf(number, new DateOnly(2026, 7, 1)));
    }

    [Fact]
    public void Zimbabwe_was_Other_until_Meta_moved_it_to_Rest_of_Africa_on_1_October_2025()
    {
        Assert.Equal("Other", MarketOf("+263771234567", new DateOnly(2025, 9, 30)));
        Assert.Equal("Rest of Africa", MarketOf("+263771234567", new DateOnly(2025, 10, 1)));
    }

    [Theory]
    [InlineData("2025-08-01", 32)]
    [InlineData("2026-07-01", 38)]
    [InlineData("2026-10-01", 47)]
    public void The_table_yields_the_market_counts_of_each_period(string date, int markets)
    {
        var on = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var inUse = Markets.Countries.Select(country => country.MarketOn(on)).Append(Market.Other).Distinct().Count();
        Assert.Equal(markets, inUse);
    }

    [Fact]
    public void Market_names_accept_the_spellings_found_in_rate_cards()
    {
        Assert.Equal("Rest of Central & Eastern Europe", Market.Parse("Rest of Central and Eastern Europe").Name);
        Assert.Equal("Turkey", Market.Parse("Türkiye").Name);
    }
}
