using System.Globalization;
using TestSupport;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

/// <summary>Keys holding what Table Storage forbids (a Base64 call id, '%', controls) work through every operation of the client.</summary>
public sealed class EscapedKeyTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string CallId = "wacid.HBgLMTU1/NTEy+MzQ1Njc=";

    [Fact]
    public async Task A_row_keyed_by_forbidden_characters_is_inserted_read_updated_and_deleted()
    {
        var table = await TableTestTables.NewAsync(azurite);
        const string row = "who?#\\%2F\t";

        var etag = await table.AddEntityAsync(new TableEntity(CallId, row).With("N", 1));
        var read = await table.GetEntityIfExistsAsync(CallId, row);
        await table.UpdateEntityAsync(new TableEntity(CallId, row).With("N", 2), etag);
        var updated = await table.GetEntityAsync(CallId, row);
        await table.DeleteEntityAsync(CallId, row);

        Assert.NotNull(read);
        Assert.Equal((CallId, row, 1), (read.PartitionKey, read.RowKey, read.GetInt32("N")));
        Assert.Equal(2, updated.GetInt32("N"));
        Assert.Null(await table.GetEntityIfExistsAsync(CallId, row));
    }

    [Fact]
    public async Task Escaped_and_literal_look_alikes_are_different_rows()
    {
        var table = await TableTestTables.NewAsync(azurite);

        await table.AddEntityAsync(new TableEntity("p", "a/b").With("Which", "slash"));
        await table.AddEntityAsync(new TableEntity("p", "a%2Fb").With("Which", "percent"));

        Assert.Equal("slash", (await table.GetEntityAsync("p", "a/b")).GetString("Which"));
        Assert.Equal("percent", (await table.GetEntityAsync("p", "a%2Fb")).GetString("Which"));
        var rows = await table.QueryAsync(TableFilter.PartitionKeyEquals("p")).ToListAsync();
        Assert.Equal(["a%2Fb", "a/b"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_partition_filter_finds_exactly_the_rows_of_an_escaped_partition_key()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.UpsertEntityAsync(new TableEntity(CallId, "inbound"));
        await table.UpsertEntityAsync(new TableEntity(CallId + "x", "inbound"));
        await table.UpsertEntityAsync(new TableEntity("wacid.HBgLMTU1_NTEy+MzQ1Njc=", "inbound"));

        var rows = await table.QueryAsync(TableFilter.PartitionKeyEquals(CallId).And(TableFilter.RowKeyEquals("inbound"))).ToListAsync();

        Assert.Equal(CallId, Assert.Single(rows).PartitionKey);
    }

    [Fact]
    public async Task A_prefix_range_holds_exactly_the_keys_with_that_prefix_even_when_it_is_escaped()
    {
        var table = await TableTestTables.NewAsync(azurite);
        string[] inside = ["call:a/", "call:a/b", "call:a/~", "call:a/%"];
        string[] outside = ["call:a", "call:a0", "call:a%2F", "call:a.", "call:a?", "call:b/"];
        foreach (var key in inside.Concat(outside))
            await table.AddEntityAsync(new TableEntity("p", key));

        var rows = await table.QueryAsync(TableFilter.PartitionKeyEquals("p").And(TableFilter.RowKeyStartsWith("call:a/"))).ToListAsync();

        Assert.Equal(inside.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Time_ordered_row_keys_of_an_escaped_partition_come_back_in_time_order()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var start = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        // The call timeline's shape: zero-padded ticks first, then parts that may hold escaped characters.
        string[] keys = [.. Enumerable.Range(0, 12).Select(i =>
            $"{start.AddSeconds(i * 7 % 12).UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|0{i % 3}|Line|{(i % 2 == 0 ? "Agent:a/b#" : "System")}")];
        foreach (var key in keys)
            await table.AddEntityAsync(new TableEntity(CallId, key));

        var all = await table.QueryAsync(TableFilter.PartitionKeyEquals(CallId)).ToListAsync();
        var fromSecondSix = await table.QueryAsync(TableFilter.PartitionKeyEquals(CallId)
            .And(TableFilter.Compare("RowKey", TableOperator.GreaterThanOrEqual, start.AddSeconds(6).UtcTicks.ToString("D19", CultureInfo.InvariantCulture)))).ToListAsync();

        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(r => r.RowKey));
        Assert.Equal(keys.Where(k => string.CompareOrdinal(k, start.AddSeconds(6).UtcTicks.ToString("D19", CultureInfo.InvariantCulture)) >= 0).Order(StringComparer.Ordinal),
            fromSecondSix.Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_transaction_on_an_escaped_partition_applies_every_operation()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var etag = await table.AddEntityAsync(new TableEntity(CallId, "state/1").With("N", 1));
        await table.AddEntityAsync(new TableEntity(CallId, "gone#"));

        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity(CallId, "entry|a/b?").With("N", 5)),
            new(TableTransactionActionType.UpdateReplace, new TableEntity(CallId, "state/1").With("N", 2), etag),
            new(TableTransactionActionType.UpsertMerge, new TableEntity(CallId, "100%").With("N", 7)),
            new(TableTransactionActionType.Delete, new TableEntity(CallId, "gone#")),
        ]);

        var rows = await table.QueryAsync(TableFilter.PartitionKeyEquals(CallId)).ToListAsync();
        Assert.Equal(
            [("100%", 7), ("entry|a/b?", 5), ("state/1", 2)],
            rows.Select(r => (r.RowKey, r.GetInt32("N") ?? 0)).OrderBy(r => r.RowKey, StringComparer.Ordinal));
    }
}
