using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableEntityRulesTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007Fb")]
    public void Stored_keys_with_forbidden_characters_are_refused(string storedKey)
    {
        var error = Assert.Throws<ArgumentException>(() => TableEntityRules.ValidateKey(storedKey, "PartitionKey"));
        Assert.Contains("PartitionKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entity_key_with_forbidden_characters_is_checked_in_its_escaped_form() =>
        TableEntityRules.Validate(new TableEntity("wacid.a/b\\c#d?e\u0001", "r"));

    [Fact]
    public void The_key_length_limit_applies_to_the_escaped_form()
    {
        TableEntityRules.Validate(new TableEntity("p", new string('/', 170)));
        var error = Assert.Throws<ArgumentException>(() => TableEntityRules.Validate(new TableEntity("p", new string('/', 171))));
        Assert.Contains("RowKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_over_1_KiB_are_refused()
    {
        TableEntityRules.Validate(new TableEntity("p", new string('r', 512)));
        Assert.Throws<ArgumentException>(() => TableEntityRules.Validate(new TableEntity("p", new string('r', 513))));
    }

    [Fact]
    public void More_than_252_properties_are_refused()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i <= TableEntityRules.MaxUserProperties; i++)
            entity[$"P{i}"] = i;

        var error = Assert.Throws<ArgumentException>(() => TableEntityRules.Validate(entity));
        Assert.Contains("253 properties", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_over_64_KiB_are_refused()
    {
        TableEntityRules.Validate(new TableEntity("p", "r").With("S", new string('x', 32 * 1024)));
        var error = Assert.Throws<ArgumentException>(
            () => TableEntityRules.Validate(new TableEntity("p", "r").With("S", new string('x', (32 * 1024) + 1))));
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_over_64_KiB_is_refused() =>
        Assert.Throws<ArgumentException>(() => TableEntityRules.Validate(new TableEntity("p", "r").With("B", new byte[(64 * 1024) + 1])));

    [Fact]
    public void Entities_over_1_MiB_are_refused()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 20; i++)
            entity[$"S{i}"] = new string('x', 32 * 1024);

        var error = Assert.Throws<ArgumentException>(() => TableEntityRules.Validate(entity));
        Assert.Contains("1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PartitionKey")]
    [InlineData("Timestamp")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    public void Reserved_or_malformed_property_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new TableEntity("p", "r")[name] = 1);

    [Fact]
    public void Types_the_service_cannot_hold_are_refused_when_set() =>
        Assert.Throws<ArgumentException>(() => new TableEntity("p", "r")["X"] = new Uri("http://x"));

    [Fact]
    public void Reading_a_property_as_the_wrong_type_says_what_it_holds()
    {
        var entity = new TableEntity("p", "r").With("N", "text");

        var error = Assert.Throws<InvalidCastException>(() => entity.GetInt64("N"));
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }
}
