using TestSupport;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;
using WhatsAppCalling.Storage.Tests.Tables;

namespace WhatsAppCalling.Storage.Tests.Concurrency;

public sealed class OptimisticConcurrencyTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static TableEntity Increment(TableEntity? current, string partitionKey, string rowKey) =>
        new TableEntity(partitionKey, rowKey).With("Count", (current?.GetInt64("Count") ?? 0) + 1);

    [Fact]
    public async Task One_hundred_concurrent_increments_end_exactly_one_hundred_higher()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("balance", "b").With("Count", 7L));
        var helper = new OptimisticConcurrency();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(
            () => helper.UpdateAsync(table, "balance", "b", current => Increment(current, "balance", "b")))));

        Assert.Equal(107, (await table.GetEntityAsync("balance", "b")).GetInt64("Count"));
    }

    [Fact]
    public async Task Two_hundred_contending_writers_all_succeed_with_the_default_budget()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var helper = new OptimisticConcurrency();

        // The row does not exist yet: the first writers race on insert (409) as well as on update (412).
        var written = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(
            () => helper.UpdateAsync(table, "hot", "row", current => Increment(current, "hot", "row")))));

        Assert.All(written, w => Assert.NotNull(w!.ETag));
        Assert.Equal(200, (await table.GetEntityAsync("hot", "row")).GetInt64("Count"));
    }

    [Fact]
    public async Task Returning_null_from_the_modification_writes_nothing()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var etag = await table.AddEntityAsync(new TableEntity("p", "r").With("Count", 1L));

        var result = await new OptimisticConcurrency().UpdateAsync(table, "p", "r", _ => null);

        Assert.Equal(etag, result!.ETag);
        Assert.Equal(etag, (await table.GetEntityAsync("p", "r")).ETag);
    }

    [Fact]
    public async Task An_exhausted_budget_is_a_typed_conflict_carrying_the_last_race()
    {
        var helper = new OptimisticConcurrency(new OptimisticConcurrencyOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        var calls = 0;

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => helper.ExecuteAsync<int>("balances(b, b)", _ =>
        {
            calls++;
            throw new StoragePreconditionFailedException(412, StorageErrorCodes.UpdateConditionNotSatisfied, "changed");
        }));

        Assert.Equal(3, calls);
        Assert.Equal(3, error.Attempts);
        Assert.Equal("balances(b, b)", error.Resource);
        Assert.IsType<StoragePreconditionFailedException>(error.InnerException);
    }

    [Fact]
    public async Task Errors_other_than_write_races_are_not_retried()
    {
        var helper = new OptimisticConcurrency();
        var calls = 0;

        await Assert.ThrowsAsync<StorageNotFoundException>(() => helper.ExecuteAsync<int>("t", _ =>
        {
            calls++;
            throw new StorageNotFoundException(404, StorageErrorCodes.TableNotFound, "no table");
        }));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Backoff_is_jittered_below_a_doubling_ceiling()
    {
        var helper = new OptimisticConcurrency(new OptimisticConcurrencyOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100) });

        var delays = Enumerable.Range(0, 200).Select(_ => helper.Backoff(3)).ToList();

        Assert.All(delays, d => Assert.InRange(d.TotalMilliseconds, 0, 40));
        Assert.True(delays.Distinct().Count() > 1);
        Assert.All(Enumerable.Range(0, 50).Select(_ => helper.Backoff(30)), d => Assert.InRange(d.TotalMilliseconds, 0, 100));
    }

    [Fact]
    public async Task A_transaction_that_loses_a_race_is_retried_from_a_fresh_read()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("w", "balance").With("Count", 0L));
        var helper = new OptimisticConcurrency();

        // Each writer moves the balance and appends its own ledger row in one transaction.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => helper.ExecuteAsync($"ledger {i}", async ct =>
        {
            var balance = await table.GetEntityAsync("w", "balance", ct: ct);
            var next = new TableEntity("w", "balance").With("Count", balance.GetInt64("Count")!.Value + 1);
            return await table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.UpdateReplace, next, balance.ETag),
                new(TableTransactionActionType.Add, new TableEntity("w", $"entry-{i:D2}")),
            ], ct);
        }))));

        Assert.Equal(20, (await table.GetEntityAsync("w", "balance")).GetInt64("Count"));
        Assert.Equal(21, await table.QueryAsync(TableFilter.PartitionKeyEquals("w")).CountAsync());
    }
}
