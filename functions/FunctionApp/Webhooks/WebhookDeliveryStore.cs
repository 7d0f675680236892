using System.Globalization;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Telemetry;
using WhatsAppCalling.Storage.Blobs;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// Makes a verified delivery durable before it is acknowledged: the raw body goes to a blob (with its receipt time),
/// then one work item per change goes to the <c>webhook-events</c> queue. If the process dies after the 200, the
/// work is already queued; if it dies before, Meta retries the delivery (handlers are idempotent).
/// </summary>
public sealed class WebhookDeliveryStore(AppStorage storage)
{
    public const string ReceivedAtMetadata = "receivedat";
    private const int EnqueueParallelism = 16;

    public async Task<string> SaveAsync(ReadOnlyMemory<byte> body, IReadOnlyList<WebhookChange> changes, DateTimeOffset receivedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var name = string.Create(CultureInfo.InvariantCulture, $"{receivedAt:yyyy'/'MM'/'dd'/'HH}/{receivedAt:mmssfff}-{Guid.NewGuid():N}.json");
        var container = await storage.ContainerAsync(AppContainers.WebhookDeliveries, ct);
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(body),
            new BlobUploadOptions
            {
                ContentType = "application/json",
                Metadata = new Dictionary<string, string>
                {
                    [ReceivedAtMetadata] = receivedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["changes"] = changes.Count.ToString(CultureInfo.InvariantCulture),
                },
            },
            ct);

        var queue = await storage.QueueAsync(AppQueues.WebhookEvents, ct);
        var traceParent = AppTracing.CurrentTraceParent();
        await Parallel.ForEachAsync(
            changes,
            new ParallelOptions { MaxDegreeOfParallelism = EnqueueParallelism, CancellationToken = ct },
            async (change, token) =>
            {
                var item = new WebhookWorkItem(name, change.EntryIndex, change.ChangeIndex, receivedAt, change.Field, traceParent);
                await queue.SendMessageAsync(QueueMessageEncoding.EncodeUtf8Base64(item.ToJson()), ct: token);
            });
        return name;
    }

    public async Task<BinaryData> ReadAsync(string deliveryName, CancellationToken ct)
    {
        var container = await storage.ContainerAsync(AppContainers.WebhookDeliveries, ct);
        var download = await container.GetBlobClient(deliveryName).DownloadContentAsync(ct);
        return download.Content;
    }
}
