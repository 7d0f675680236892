using System.Text.Json;
using System.Text.Json.Serialization;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.Storage.Timers;

/// <summary>
/// Wire form of a timer: JSON, then Base64 of UTF-8 because the Functions queue trigger's default encoding expects
/// it (azure-protocols.md §1.9).
/// </summary>
public static class DurableTimerMessage
{
    public static string Encode(DurableTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return QueueMessageEncoding.EncodeUtf8Base64(JsonSerializer.Serialize(timer, DurableTimerJsonContext.Default.DurableTimer));
    }

    /// <summary>
    /// Accepts the raw queue text (Base64), the decoded JSON, or the JSON string the custom-handler host sends
    /// (string trigger data arrives JSON-encoded, azure-protocols.md §0.1).
    /// </summary>
    public static DurableTimer Decode(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        try
        {
            var text = Unquote(messageText.Trim());
            if (!text.StartsWith('{'))
                text = Unquote(QueueMessageEncoding.DecodeUtf8Base64(text).Trim());
            var timer = JsonSerializer.Deserialize(text, DurableTimerJsonContext.Default.DurableTimer)
                ?? throw new InvalidDurableTimerMessageException("it is JSON null.");
            if (string.IsNullOrWhiteSpace(timer.Kind) || string.IsNullOrWhiteSpace(timer.InstanceId))
                throw new InvalidDurableTimerMessageException("kind and instanceId are required.");
            return timer;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new InvalidDurableTimerMessageException(ex.Message, ex);
        }
    }

    private static string Unquote(string text) =>
        text.StartsWith('"') ? JsonSerializer.Deserialize(text, DurableTimerJsonContext.Default.String) ?? string.Empty : text;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DurableTimer))]
[JsonSerializable(typeof(string))]
internal sealed partial class DurableTimerJsonContext : JsonSerializerContext;
