using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// One write of a call's state row, conditional on what was read (insert when there was no row, else If-Match on its
/// ETag), together with the pending-effects row when the transition has effects: one entity group transaction, so
/// the state is never stored without the effects it owes.
/// </summary>
public static class CallRowWrites
{
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
