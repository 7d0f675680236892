using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class RateBookTests
{
    [Fact]
    public void A_56_second_call_to_India_costs_ten_pulses_at_0_0053_per_minute()
    {
        var charge = Book.Quote(Number("+919812345678"), Aug2025).PriceFor(56);
        Assert.Equal((10L, 0.0053m, 0.0053m), (charge.Pulses, charge.PerMinuteRate.Usd, charge.Cost.Usd));
    }

    [Fact]
    public void A_56_second_call_to_the_United_Kingdom_costs_0_0099() =>
        Assert.Equal(0.0099m, Book.Quote(Number("+447400123456"), Aug2025).PriceFor(56).Cost.Usd);

    [Fact]
    public void A_61_second_call_to_India_costs_eleven_pulses_exactly() =>
        Assert.Equal(0.00583m, Book.Quote(Number("+919812345678"), Aug2025).PriceFor(61).Cost.Usd);

    [Fact]
    public void An_unlisted_country_is_priced_at_the_Other_rate()
    {
        var quote = Book.Quote(Number("+82101234567"), Aug2025);
        Assert.Equal((RateQuoteStatus.Priced, 0.0132m), (quote.Status, quote.PerMinute!.Value.Usd));
    }

    [Theory]
    [InlineData("+201001234567", "Egypt")]
    [InlineData("+2348031234567", "Nigeria")]
    [InlineData("+905321234567", "Turkey")]
    [InlineData("+12025550123", "North America")]
    [InlineData("+14165550123", "North America")]
    public void The_markets_the_Aug_2025_card_marks_N_A_have_no_rate(string number, string market)
    {
        var quote = Book.Quote(Number(number), Today);
        Assert.Equal((RateQuoteStatus.NotAvailable, market), (quote.Status, quote.Market.Name));
        Assert.False(quote.IsBillable);
        Assert.Throws<InvalidOperationException>(() => quote.PriceFor(60));
    }

    [Fact]
    public void A_later_rate_card_with_a_rate_for_Egypt_makes_Egypt_callable_from_its_date()
    {
        var book = BookWith(
            RateCardJson("aug-2025", "2025-08-01", [("Other", 0.0132m)], "Egypt"),
            RateCardJson("jan-2027", "2027-01-01", [("Other", 0.0132m), ("Egypt", 0.0150m)]));
        Assert.Equal(RateQuoteStatus.NotAvailable, book.Quote(Number("+201001234567"), new DateOnly(2026, 12, 31)).Status);
        var quote = book.Quote(Number("+201001234567"), new DateOnly(2027, 1, 1));
        Assert.Equal((RateQuoteStatus.Priced, 0.0150m, "jan-2027"), (quote.Status, quote.PerMinute!.Value.Usd, quote.Card!.Id));
    }

    [Fact]
    public void A_rate_change_applies_from_the_new_cards_effective_date()
    {
        var book = BookWith(
            RateCardJson("old", "2025-08-01", [("Other", 0.0132m), ("India", 0.0053m)]),
            RateCardJson("new", "2026-04-01", [("Other", 0.0132m), ("India", 0.0049m)]));
        Assert.Equal(0.0053m, book.Quote(Number("+919812345678"), new DateOnly(2026, 3, 31)).PerMinute!.Value.Usd);
        Assert.Equal(0.0049m, book.Quote(Number("+919812345678"), new DateOnly(2026, 4, 1)).PerMinute!.Value.Usd);
    }

    [Fact]
    public void A_market_missing_from_the_card_with_no_former_region_has_no_rate() =>
        Assert.Equal(
            RateQuoteStatus.MissingFromRateCard,
            BookWith(RateCardJson("partial", "2025-08-01", [("Other", 0.0132m)])).Quote(Number("+919812345678"), Aug2025).Status);

    [Fact]
    public void A_country_that_left_its_region_is_priced_at_the_region_and_marked_estimated()
    {
        var quote = Book.Quote(Number("+8801712345678"), Today); // Bangladesh, standalone since 1 Oct 2026
        Assert.Equal(RateQuoteStatus.Estimated, quote.Status);
        Assert.Equal(("Bangladesh", "Rest of Asia Pacific", 0.0114m), (quote.Market.Name, quote.PricedAs!.Value.Name, quote.PerMinute!.Value.Usd));
        Assert.True(quote.PriceFor(56).IsEstimated);
    }

    [Fact]
    public void A_125_second_call_to_Bangladesh_in_November_2026_costs_21_pulses_at_the_Asia_Pacific_rate() =>
        Assert.Equal(0.02394m, Book.Quote(Number("+8801712345678"), Today).PriceFor(125).Cost.Usd);

    [Fact]
    public void Before_it_left_the_region_the_same_number_is_priced_without_estimate()
    {
        var quote = Book.Quote(Number("+8801712345678"), new DateOnly(2026, 9, 30));
        Assert.Equal((RateQuoteStatus.Priced, "Rest of Asia Pacific"), (quote.Status, quote.Market.Name));
    }

    [Fact]
    public void The_effective_date_is_the_calendar_date_in_the_business_accounts_time_zone()
    {
        // 23:30 UTC on 30 Sep 2026 is already 1 Oct in UTC+3, so the October market list applies.
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+3", TimeSpan.FromHours(3), "UTC+3", "UTC+3");
        var instant = new DateTimeOffset(2026, 9, 30, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal("Bangladesh", Book.Quote(Number("+8801712345678"), instant, zone).Market.Name);
        Assert.Equal("Rest of Asia Pacific", Book.Quote(Number("+8801712345678"), instant, TimeZoneInfo.Utc).Market.Name);
    }

    [Fact]
    public void Before_the_first_rate_card_no_card_is_in_effect() =>
        Assert.Equal(RateQuoteStatus.NoRateCardInEffect, Book.Quote(Number("+919812345678"), new DateOnly(2025, 7, 31)).Status);
}
