using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// Which handlers have applied which event: PK idempotency key, RK handler name. A redelivered event reaches a
/// handler again only if that handler has not completed it; a failed handler is retried alone.
/// </summary>
public sealed class EventCompletions(AppStorage storage, TimeProvider time)
{
    public async Task<IReadOnlySet<string>> CompletedHandlersAsync(string idempotencyKey, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.EventCompletions, ct);
        var done = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(idempotencyKey), ["RowKey"]), ct))
        {
            done.Add(row.RowKey);
        }

        return done;
    }

    public async Task MarkCompletedAsync(string idempotencyKey, string handlerName, string deliveryId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.EventCompletions, ct);
        var row = new TableEntity(idempotencyKey, handlerName)
            .With("CompletedAt", time.GetUtcNow())
            .With("Delivery", deliveryId);
        try
        {
            await table.AddEntityAsync(row, ct);
        }
        catch (StorageConflictException)
        {
            // A concurrent redelivery finished first; the handler is idempotent, so both outcomes agree.
        }
    }
}
