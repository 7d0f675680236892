using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TestSupport;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

[Collection(AzuriteCollection.Name)]
public sealed class BillingGateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string UsNumberId = "200000000000001";
    private static readonly PhoneNumber India = PhoneNumber.Parse("+919876543210");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
    private RunningFunctionApp _app = null!;

    private IBillingGate Gate => _app.Services.GetRequiredService<IBillingGate>();

    public async Task InitializeAsync() => _app = await BillingTestApp.StartAsync(
        azurite.ConnectionString,
        new Dictionary<string, string?>
        {
            ["BusinessNumbers:1:PhoneNumberId"] = UsNumberId,
            ["BusinessNumbers:1:DisplayNumber"] = "+12125550100",
            ["BusinessNumbers:1:Country"] = "US",
        },
        b => b.Services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<LedgerAppendResult> TopUpAsync(decimal usd) => _app.Ledger().AppendAsync(
        BillingTestApp.WabaId, LedgerEntry.TopUp(Guid.NewGuid().ToString("N"), new Money(usd), _clock.GetUtcNow(), "admin-1", "test"), CancellationToken.None);

    [Fact]
    public async Task An_outbound_call_with_9_98_is_refused_for_the_minimum_balance_and_allowed_after_a_top_up()
    {
        await TopUpAsync(9.98m);
        var refused = await Gate.CheckOutboundAsync(BillingTestApp.BusinessNumberId, India, CancellationToken.None);
        await TopUpAsync(0.02m);
        var allowed = await Gate.CheckOutboundAsync(BillingTestApp.BusinessNumberId, India, CancellationToken.None);

        Assert.Equal(AffordabilityReason.BalanceBelowMinimum, refused.Reason);
        Assert.Contains("$9.98", refused.Message, StringComparison.Ordinal);
        Assert.True(allowed.Allowed);
        Assert.Equal(new Money(0.0053m), allowed.Quote!.PerMinute);
    }

    [Fact]
    public async Task An_outbound_call_to_an_NA_market_or_from_a_US_number_is_refused_whatever_the_balance()
    {
        await TopUpAsync(100m);

        var northAmerica = await Gate.CheckOutboundAsync(BillingTestApp.BusinessNumberId, PhoneNumber.Parse("+13055550123"), CancellationToken.None);
        var fromUs = await Gate.CheckOutboundAsync(UsNumberId, India, CancellationToken.None);

        Assert.Equal(AffordabilityReason.NoRateForMarket, northAmerica.Reason);
        Assert.Equal(AffordabilityReason.BusinessCountryCannotInitiate, fromUs.Reason);
    }

    [Fact]
    public async Task An_inbound_call_needs_the_minimum_balance_too_even_without_the_callers_number()
    {
        var withNumber = await Gate.CheckInboundAsync(BillingTestApp.BusinessNumberId, India, CancellationToken.None);
        var bsuidOnly = await Gate.CheckInboundAsync(BillingTestApp.BusinessNumberId, null, CancellationToken.None);
        await TopUpAsync(10m);
        var funded = await Gate.CheckInboundAsync(UsNumberId, India, CancellationToken.None);
        var sanctioned = await Gate.CheckInboundAsync(BillingTestApp.BusinessNumberId, PhoneNumber.Parse("+5351234567"), CancellationToken.None);

        Assert.Equal(AffordabilityReason.BalanceBelowMinimum, withNumber.Reason);
        Assert.Equal(AffordabilityReason.BalanceBelowMinimum, bsuidOnly.Reason);
        Assert.True(funded.Allowed);
        Assert.Equal(AffordabilityReason.SanctionedNumber, sanctioned.Reason);
    }

    [Fact]
    public async Task The_live_cost_counts_started_pulses_since_connect()
    {
        var connectedAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(56));

        var estimate = await Gate.EstimateLiveCostAsync(India, connectedAt, CancellationToken.None);
        var unpriceable = await Gate.EstimateLiveCostAsync(PhoneNumber.Parse("+201001234567"), connectedAt, CancellationToken.None);

        Assert.Equal(10, estimate!.Pulses);
        Assert.Equal(new Money(0.0053m), estimate.CostSoFar);
        Assert.Null(unpriceable);
    }

    [Fact]
    public async Task A_call_from_an_unconfigured_business_number_is_a_configuration_error()
    {
        await Assert.ThrowsAsync<UnknownBusinessNumberException>(() => Gate.CheckOutboundAsync("999", India, CancellationToken.None));
    }

    [Fact]
    public async Task The_minimum_balance_comes_from_configuration()
    {
        await using var app = await BillingTestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Calling:MinimumBalanceUsd"] = "5" });

        var decision = await app.Services.GetRequiredService<IBillingGate>().GetBalanceAsync(CancellationToken.None);

        Assert.Equal(new Money(5m), decision.Minimum);
    }

    [Theory]
    [InlineData("Billing:WabaTimeZone", "Mars/Olympus_Mons")]
    [InlineData("Billing:BusinessCountriesWithoutOutboundCalling", "US,Canada")]
    [InlineData("Billing:SanctionedPrefixes", "53=Cuba,+0=Nowhere")]
    [InlineData("BusinessNumbers:0:DisplayNumber", "not a number")]
    public async Task Invalid_billing_settings_stop_the_app_at_start_up(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            BillingTestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { [key] = value }));

        // Start-up validation reports one failing options type directly, several in an AggregateException.
        var failures = error is AggregateException many ? many.InnerExceptions : [error];
        var billing = Assert.Single(failures.OfType<OptionsValidationException>(), f => f.OptionsType == typeof(BillingOptions));
        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), billing.Message, StringComparison.Ordinal);
    }
}
