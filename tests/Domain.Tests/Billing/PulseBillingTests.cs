using WhatsAppCalling.Domain.Billing;
using FsCheck;
using FsCheck.Fluent;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class PulseBillingTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 1)]
    [InlineData(7, 2)]
    [InlineData(56, 10)]
    [InlineData(60, 10)]
    [InlineData(61, 11)]
    public void A_call_is_billed_in_six_second_pulses_rounded_up(long seconds, long pulses) =>
        Assert.Equal(pulses, PulseBilling.PulsesFor(seconds));

    [Fact]
    public void A_56_second_call_is_ten_pulses() => Assert.Equal(10, PulseBilling.PulsesFor(56));

    [Fact]
    public void A_three_hour_call_is_1800_pulses_and_one_more_second_starts_another() // no duration limit (§0)
    {
        Assert.Equal(1800, PulseBilling.PulsesFor(3 * 3600));
        Assert.Equal(1801, PulseBilling.PulsesFor(3 * 3600 + 1));
    }

    [Fact]
    public void A_fraction_of_a_second_past_a_pulse_starts_a_new_pulse() =>
        Assert.Equal(2, PulseBilling.PulsesFor(TimeSpan.FromSeconds(6) + TimeSpan.FromMilliseconds(1)));

    [Fact]
    public void Ten_pulses_cost_exactly_the_per_minute_rate() =>
        Assert.Equal(0.0053m, PulseBilling.CostOf(10, Usd(0.0053m)).Usd);

    [Fact]
    public void Eleven_pulses_at_India_rate_cost_five_decimal_places_exactly() =>
        Assert.Equal(0.00583m, PulseBilling.CostOf(11, Usd(0.0053m)).Usd);

    [Fact]
    public void A_negative_duration_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PulseBilling.PulsesFor(-1));

    [Fact]
    public void Pulses_always_cover_the_duration_and_never_by_a_whole_pulse_too_many() =>
        Prop.ForAll(
            Gen.Choose(0, 1_000_000).ToArbitrary(),
            seconds =>
            {
                var pulses = PulseBilling.PulsesFor(seconds);
                return pulses * 6 >= seconds && (pulses - 1) * 6 < Math.Max(seconds, 1);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Cost_is_additive_over_pulses() =>
        Prop.ForAll(
            Gen.Choose(0, 100_000).ToArbitrary(),
            Gen.Choose(0, 100_000).ToArbitrary(),
            (a, b) => PulseBilling.CostOf(a + b, Usd(0.0127m)) == PulseBilling.CostOf(a, Usd(0.0127m)) + PulseBilling.CostOf(b, Usd(0.0127m)))
        .QuickCheckThrowOnFailure();
}
