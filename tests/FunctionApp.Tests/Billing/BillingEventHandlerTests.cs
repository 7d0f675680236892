using TestSupport;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using CallDirection = WhatsAppCalling.Domain.Webhooks.CallDirection;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

[Collection(AzuriteCollection.Name)]
public sealed class BillingEventHandlerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string India = "+919876543210";
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await BillingTestApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<LedgerBalance> BalanceAsync() => _app.Ledger().GetBalanceAsync(BillingTestApp.WabaId, CancellationToken.None);

    private Task<IReadOnlyList<LedgerRecord>> EntriesAsync() => _app.Ledger().ReadAllAsync(BillingTestApp.WabaId, CancellationToken.None);

    [Fact]
    public async Task A_56_second_call_to_India_debits_exactly_10_pulses_at_the_rate_over_10()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.india56", India, 56));

        var entry = Assert.Single(await EntriesAsync()).Entry;
        Assert.Equal("call:wacid.india56", entry.Key);
        Assert.Equal(LedgerEntryKind.CallDebit, entry.Kind);
        Assert.Equal(10, entry.Charge!.Pulses);
        Assert.Equal(new Money(0.0053m), entry.Charge.PerMinuteRate);
        Assert.Equal(new Money(-(10 * 0.0053m / 10)), entry.Amount);
        Assert.Equal(BillingEventHandler.Actor, entry.Actor);
        Assert.Equal(new Money(-0.0053m), (await BalanceAsync()).Balance);
        Assert.Equal(1.0m, await _app.Ledger().GetBilledMinutesAsync(
            BillingTestApp.WabaId, new VolumeBucket(DateOnly.FromDateTime(BillingTestApp.CallStart.UtcDateTime), Market.Parse("India")), CancellationToken.None));
    }

    [Fact]
    public async Task A_duplicated_terminate_charges_once()
    {
        var terminate = BillingTestApp.Terminate("wacid.dup", India, 61);

        await _app.DeliverAsync(terminate);
        await _app.DeliverAsync(terminate);
        await _app.DeliverAsync(terminate, stale: true);

        Assert.Single(await EntriesAsync());
        Assert.Equal(new Money(-0.00583m), (await BalanceAsync()).Balance);
    }

    [Fact]
    public async Task A_terminate_before_its_connect_charges_once()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.order", India, 56));
        await _app.DeliverAsync(BillingTestApp.Connect("wacid.order", India));
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.order", India, 56));

        Assert.Single(await EntriesAsync());
        Assert.Equal(new Money(-0.0053m), (await BalanceAsync()).Balance);
    }

    [Fact]
    public async Task Concurrent_redeliveries_of_one_terminate_charge_once()
    {
        var terminate = BillingTestApp.Terminate("wacid.race", India, 56);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _app.DeliverAsync(terminate))));

        Assert.Single(await EntriesAsync());
        Assert.Equal(new Money(-0.0053m), (await BalanceAsync()).Balance);
    }

    [Fact]
    public async Task A_terminate_without_a_duration_is_measured_from_its_start_and_end_times()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.noduration", India, 56) with { Duration = null });

        Assert.Equal(new Money(-0.0053m), (await BalanceAsync()).Balance);
    }

    [Fact]
    public async Task A_stale_terminate_still_charges()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.stale", India, 6), stale: true);

        Assert.Equal(new Money(-0.00053m), (await BalanceAsync()).Balance);
    }

    [Theory]
    [InlineData(CallDirection.UserInitiated, 120)]
    [InlineData(CallDirection.BusinessInitiated, null)]
    [InlineData(CallDirection.BusinessInitiated, 0)]
    [InlineData(CallDirection.Unknown, 30)]
    public async Task Free_unanswered_and_undirected_calls_are_not_charged(CallDirection direction, int? seconds)
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.free", India, seconds, direction));

        Assert.Empty(await EntriesAsync());
    }

    [Fact]
    public async Task A_connected_call_without_the_callee_number_or_to_an_NA_market_is_not_charged()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.bsuid", customer: null, 56));
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.egypt", "+201001234567", 56));

        Assert.Empty(await EntriesAsync());
    }
}
