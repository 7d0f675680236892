using System.Text;
using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

public sealed class WebhookEnvelopeTests
{
    private static WebhookEnvelopeError Rejected(string body)
    {
        Assert.False(WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error));
        Assert.Null(envelope);
        return error;
    }

    [Fact]
    public void A_single_change_delivery_lists_its_change_with_waba_id_and_indexes()
    {
        Assert.True(WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(UserInitiatedConnect()), out var envelope, out _));

        var change = Assert.Single(envelope.Changes);
        Assert.Equal((0, 0, WabaId, "calls"), (change.EntryIndex, change.ChangeIndex, change.WabaId, change.Field));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, change.Value.ValueKind);
    }

    [Fact]
    public void A_batched_delivery_lists_one_change_per_entry_and_change_index()
    {
        Assert.True(WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(Batched("wacid.A", "wacid.B", "wacid.C")), out var envelope, out _));

        Assert.Equal(
            [(0, 0, "calls"), (0, 1, "messages"), (1, 0, "calls")],
            envelope.Changes.Select(c => (c.EntryIndex, c.ChangeIndex, c.Field)));
        Assert.Equal("730192846610999", envelope.Changes[2].WabaId);
    }

    [Fact]
    public void TryGetChange_finds_the_change_a_work_item_points_at()
    {
        Assert.True(WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(Batched("wacid.A", "wacid.B", "wacid.C")), out var envelope, out _));

        Assert.True(envelope.TryGetChange(0, 1, out var change));
        Assert.Equal("messages", change.Field);
        Assert.False(envelope.TryGetChange(1, 1, out _));
    }

    [Fact]
    public void The_parsed_values_outlive_the_input_buffer()
    {
        var bytes = Encoding.UTF8.GetBytes(TextMessage("kept"));
        Assert.True(WebhookEnvelope.TryParse(bytes, out var envelope, out _));
        Array.Clear(bytes);

        var message = Assert.IsType<UserMessage>(Assert.Single(WhatsAppEventParser.Parse(envelope.Changes[0])));
        Assert.Equal("kept", message.Text);
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("not json", "$")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[]} trailing", "$")]
    [InlineData("[1,2]", "$")]
    [InlineData("{\"entry\":[]}", "$.object")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}", "$.object")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}", "$.entry")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":{}}", "$.entry")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[]}", "$.entry")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]},7]}", "$.entry[1]")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\"}]}", "$.entry[0].changes")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{},\"x\"]}]}", "$.entry[0].changes[1]")]
    public void A_body_that_is_not_a_WhatsApp_delivery_is_rejected_naming_the_path(string body, string path)
    {
        var error = Rejected(body);

        Assert.Equal(path, error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.StartsWith(path + ": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_without_field_or_value_is_kept_and_becomes_an_invalid_event()
    {
        const string body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"9\",\"changes\":[{\"field\":\"calls\"}]}]}";

        var invalid = Parsed.Single<InvalidEvent>(body);

        Assert.Equal("value", invalid.Path);
    }

    [Theory]
    [InlineData("\\u00e4\\u00f6\\u00e5")]
    [InlineData("äöå")]
    public void Unicode_escaped_and_raw_UTF8_text_parse_alike(string onTheWire)
    {
        var body = TextMessage("PLACEHOLDER").Replace("PLACEHOLDER", onTheWire, StringComparison.Ordinal);

        Assert.Equal("äöå", Parsed.Single<UserMessage>(body).Text);
    }
}
