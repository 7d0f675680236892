using System.Security.Cryptography;
using System.Text;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// Durable de-duplication of relay events: one row per event id in <see cref="AppTables.Calls"/>, beside its call
/// (PK call id, RK <c>relay-event|{sha256(eventId)}</c>, since event ids may hold characters row keys may not). The
/// row is inserted if absent before the event is applied and marked done after, so a redelivery of a finished event
/// changes nothing, while one whose first attempt failed part-way is applied again.
/// </summary>
public sealed class RelayEventReceipts(AppStorage storage)
{
    public const string RowPrefix = "relay-event|";

    private const string DoneColumn = "Done";

    /// <summary>True when the event must be applied: first seen, or seen before but never finished.</summary>
    public async Task<bool> ClaimAsync(RelayEvent relayEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        var table = await storage.TableAsync(AppTables.Calls, ct);
        try
        {
            await table.AddEntityAsync(new TableEntity(relayEvent.SessionId.Value, RowKeyOf(relayEvent))
            {
                ["EventId"] = relayEvent.EventId,
                ["Type"] = relayEvent.Type,
                ["At"] = relayEvent.At,
                [DoneColumn] = false,
            }, ct);
            return true;
        }
        catch (StorageConflictException)
        {
            var seen = await table.GetEntityIfExistsAsync(relayEvent.SessionId.Value, RowKeyOf(relayEvent), [DoneColumn], ct);
            return seen?.GetBoolean(DoneColumn) != true;
        }
    }

    public async Task CompleteAsync(RelayEvent relayEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        var table = await storage.TableAsync(AppTables.Calls, ct);
        await table.UpsertEntityAsync(new TableEntity(relayEvent.SessionId.Value, RowKeyOf(relayEvent)) { [DoneColumn] = true }, TableUpdateMode.Merge, ct);
    }

    private static string RowKeyOf(RelayEvent relayEvent) =>
        RowPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(relayEvent.EventId)));
}
