using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

/// <summary>Whole-table checks of the shipped data, beyond what the loader validates entry by entry.</summary>
public sealed class ShippedDataTests
{
    private static readonly DateOnly[] PeriodStarts =
        [new(2025, 8, 1), new(2025, 10, 1), new(2026, 7, 1), new(2026, 10, 1), Today];

    private static PhoneNumber SampleNumber(string prefix) => Number("+" + prefix.PadRight(11, '5'));

    [Fact]
    public void Every_prefix_in_the_table_resolves_to_its_own_country()
    {
        foreach (var country in Markets.Countries)
        {
            foreach (var prefix in country.Prefixes)
            {
                Assert.Equal(country.Iso, Markets.CountryOf(SampleNumber(prefix))?.Iso);
            }
        }
    }

    [Fact]
    public void Every_country_is_priced_or_deliberately_N_A_in_every_period()
    {
        foreach (var date in PeriodStarts)
        {
            foreach (var country in Markets.Countries.Where(country => country.Prefixes.Count > 0))
            {
                var status = Book.Quote(SampleNumber(country.Prefixes[0]), date).Status;
                Assert.True(
                    status is RateQuoteStatus.Priced or RateQuoteStatus.Estimated or RateQuoteStatus.NotAvailable,
                    $"{country.Iso} on {date:yyyy-MM-dd}: {status}");
            }
        }
    }

    [Fact]
    public void Only_the_four_N_A_markets_are_unpriceable_today()
    {
        var unpriceable = Markets.Countries
            .Where(country => country.Prefixes.Count > 0 && !Book.Quote(SampleNumber(country.Prefixes[0]), Today).IsBillable)
            .Select(country => country.MarketOn(Today).Name)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal(["Egypt", "Nigeria", "North America", "Turkey"], unpriceable);
    }

    [Fact]
    public void Exactly_the_fifteen_split_out_markets_are_estimated_today()
    {
        var estimated = Markets.Countries
            .Where(country => country.Prefixes.Count > 0 && Book.Quote(SampleNumber(country.Prefixes[0]), Today).IsEstimated)
            .Select(country => country.Iso)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["BD", "HK", "HU", "IQ", "KW", "KZ", "LK", "MA", "NP", "OM", "PL", "QA", "RO", "SG", "UA"], estimated);
    }
}
