using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// One queue message per <c>entry[].changes[]</c> element of a stored delivery. It carries a reference, not the
/// change itself, because a change can exceed a queue message (64 KiB, azure-protocols.md §3).
/// </summary>
/// <param name="Delivery">Blob name of the raw delivery in the deliveries container.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the receive span, so processing continues its trace.</param>
public sealed record WebhookWorkItem(
    [property: JsonPropertyName("delivery")] string Delivery,
    [property: JsonPropertyName("entry")] int EntryIndex,
    [property: JsonPropertyName("change")] int ChangeIndex,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("traceparent")] string? TraceParent = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, WebhookJsonContext.Default.WebhookWorkItem);

    public static WebhookWorkItem? TryParse(string json)
    {
        try
        {
            var item = JsonSerializer.Deserialize(json, WebhookJsonContext.Default.WebhookWorkItem);
            return item is { Delivery.Length: > 0, EntryIndex: >= 0, ChangeIndex: >= 0 } ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(WebhookWorkItem))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
