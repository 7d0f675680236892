using System.Text.Json;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

public sealed class InvocationEnvelopeTests
{
    [Theory]
    [InlineData("""{"Data":{"message":"\"hello\""},"Metadata":{}}""", "hello")]
    [InlineData("""{"Data":{"message":"hello"},"Metadata":{}}""", "hello")]
    [InlineData("""{"Data":{"message":"\"{\\\"id\\\":1}\""},"Metadata":{}}""", """{"id":1}""")]
    [InlineData("""{"Data":{"message":"{\"id\":1}"},"Metadata":{}}""", """{"id":1}""")]
    [InlineData("""{"Data":{"message":{"id":1}},"Metadata":{}}""", """{"id":1}""")]
    [InlineData("""{"Data":{"message":"\"123\""},"Metadata":{}}""", "123")]
    public void Double_encoded_and_plain_queue_values_decode_to_the_message_text(string body, string expected)
    {
        using var envelope = Parse(body);
        Assert.Equal(expected, envelope.DataText("message"));
    }

    [Theory]
    [InlineData("\"1\"", 1)]
    [InlineData("\"\\\"3\\\"\"", 3)]
    [InlineData("4", 4)]
    public void DequeueCount_arrives_as_a_string_or_a_number(string value, long expected)
    {
        using var envelope = Parse("""{"Data":{"message":"x"},"Metadata":{"DequeueCount":""" + value + "}}");
        Assert.Equal(expected, envelope.MetadataInt64("DequeueCount"));
    }

    [Fact]
    public void Binding_names_match_regardless_of_case()
    {
        using var envelope = Parse("""{"data":{"Message":"\"a\""},"metadata":{"id":"\"m1\""}}""");
        Assert.Equal("a", envelope.DataText("message"));
        Assert.Equal("m1", envelope.MetadataText("Id"));
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"Metadata":{}}""", "'Data'")]
    [InlineData("""{"Data":5}""", "'Data'")]
    [InlineData("""{"Data":{},"Metadata":[1]}""", "'Metadata'")]
    public void A_malformed_envelope_is_rejected_with_the_offending_member_named(string body, string named)
    {
        var document = JsonDocument.Parse(body);
        Assert.False(InvocationEnvelope.TryParse(document, out _, out var error));
        Assert.Contains(named, error, StringComparison.Ordinal);
        document.Dispose();
    }

    private static InvocationEnvelope Parse(string body)
    {
        Assert.True(InvocationEnvelope.TryParse(JsonDocument.Parse(body), out var envelope, out var error), error);
        return envelope;
    }
}
