using System.Globalization;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Timeline;

/// <summary>
/// Contact timelines in Table Storage: PK <c>{phoneNumberId}|{contactKey}</c>, RK <c>{ticks:D19}|{eventKey}</c>, so a
/// partition reads in time order and an event written twice lands on the same row (order and repeats converge).
/// Events about the number itself (settings, account) use the contact key <c>business</c>.
/// </summary>
public sealed class TimelineStore(AppStorage storage)
{
    public const string BusinessScope = "business";

    public static string Partition(BusinessNumberId number, string contactKey) => $"{number.Value}|{contactKey}";

    public async Task WriteAsync(BusinessNumberId number, string contactKey, DateTimeOffset? at, string eventKey, TimelineDescriber.Description description, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(description);
        var table = await storage.TableAsync(AppTables.Timeline, ct);
        // Events without any timestamp sort first rather than at an arbitrary (receipt) time that differs per redelivery.
        var ticks = (at ?? DateTimeOffset.MinValue).UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var row = new TableEntity(Partition(number, contactKey), $"{ticks}|{eventKey}")
            .With("Kind", description.Kind)
            .With("Summary", description.Summary)
            .With("ContactKey", contactKey);
        if (at is { } time)
        {
            row.With("At", time);
        }

        Optional(row, "CallId", description.CallId);
        Optional(row, "MessageId", description.MessageId);
        Optional(row, "Direction", description.Direction);
        Optional(row, "Status", description.Status);
        Optional(row, "Details", description.Details);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    /// <summary>Newest first, merged across the keys a contact is known by.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(BusinessNumberId number, IEnumerable<string> contactKeys, int limit, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Timeline, ct);
        var entries = new List<(string RowKey, TimelineEntry Entry)>();
        foreach (var key in contactKeys.Distinct(StringComparer.Ordinal))
        {
            await foreach (var row in table.QueryAsync(TableFilter.PartitionKeyEquals(Partition(number, key)), ct))
            {
                entries.Add((row.RowKey, ToEntry(row)));
            }
        }

        return entries.OrderByDescending(e => e.RowKey, StringComparer.Ordinal).Take(limit).Select(e => e.Entry).ToList();
    }

    private static TimelineEntry ToEntry(TableEntity row) => new(
        row.RowKey[(row.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..],
        row.GetDateTimeOffset("At"),
        row.GetString("Kind") ?? "unknown",
        row.GetString("Summary") ?? string.Empty,
        row.GetString("CallId"),
        row.GetString("MessageId"),
        row.GetString("Direction"),
        row.GetString("Status"),
        row.GetString("Details"),
        row.GetString("ContactKey") ?? string.Empty);

    private static void Optional(TableEntity row, string name, string? value)
    {
        if (value is not null)
        {
            row.With(name, value);
        }
    }
}
