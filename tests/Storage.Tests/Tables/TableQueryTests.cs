using TestSupport;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableQueryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_filter_value_cannot_widen_a_query()
    {
        var table = await TableTestTables.NewAsync(azurite);
        await table.AddEntityAsync(new TableEntity("x", "1"));
        await table.AddEntityAsync(new TableEntity("y", "1"));

        var injected = await table.QueryAsync(TableFilter.PartitionKeyEquals("x' or PartitionKey ne 'x")).ToListAsync();
        var honest = await table.QueryAsync(TableFilter.PartitionKeyEquals("x")).ToListAsync();

        Assert.Empty(injected);
        Assert.Equal("x", Assert.Single(honest).PartitionKey);
    }

    [Fact]
    public async Task Filter_select_and_top_shape_one_page()
    {
        var table = await TableTestTables.NewAsync(azurite);
        for (var i = 0; i < 5; i++)
            await table.AddEntityAsync(new TableEntity("p", $"r{i}").With("N", (long)i).With("Other", "o"));

        var page = await table.QueryPageAsync(new TableQuery(
            TableFilter.PartitionKeyEquals("p").And(TableFilter.Compare("N", TableOperator.GreaterThanOrEqual, 2L)), ["N"], Top: 2));

        Assert.Equal(["r2", "r3"], page.Entities.Select(e => e.RowKey));
        Assert.All(page.Entities, e => Assert.Equal(["N"], e.Keys));
        Assert.NotNull(page.Continuation);
        var rest = await table.QueryPageAsync(new TableQuery(page.Entities.Count > 0 ? TableFilter.PartitionKeyEquals("p").And(TableFilter.Compare("N", TableOperator.GreaterThanOrEqual, 2L)) : null, Top: 2), page.Continuation);
        Assert.Equal(["r4"], rest.Entities.Select(e => e.RowKey));
        Assert.Null(rest.Continuation);
    }

    [Fact]
    public async Task A_query_follows_continuations_past_1000_entities()
    {
        var table = await TableTestTables.NewAsync(azurite);
        for (var batch = 0; batch < 11; batch++)
        {
            var actions = Enumerable.Range(0, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", $"{batch:D2}-{i:D3}").With("N", (batch * 100) + i)))
                .ToList();
            await table.SubmitTransactionAsync(actions);
        }

        var firstPage = await table.QueryPageAsync(new TableQuery(TableFilter.PartitionKeyEquals("bulk")));
        var all = await table.QueryAsync(TableFilter.PartitionKeyEquals("bulk")).ToListAsync();

        Assert.Equal(1000, firstPage.Entities.Count);
        Assert.NotNull(firstPage.Continuation);
        Assert.Equal(1100, all.Count);
        Assert.Equal(Enumerable.Range(0, 1100), all.Select(e => e.GetInt32("N")!.Value).Order());
    }

    [Fact]
    public async Task Typed_comparisons_select_by_date_and_row_key_prefix()
    {
        var table = await TableTestTables.NewAsync(azurite);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var day = 0; day < 4; day++)
            await table.AddEntityAsync(new TableEntity("c", $"call|{day}").With("At", start.AddDays(day)));
        await table.AddEntityAsync(new TableEntity("c", "note|1").With("At", start));

        var recent = await table.QueryAsync(TableFilter.PartitionKeyEquals("c")
            .And(TableFilter.RowKeyStartsWith("call|"))
            .And(TableFilter.Compare("At", TableOperator.GreaterThanOrEqual, start.AddDays(2)))).ToListAsync();

        Assert.Equal(["call|2", "call|3"], recent.Select(e => e.RowKey));
    }
}
