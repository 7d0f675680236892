using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Literals_use_the_typed_forms_of_the_query_language()
    {
        Assert.Equal("'it''s'", TableFilter.Literal("it's"));
        Assert.Equal("5L", TableFilter.Literal(5L));
        Assert.Equal("5", TableFilter.Literal(5));
        Assert.Equal("2.0", TableFilter.Literal(2.0));
        Assert.Equal("true", TableFilter.Literal(true));
        Assert.Equal("datetime'2026-01-01T00:00:00.0000000Z'", TableFilter.Literal(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("guid'00000000-0000-0000-0000-000000000001'", TableFilter.Literal(new Guid("00000000-0000-0000-0000-000000000001")));
        Assert.Equal("X'0AFF'", TableFilter.Literal(new byte[] { 0x0A, 0xFF }));
    }

    [Fact]
    public void Combinators_parenthesise_each_side()
    {
        var filter = TableFilter.PartitionKeyEquals("p").And(TableFilter.Compare("N", TableOperator.GreaterThan, 3).Or(TableFilter.Compare("N", TableOperator.LessThan, 0).Not()));

        Assert.Equal("(PartitionKey eq 'p') and ((N gt 3) or (not (N lt 0)))", filter.Text);
    }

    [Fact]
    public void An_injected_quote_stays_inside_the_literal()
    {
        var filter = TableFilter.PartitionKeyEquals("x' or PartitionKey ne 'x");

        Assert.Equal("PartitionKey eq 'x'' or PartitionKey ne ''x'", filter.Text);
    }

    [Theory]
    [InlineData("PartitionKey eq 'x' or 1")]
    [InlineData("a)")]
    [InlineData("")]
    public void Property_names_cannot_carry_expressions(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => TableFilter.Compare(name, TableOperator.Equal, "v"));

    [Fact]
    public void A_row_key_prefix_becomes_a_half_open_range() =>
        Assert.Equal("(RowKey ge 'call|') and (RowKey lt 'call}')", TableFilter.RowKeyStartsWith("call|").Text);

    [Fact]
    public void Keys_in_filters_are_compared_in_their_stored_form()
    {
        Assert.Equal("PartitionKey eq 'wacid.a%2Fb+c='", TableFilter.PartitionKeyEquals("wacid.a/b+c=").Text);
        Assert.Equal("RowKey ge 'x%23'", TableFilter.Compare("RowKey", TableOperator.GreaterThanOrEqual, "x#").Text);
        Assert.Equal("Other eq 'a/b'", TableFilter.Compare("Other", TableOperator.Equal, "a/b").Text);
    }

    [Fact]
    public void A_row_key_prefix_with_escaped_characters_ranges_over_the_stored_prefix() =>
        Assert.Equal("(RowKey ge 'call:a%2F') and (RowKey lt 'call:a%2G')", TableFilter.RowKeyStartsWith("call:a/").Text);
}
