using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

public sealed class TableKeyTests
{
    public static TheoryData<string> AwkwardKeys => new()
    {
        "wacid.HBgLMTU1/NTEy+MzQ1Njc=",
        "100%",
        "%2F",
        "%252F",
        "a\\b#c?d/e",
        "tab\there\r\nnul\0del\u007Fc1\u0085",
        "ünïcødé 📞 通话",
        "%",
        "%%",
        "%zz",
        "trailing%2",
        "",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public void Every_key_comes_back_from_its_stored_form(string key) =>
        Assert.Equal(key, TableKey.Decode(TableKey.Encode(key)));

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public void A_stored_key_never_holds_a_character_the_service_forbids(string key)
    {
        var stored = TableKey.Encode(key);

        Assert.DoesNotContain(stored, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        TableEntityRules.ValidateKey(stored, "PartitionKey");
    }

    [Theory]
    [InlineData("wacid.HBgLMTU1NTEyMzQ1NjcVAgASGCA-_x+y==")]
    [InlineData("447700900555|wa:447700900555")]
    [InlineData("0638800000000000000|01|Offered|Agent:agent-1")]
    [InlineData("call:wacid.ABC:status:RINGING")]
    [InlineData("ünïcødé 📞")]
    public void Ordinary_keys_are_stored_unchanged(string key) =>
        Assert.Same(key, TableKey.Encode(key));

    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a%b", "a%25b")]
    [InlineData("a%2Fb", "a%252Fb")]
    [InlineData("#?\\", "%23%3F%5C")]
    [InlineData("\t\u007F\u009F", "%09%7F%9F")]
    public void Escapes_are_percent_and_two_uppercase_hex_digits(string key, string stored) =>
        Assert.Equal(stored, TableKey.Encode(key));

    [Theory]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%2fb", "a%2fb")]
    [InlineData("a%41b", "a%41b")]
    [InlineData("50%", "50%")]
    public void Only_the_escapes_Encode_writes_are_read_back(string stored, string key) =>
        Assert.Equal(key, TableKey.Decode(stored));

    [Fact]
    public void Distinct_keys_never_share_a_stored_form()
    {
        var keys = new[] { "a/b", "a%2Fb", "a%252Fb", "a_b", "a%b", "a%25b" };

        Assert.Equal(keys.Length, keys.Select(TableKey.Encode).Distinct(StringComparer.Ordinal).Count());
    }
}
