using System.Collections.Concurrent;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.Storage.Blobs;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Storage;

/// <summary>
/// The app's storage account (<c>AzureWebJobsStorage</c>) with its named tables, queues and containers. Each
/// resource is created on first use, once per process.
/// </summary>
public sealed class AppStorage(StorageConnections connections, StorageNames names)
{
    public const string ConnectionName = FunctionRegistration.DefaultConnection;

    private readonly Lazy<TableServiceClient> _tables = new(() => new TableServiceClient(connections.Get(ConnectionName)));
    private readonly Lazy<QueueServiceClient> _queues = new(() => new QueueServiceClient(connections.Get(ConnectionName)));
    private readonly Lazy<BlobServiceClient> _blobs = new(() => new BlobServiceClient(connections.Get(ConnectionName)));
    private readonly ConcurrentDictionary<string, Task> _created = new(StringComparer.Ordinal);

    public StorageNames Names => names;

    public async Task<TableClient> TableAsync(string baseName, CancellationToken ct)
    {
        var table = _tables.Value.GetTableClient(names.Table(baseName));
        await EnsureAsync("table:" + table.Name, () => table.CreateIfNotExistsAsync(CancellationToken.None));
        return table;
    }

    public async Task<QueueClient> QueueAsync(string baseName, CancellationToken ct)
    {
        var queue = _queues.Value.GetQueueClient(names.Queue(baseName));
        await EnsureAsync("queue:" + queue.Name, () => queue.CreateIfNotExistsAsync(CancellationToken.None));
        return queue;
    }

    public async Task<BlobContainerClient> ContainerAsync(string baseName, CancellationToken ct)
    {
        var container = _blobs.Value.GetContainerClient(names.Container(baseName));
        await EnsureAsync("container:" + container.Name, () => container.CreateIfNotExistsAsync(CancellationToken.None));
        return container;
    }

    // A failed creation is forgotten so the next call tries again.
    private async Task EnsureAsync(string key, Func<Task> create)
    {
        var task = _created.GetOrAdd(key, _ => create());
        try
        {
            await task;
        }
        catch
        {
            _created.TryRemove(new KeyValuePair<string, Task>(key, task));
            throw;
        }
    }
}

/// <summary>Every table the app uses, in one place (key layouts in docs/ARCHITECTURE.md).</summary>
public static class AppTables
{
    /// <summary>Contact timeline: PK <c>{phoneNumberId}|{contactKey}</c>, RK <c>{ticks:D19}|{eventKey}</c>.</summary>
    public const string Timeline = "Timeline";

    /// <summary>Phone → BSUID aliases: PK <c>{phoneNumberId}</c>, RK <c>wa:{digits}</c>.</summary>
    public const string ContactAliases = "ContactAliases";

    /// <summary>Per-handler completion of webhook events: PK <c>{idempotencyKey}</c>, RK <c>{handlerName}</c>.</summary>
    public const string EventCompletions = "EventCompletions";

    /// <summary>Consent state per (business number, customer).</summary>
    public const string Consent = "Consent";

    /// <summary>Messages we sent to customers (permission requests, templates) for the window rules.</summary>
    public const string SentMessages = "SentMessages";

    /// <summary>Per business account (WABA): the prepaid balance row and the ledger entries, written in one transaction.</summary>
    public const string Ledger = "Ledger";

    /// <summary>Calls and their state machines.</summary>
    public const string Calls = "Calls";

    /// <summary>Agents, presence and capabilities.</summary>
    public const string Agents = "Agents";

    /// <summary>Business number settings and ring orders.</summary>
    public const string BusinessNumbers = "BusinessNumbers";

    /// <summary>Integration events already put on the queue: PK <c>sha256(eventId)</c>, RK <c>sent</c>.</summary>
    public const string IntegrationEventsSent = "IntegrationEventsSent";

    /// <summary>Each call's timeline (who did what, when): PK call id, RK <c>{ticks:D19}|{kind ordinal}|{kind}|{who}</c>.</summary>
    public const string CallTimeline = "CallTimeline";

    /// <summary>Missed-call and callback-request follow-ups: PK <c>follow-up</c>, RK item id (the missed call's id).</summary>
    public const string FollowUps = "FollowUps";
}

public static class AppQueues
{
    /// <summary>One work item per webhook change, processed by <c>ProcessWebhookChange</c>.</summary>
    public const string WebhookEvents = "webhook-events";

    /// <summary>Durable timers (visibility-delayed messages).</summary>
    public const string DurableTimers = "durable-timers";

    /// <summary>Integration events when no Service Bus is configured.</summary>
    public const string IntegrationEvents = "integration-events";
}

public static class AppContainers
{
    /// <summary>Raw webhook deliveries, stored before they are acknowledged.</summary>
    public const string WebhookDeliveries = "webhook-deliveries";

    /// <summary>Call recordings.</summary>
    public const string Recordings = "recordings";
}
