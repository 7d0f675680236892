using TestSupport;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableTransactionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_transaction_applies_every_kind_of_operation_and_returns_ETags()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var existingEtag = await table.AddEntityAsync(new TableEntity("p", "update").With("N", 1));
        await table.AddEntityAsync(new TableEntity("p", "merge").With("A", 1));
        await table.AddEntityAsync(new TableEntity("p", "delete"));

        var results = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add").With("N", 1)),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "update").With("N", 2), existingEtag),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge").With("B", 2)),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert").With("N", 3)),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertmerge").With("N", 4)),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
        ]);

        Assert.Equal(6, results.Count);
        Assert.All(results.Take(5), r => Assert.False(string.IsNullOrEmpty(r.ETag)));
        var rows = await table.QueryAsync(TableFilter.PartitionKeyEquals("p")).ToListAsync();
        Assert.Equal(["add", "merge", "update", "upsert", "upsertmerge"], rows.Select(r => r.RowKey));
        Assert.Equal((1, 2), (rows[1].GetInt32("A"), rows[1].GetInt32("B")));
        Assert.Equal(2, rows[2].GetInt32("N"));
    }

    [Fact]
    public async Task A_failing_operation_rolls_back_the_whole_transaction_and_is_named()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "taken"));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken")),
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh2")),
        ]));

        Assert.Equal(1, error.FailedOperationIndex);
        Assert.Equal(StorageErrorCodes.EntityAlreadyExists, error.ErrorCode);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "fresh"));
        Assert.Null(await table.GetEntityIfExistsAsync("p", "fresh2"));
    }

    [Fact]
    public async Task A_stale_ETag_inside_a_transaction_fails_it_with_412()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var stale = await table.AddEntityAsync(new TableEntity("p", "r").With("N", 1));
        await table.UpsertEntityAsync(new TableEntity("p", "r").With("N", 2));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "other")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "r").With("N", 3), stale),
        ]));

        Assert.Equal(412, error.Status);
        Assert.Equal(1, error.FailedOperationIndex);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "other"));
    }

    [Fact]
    public async Task Transactions_are_limited_to_one_partition_100_operations_and_one_touch_per_row()
    {
        var table = await TableTestTables.NewAsync(azurite);

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("a", "1")), new(TableTransactionActionType.Add, new TableEntity("b", "1"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("a", "1")), new(TableTransactionActionType.Delete, new TableEntity("a", "1"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("a", $"{i}"))).ToList()));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
    }
}
