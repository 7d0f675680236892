using WhatsAppCalling.Domain.Billing;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class CallingAvailabilityTests
{
    private static readonly CallingAvailability Rules = Availability();
    private const string IndianBusiness = "+919800000001";

    private static AvailabilityResult Outbound(string business, string customer, string? businessCountry = null) =>
        Rules.Check(CallDirection.BusinessInitiated, Number(business), businessCountry, Number(customer));

    [Theory]
    [InlineData("+12025550100", null)]
    [InlineData("+14165550100", "CA")]
    [InlineData("+201001234567", null)]
    [InlineData("+84912345678", null)]
    [InlineData("+2348031234567", null)]
    [InlineData("+905321234567", null)]
    public void Business_numbers_of_the_excluded_countries_cannot_start_calls(string business, string? country) =>
        Assert.Equal(AvailabilityIssue.BusinessCountryCannotInitiate, Outbound(business, "+447400123456", country).Issue);

    [Fact]
    public void The_configured_business_country_wins_over_the_prefix() =>
        Assert.True(Outbound("+12025550100", "+447400123456", businessCountry: "GB").Available);

    [Fact]
    public void A_business_in_an_excluded_country_can_still_receive_calls() =>
        Assert.True(Rules.Check(CallDirection.UserInitiated, Number("+12025550100"), null, Number("+447400123456")).Available);

    [Fact]
    public void The_excluded_list_is_configurable() =>
        Assert.True(Availability(new CallingAvailabilityOptions { BusinessCountriesWithoutBusinessInitiatedCalling = ["US", "CA", "EG", "VN", "NG"] })
            .Check(CallDirection.BusinessInitiated, Number("+905321234567"), null, Number("+447400123456")).Available);

    [Fact]
    public void A_customer_in_an_excluded_country_can_be_called_from_elsewhere() =>
        Assert.True(Outbound(IndianBusiness, "+84912345678").Available);

    [Theory]
    [InlineData("+5351234567", "Cuba")]
    [InlineData("+989121234567", "Iran")]
    [InlineData("+850212345678", "North Korea")]
    [InlineData("+963944123456", "Syria")]
    [InlineData("+79781234567", "Crimea and Sevastopol")]
    [InlineData("+79491234567", "Donetsk")]
    [InlineData("+79591234567", "Luhansk")]
    public void Sanctioned_customers_are_refused_in_both_directions(string customer, string region)
    {
        var outbound = Outbound(IndianBusiness, customer);
        var inbound = Rules.Check(CallDirection.UserInitiated, Number(IndianBusiness), null, Number(customer));
        Assert.Equal((AvailabilityIssue.SanctionedCustomerNumber, AvailabilityIssue.SanctionedCustomerNumber), (outbound.Issue, inbound.Issue));
        Assert.Contains(region, outbound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sanctioned_business_number_is_refused() =>
        Assert.Equal(AvailabilityIssue.SanctionedBusinessNumber, Outbound("+963944000001", "+447400123456").Issue);

    [Fact]
    public void Moscow_numbers_are_not_caught_by_the_Crimean_prefixes() =>
        Assert.True(Outbound(IndianBusiness, "+79161234567").Available);

    [Fact]
    public void Whole_oblast_codes_of_Donetsk_and_Luhansk_are_left_out_by_default_to_avoid_blocking_Ukrainian_controlled_areas() =>
        Assert.True(Outbound(IndianBusiness, "+380621234567").Available && Outbound(IndianBusiness, "+380641234567").Available);

    [Fact]
    public void The_sanctioned_list_is_configurable() =>
        Assert.Equal(
            AvailabilityIssue.SanctionedCustomerNumber,
            Availability(new CallingAvailabilityOptions { SanctionedPrefixes = [new SanctionedPrefix("38062", "Donetsk oblast", Approximate: true)] })
                .Check(CallDirection.BusinessInitiated, Number(IndianBusiness), null, Number("+380621234567")).Issue);

    [Theory]
    [InlineData("+971501234567")]
    [InlineData("+966501234567")]
    [InlineData("+97433123456")]
    [InlineData("+201001234567")]
    public void Calls_to_the_Gulf_states_and_Egypt_carry_a_limited_reliability_warning(string customer) =>
        Assert.Equal(CallWarningCode.LimitedReliability, Assert.Single(Outbound(IndianBusiness, customer).Warnings).Code);

    [Fact]
    public void Calls_from_a_UAE_business_number_carry_the_warning_too() =>
        Assert.Single(Outbound("+971501234500", "+447400123456").Warnings);

    [Fact]
    public void Calls_between_other_countries_carry_no_warning() => Assert.Empty(Outbound(IndianBusiness, "+447400123456").Warnings);

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1999, false)]
    [InlineData(2000, true)]
    [InlineData(long.MaxValue, true)]
    public void Enabling_calling_needs_a_messaging_limit_of_2000_by_default(long limit, bool allowed) =>
        Assert.Equal(allowed, Rules.CanEnableCalling(limit).Allowed);

    [Fact]
    public void The_messaging_limit_threshold_is_configurable_to_the_seeds_1000() =>
        Assert.True(Availability(new CallingAvailabilityOptions { MessagingLimitThreshold = 1000 }).CanEnableCalling(1000).Allowed);

    [Fact]
    public void Test_numbers_are_exempt_from_the_messaging_limit() =>
        Assert.True(Rules.CanEnableCalling(250, isTestNumber: true).Allowed);
}
