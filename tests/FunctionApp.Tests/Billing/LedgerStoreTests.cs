using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

[Collection(AzuriteCollection.Name)]
public sealed class LedgerStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private RunningFunctionApp _app = null!;
    private readonly string _waba = "w" + Guid.NewGuid().ToString("N")[..12];

    private LedgerStore Store => _app.Ledger();

    public async Task InitializeAsync() => _app = await BillingTestApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_debits_and_credits_end_at_the_exact_balance_and_the_ledger_sums_to_it()
    {
        // Amounts with 5 decimals, as pulse arithmetic produces: any float rounding would show in the total.
        var entries = Enumerable.Range(1, 200).Select(i => i % 2 == 0
                ? LedgerEntry.TopUp($"credit-{i}", new Money(1.00001m * i), At, "admin-1", "test credit")
                : LedgerEntry.Adjustment($"debit-{i}", new Money(-0.00583m * i), At, "test", "test debit"))
            .ToList();
        var expected = entries.Aggregate(Money.Zero, (sum, e) => sum + e.Amount);

        // Four stores stand for four function-app instances: each serialises its own writers, so the instances race
        // on the balance row's ETag as scaled-out hosts would.
        var storage = _app.Services.GetRequiredService<AppStorage>();
        LedgerStore[] instances = [Store, .. Enumerable.Range(0, 3).Select(_ => new LedgerStore(storage, TimeProvider.System))];
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(entries.Select((e, i) => Task.Run(() => instances[i % 4].AppendAsync(_waba, e, CancellationToken.None))));
        watch.Stop();

        Assert.All(results, r => Assert.Equal(LedgerAppendOutcome.Append, r.Outcome));
        Assert.Equal(expected, (await Store.GetBalanceAsync(_waba, CancellationToken.None)).Balance);
        var stored = await Store.ReadAllAsync(_waba, CancellationToken.None);
        Assert.Equal(200, stored.Count);
        Assert.Equal(expected, stored.Aggregate(Money.Zero, (sum, r) => sum + r.Entry.Amount));
        // Every append saw the balance before it: the sequence numbers are 1..200 without gaps or repeats.
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Select(r => r.Sequence).Order());
        var rebuild = await Store.RebuildAsync(_waba, write: false, CancellationToken.None);
        Assert.Equal(expected, rebuild.Replay.Balance);
        Assert.False(rebuild.Corrected);
        // About 3 s on an idle 2-core machine; the bound only catches retry storms (it was 16 s before instances took turns).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"200 contended appends took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_same_key_twice_is_recorded_once_and_a_different_amount_under_it_is_a_conflict()
    {
        var first = await Store.AppendAsync(_waba, LedgerEntry.TopUp("k1", new Money(25m), At, "admin-1", "INV-1"), CancellationToken.None);
        var repeat = await Store.AppendAsync(_waba, LedgerEntry.TopUp("k1", new Money(25m), At.AddMinutes(1), "admin-1", "INV-1"), CancellationToken.None);
        var other = await Store.AppendAsync(_waba, LedgerEntry.TopUp("k1", new Money(30m), At, "admin-1", "INV-1"), CancellationToken.None);

        Assert.Equal(LedgerAppendOutcome.Append, first.Outcome);
        Assert.Equal(LedgerAppendOutcome.AlreadyRecorded, repeat.Outcome);
        Assert.Equal(first.Record, repeat.Record);
        Assert.Equal(LedgerAppendOutcome.Conflict, other.Outcome);
        Assert.Equal(new Money(25m), (await Store.GetBalanceAsync(_waba, CancellationToken.None)).Balance);
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_key_are_recorded_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Store.AppendAsync(_waba, LedgerEntry.TopUp("same", new Money(10m), At, "admin-1", "retry storm"), CancellationToken.None))));

        Assert.Single(results, r => r.Outcome == LedgerAppendOutcome.Append);
        Assert.Equal(new Money(10m), (await Store.GetBalanceAsync(_waba, CancellationToken.None)).Balance);
    }

    [Fact]
    public async Task Each_entry_keeps_who_and_why_and_the_amount_exactly()
    {
        await Store.AppendAsync(_waba, LedgerEntry.Adjustment("fix-1", new Money(-0.00583m), At, "supervisor-1", "refund of a dropped call"), CancellationToken.None);

        var record = await Store.FindAsync(_waba, "adjustment:fix-1", CancellationToken.None);

        Assert.NotNull(record);
        Assert.Equal(new Money(-0.00583m), record.Entry.Amount);
        Assert.Equal("supervisor-1", record.Entry.Actor);
        Assert.Equal("refund of a dropped call", record.Entry.Reason);
        Assert.Equal(At, record.Entry.At);
    }

    [Fact]
    public async Task A_damaged_balance_row_is_rebuilt_from_the_entries()
    {
        await Store.AppendAsync(_waba, LedgerEntry.TopUp("a", new Money(12.5m), At, "admin-1", "INV-2"), CancellationToken.None);
        await Store.AppendAsync(_waba, LedgerEntry.Adjustment("b", new Money(-0.0053m), At, "admin-1", "test"), CancellationToken.None);
        var table = await _app.Services.GetRequiredService<AppStorage>().TableAsync(AppTables.Ledger, CancellationToken.None);
        var row = await table.GetEntityAsync(_waba, "balance");
        row["BalanceUsd"] = 999m;
        await table.UpdateEntityAsync(row, TableClient.AnyETag);

        var rebuild = await Store.RebuildAsync(_waba, write: true, CancellationToken.None);

        Assert.True(rebuild.Corrected);
        Assert.Equal(new Money(999m), rebuild.StoredBefore);
        Assert.Equal(new Money(12.4947m), (await Store.GetBalanceAsync(_waba, CancellationToken.None)).Balance);
    }

    [Fact]
    public async Task Pages_list_every_entry_once_newest_first()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.AppendAsync(_waba, LedgerEntry.TopUp($"p{i}", new Money(i), At, "admin-1", "paging"), CancellationToken.None);
        }

        var seen = new List<long>();
        string? continuation = null;
        do
        {
            var page = await Store.ListAsync(_waba, 2, continuation, CancellationToken.None);
            seen.AddRange(page.Records.Select(r => r.Sequence));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        Assert.Equal([5L, 4, 3, 2, 1], seen);
    }
}
