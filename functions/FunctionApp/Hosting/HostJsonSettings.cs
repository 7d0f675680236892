using System.Globalization;
using System.Text.Json;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// The queue-trigger settings of host.json (<c>extensions.queues</c>, azure-protocols.md §1.9), read by the local
/// trigger host so that local runs behave like the Functions host configured by the same file.
/// </summary>
public sealed record HostJsonSettings(
    TimeSpan MaxPollingInterval,
    TimeSpan RetryVisibilityTimeout,
    int BatchSize,
    int MaxDequeueCount,
    bool Base64MessageEncoding)
{
    public static HostJsonSettings Defaults { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.Zero, 16, 5, true);

    public static HostJsonSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return Defaults;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!document.RootElement.TryGetProperty("extensions", out var extensions) ||
            !extensions.TryGetProperty("queues", out var queues))
        {
            return Defaults;
        }

        return new HostJsonSettings(
            Time(queues, "maxPollingInterval") ?? Defaults.MaxPollingInterval,
            Time(queues, "visibilityTimeout") ?? Defaults.RetryVisibilityTimeout,
            Int(queues, "batchSize") ?? Defaults.BatchSize,
            Int(queues, "maxDequeueCount") ?? Defaults.MaxDequeueCount,
            !queues.TryGetProperty("messageEncoding", out var encoding) ||
                !string.Equals(encoding.GetString(), "none", StringComparison.OrdinalIgnoreCase));
    }

    private static TimeSpan? Time(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String &&
        TimeSpan.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var t) ? t : null;

    private static int? Int(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
