using System.Globalization;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Timelines;

/// <summary>One stored line of a call's timeline, as the API returns it.</summary>
/// <param name="Version">The call state's version the line came from (0 when the shell did not say); lines of one change share it.</param>
public sealed record StoredCallTimelineEntry(DateTimeOffset At, string What, string Who, string? AgentId, string? Detail, long Version);

/// <summary>
/// Call timelines in <see cref="AppTables.CallTimeline"/>: PK call id, RK <c>{ticks:D19}|{kind ordinal:D2}|{kind}|{who}</c>,
/// with the call state's <c>Version</c> beside it for ordering.
/// The row key is made only of the entry's own facts, so an effect run again after a failure (effects are delivered
/// at least once) lands on the row it wrote before; the kind's ordinal breaks ties between lines of the same
/// instant in lifecycle order (an offer before its ringing, a ring before its miss).
/// </summary>
public sealed class CallTimelineStore(AppStorage storage)
{
    /// <param name="version">The call state's version the line came from (<see cref="Journal.JournalCall.Version"/>), if known.</param>
    public async Task WriteAsync(CallTimelineEntry entry, long? version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await storage.TableAsync(AppTables.CallTimeline, ct);
        var row = new TableEntity(entry.CallId.Value, RowKey(entry))
            .With("Version", version ?? 0L)
            .With("At", entry.At)
            .With("What", entry.What.ToString())
            .With("Who", entry.Who.ToString());
        if (entry.Who.Agent is { } agent)
        {
            row.With("AgentId", agent.Value);
        }

        if (entry.Detail is { } detail)
        {
            row.With("Detail", detail);
        }

        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    /// <summary>
    /// Oldest first, the order the call lived it: by the state version that produced each line, then by time and
    /// kind (the row key). Lines whose version was not known sort by time alone.
    /// </summary>
    public async Task<IReadOnlyList<StoredCallTimelineEntry>> ReadAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.CallTimeline, ct);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync(TableFilter.PartitionKeyEquals(callId.Value), ct))
        {
            rows.Add(row);
        }

        var entries = new List<StoredCallTimelineEntry>();
        foreach (var row in rows.OrderBy(r => r.GetInt64("Version") ?? 0L).ThenBy(r => r.RowKey, StringComparer.Ordinal))
        {
            entries.Add(new StoredCallTimelineEntry(
                row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                row.GetString("What") ?? "Unknown",
                row.GetString("Who") ?? "System",
                row.GetString("AgentId"),
                row.GetString("Detail"),
                row.GetInt64("Version") ?? 0L));
        }

        return entries;
    }

    public static string RowKey(CallTimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var ticks = entry.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var ordinal = ((int)entry.What).ToString("D2", CultureInfo.InvariantCulture);
        return $"{ticks}|{ordinal}|{entry.What}|{entry.Who}";
    }
}
