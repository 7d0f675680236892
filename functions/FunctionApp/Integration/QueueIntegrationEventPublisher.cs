using System.Security.Cryptography;
using System.Text;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Without a Service Bus the events wait on the app's own Storage queue <c>integration-events</c> (Base64 UTF-8
/// CloudEvents JSON, never expiring) so nothing is silently dropped. A queue cannot de-duplicate, so a row per
/// event id in <see cref="AppTables.IntegrationEventsSent"/> remembers what was enqueued: a repeat of the same fact
/// is skipped. The row is written after the message, so a crash in between repeats the event (same id) rather
/// than losing it.
/// </summary>
public sealed class QueueIntegrationEventPublisher(AppStorage storage, ILogger<QueueIntegrationEventPublisher> logger) : IIntegrationEventPublisher
{
    private const string SentRow = "sent";

    public string Name => "storage-queue:" + AppQueues.IntegrationEvents;

    public async Task PublishAsync(IntegrationEvent evt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var table = await storage.TableAsync(AppTables.IntegrationEventsSent, ct);
        var key = KeyOf(evt.Id);
        if (await table.GetEntityIfExistsAsync(key, SentRow, ct: ct) is not null)
        {
            logger.LogInformation("Call {CallId}: integration event {EventType} {EventId} already queued", evt.Subject, evt.Type, evt.Id);
            return;
        }

        var queue = await storage.QueueAsync(AppQueues.IntegrationEvents, ct);
        await queue.SendMessageAsync(QueueMessageEncoding.EncodeUtf8Base64(evt.ToJson()), timeToLive: TimeSpan.MaxValue, ct: ct);
        await table.UpsertEntityAsync(new TableEntity(key, SentRow) { ["EventId"] = evt.Id, ["Type"] = evt.Type, ["CallId"] = evt.Subject }, ct: ct);
        logger.LogInformation("Call {CallId}: integration event {EventType} {EventId} queued", evt.Subject, evt.Type, evt.Id);
    }

    // Event ids hold Meta's call id, which may contain characters a table key forbids ('/', '#', '?').
    private static string KeyOf(string eventId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)));
}
