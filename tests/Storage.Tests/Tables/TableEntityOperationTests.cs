using TestSupport;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableEntityOperationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_property_type_round_trips_with_its_type()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var when = new DateTimeOffset(2026, 11, 22, 1, 23, 58, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
            .With("Name", "Zoë 'quoted'")
            .With("Small", 42)
            .With("Big", 9_007_199_254_740_993L)
            .With("Ratio", 2.0)
            .With("Enabled", true)
            .With("When", when)
            .With("Id", id)
            .With("Bytes", new byte[] { 0, 1, 254, 255 })
            .With("Balance", 10.12345m);

        var etag = await table.AddEntityAsync(entity);
        var read = await table.GetEntityAsync("p", "r");

        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("Zoë 'quoted'", read.GetString("Name"));
        Assert.Equal(42, read.GetInt32("Small"));
        Assert.Equal(9_007_199_254_740_993L, read.GetInt64("Big"));
        Assert.Equal(2.0, read.GetDouble("Ratio"));
        Assert.True(read.GetBoolean("Enabled"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read.GetBinary("Bytes"));
        Assert.Equal(10.12345m, read.GetDecimal("Balance"));
        Assert.Null(read.GetString("Absent"));
    }

    [Fact]
    public async Task Adding_an_existing_row_is_EntityAlreadyExists()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var error = await Assert.ThrowsAsync<StorageConflictException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, error.Status);
        Assert.Equal(StorageErrorCodes.EntityAlreadyExists, error.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.ServiceMessage));
    }

    [Fact]
    public async Task A_missing_row_is_ResourceNotFound_or_null()
    {
        var table = await TableTestTables.NewAsync(azurite);

        var error = await Assert.ThrowsAsync<StorageNotFoundException>(() => table.GetEntityAsync("p", "nope"));
        Assert.Equal(StorageErrorCodes.ResourceNotFound, error.ErrorCode);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "nope"));
    }

    [Fact]
    public async Task A_missing_table_is_TableNotFound()
    {
        var table = new TableServiceClient(azurite.Account).GetTableClient(AzuriteFixture.UniqueName("missing"));

        var error = await Assert.ThrowsAsync<StorageNotFoundException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(StorageErrorCodes.TableNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task An_update_with_a_stale_ETag_is_UpdateConditionNotSatisfied()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var stale = await table.AddEntityAsync(new TableEntity("p", "r").With("N", 1));
        await table.UpdateEntityAsync(new TableEntity("p", "r").With("N", 2), stale);

        var error = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "r").With("N", 3), stale));

        Assert.Equal(412, error.Status);
        Assert.Equal(StorageErrorCodes.UpdateConditionNotSatisfied, error.ErrorCode);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).GetInt32("N"));
    }

    [Fact]
    public async Task Replace_drops_unnamed_properties_and_merge_keeps_them()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var etag = await table.AddEntityAsync(new TableEntity("p", "r").With("A", "a").With("B", "b"));

        etag = await table.UpdateEntityAsync(new TableEntity("p", "r").With("A", "a2"), etag, TableUpdateMode.Merge);
        var merged = await table.GetEntityAsync("p", "r");
        await table.UpdateEntityAsync(new TableEntity("p", "r").With("C", "c"), etag, TableUpdateMode.Replace);
        var replaced = await table.GetEntityAsync("p", "r");

        Assert.Equal(("a2", "b"), (merged.GetString("A"), merged.GetString("B")));
        Assert.Equal([ "C" ], replaced.Keys);
    }

    [Fact]
    public async Task Upsert_inserts_then_replaces_or_merges_without_an_ETag()
    {
        var table = await TableTestTables.NewAsync(azurite);

        await table.UpsertEntityAsync(new TableEntity("p", "r").With("A", 1).With("B", 1));
        await table.UpsertEntityAsync(new TableEntity("p", "r").With("B", 2), TableUpdateMode.Merge);
        var merged = await table.GetEntityAsync("p", "r");
        await table.UpsertEntityAsync(new TableEntity("p", "r").With("B", 3));
        var replaced = await table.GetEntityAsync("p", "r");

        Assert.Equal((1, 2), (merged.GetInt32("A"), merged.GetInt32("B")));
        Assert.Null(replaced.GetInt32("A"));
        Assert.Equal(3, replaced.GetInt32("B"));
    }

    [Fact]
    public async Task Delete_honours_the_ETag_and_reports_a_missing_row()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var first = await table.AddEntityAsync(new TableEntity("p", "r"));
        var current = await table.UpdateEntityAsync(new TableEntity("p", "r").With("X", 1), first);

        await Assert.ThrowsAsync<StoragePreconditionFailedException>(() => table.DeleteEntityAsync("p", "r", first));
        await table.DeleteEntityAsync("p", "r", current);
        var error = await Assert.ThrowsAsync<StorageNotFoundException>(() => table.DeleteEntityAsync("p", "r"));
        Assert.Equal(StorageErrorCodes.ResourceNotFound, error.ErrorCode);
    }

    [Theory]
    [InlineData("o'brien", "a b")]
    [InlineData("wa:+4915112345678", "2026-11-22T01:02:03Z|call-1")]
    [InlineData("ünïcødé", "%20&=;,()")]
    public async Task Keys_with_quotes_and_URL_characters_address_the_right_row(string partitionKey, string rowKey)
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity(partitionKey, rowKey).With("V", 1));

        var read = await table.GetEntityAsync(partitionKey, rowKey);
        var queried = await table.QueryAsync(TableFilter.PartitionKeyEquals(partitionKey).And(TableFilter.RowKeyEquals(rowKey))).ToListAsync();

        Assert.Equal((partitionKey, rowKey), (read.PartitionKey, read.RowKey));
        Assert.Single(queried);
        await table.DeleteEntityAsync(partitionKey, rowKey);
    }

    [Fact]
    public async Task A_projection_returns_only_the_selected_properties_and_the_keys()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r").With("A", 1).With("B", 2));

        var read = await table.GetEntityAsync("p", "r", ["B"]);

        Assert.Equal(("p", "r"), (read.PartitionKey, read.RowKey));
        Assert.Equal([ "B" ], read.Keys);
    }

    [Fact]
    public async Task The_largest_allowed_entity_is_stored()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < TableEntityRules.MaxUserProperties; i++)
            entity[$"P{i}"] = i;
        entity["P0"] = new string('s', 32 * 1024);

        await table.AddEntityAsync(entity);

        Assert.Equal(252, (await table.GetEntityAsync("p", "r")).Count);
    }

    [Fact]
    public async Task Full_SharedKey_signing_is_accepted_as_well_as_SharedKeyLite()
    {
        var options = new StorageClientOptions { UseSharedKeyLiteForTables = false };
        var table = new TableServiceClient(azurite.Account, options).GetTableClient(AzuriteFixture.UniqueName("t"));

        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r").With("N", 1));

        Assert.Equal(1, (await table.GetEntityAsync("p", "r")).GetInt32("N"));
    }
}
