using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// A call's state row, the same for both directions: the state as JSON in <c>State</c> with <c>Phase</c> and
/// <c>Version</c> beside it for queries. One write of it is conditional on what was read (insert when there was no
/// row, else If-Match on its ETag) and goes together with the pending-effects row when the transition has effects:
/// one entity group transaction, so the state is never stored without the effects it owes.
/// </summary>
public static class CallRowWrites
{
    public const string StateColumn = "State";
    public const string PhaseColumn = "Phase";
    public const string VersionColumn = "Version";

    /// <summary>
    /// The next state row: the new state, with every other column of <paramref name="current"/> (the relay link and
    /// answer, the media columns of <see cref="CallMediaRow"/>) carried over, since the write replaces the row.
    /// </summary>
    public static TableEntity StateRow(TableEntity? current, string partitionKey, string rowKey, string stateJson, string phase, long version)
    {
        var next = new TableEntity(partitionKey, rowKey)
        {
            [StateColumn] = stateJson,
            [PhaseColumn] = phase,
            [VersionColumn] = version,
        };
        foreach (var (name, value) in current ?? Enumerable.Empty<KeyValuePair<string, object>>())
        {
            if (name is not (StateColumn or PhaseColumn or VersionColumn))
            {
                next[name] = value;
            }
        }

        return next;
    }

    /// <summary>The state JSON of a row read back.</summary>
    public static string StateOf(TableEntity row, string callId)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.GetString(StateColumn) ?? throw new InvalidOperationException($"Call {callId} has no state.");
    }

    public static async Task WriteAsync(TableClient table, TableEntity? current, TableEntity next, TableEntity? pending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(next);
        if (pending is null)
        {
            if (current is null)
            {
                await table.AddEntityAsync(next, ct);
            }
            else
            {
                await table.UpdateEntityAsync(next, current.ETag ?? throw new InvalidOperationException("The read call has no ETag."), TableUpdateMode.Replace, ct);
            }

            return;
        }

        TableTransactionAction state = current is null
            ? new(TableTransactionActionType.Add, next)
            : new(TableTransactionActionType.UpdateReplace, next, current.ETag ?? throw new InvalidOperationException("The read call has no ETag."));
        await table.SubmitTransactionAsync([state, new TableTransactionAction(TableTransactionActionType.UpsertReplace, pending)], ct);
    }
}
