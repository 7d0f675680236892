namespace WhatsAppCalling.Storage.Tables;

/// <summary>Replace writes the whole row (PUT); Merge keeps properties the write does not name (MERGE).</summary>
public enum TableUpdateMode
{
    Replace,
    Merge,
}

/// <summary>Where the next page of a query starts (x-ms-continuation-NextPartitionKey/NextRowKey, azure-protocols.md §2.4).</summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);

/// <summary>One page of query results; <see cref="Continuation"/> is null on the last page. A page may be empty yet continue.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuation? Continuation);

/// <summary>A query: optional filter, projection and page size (the service caps pages at 1000).</summary>
public sealed record TableQuery(TableFilter? Filter = null, IReadOnlyList<string>? Select = null, int? Top = null);

/// <summary>Kinds of operation allowed in an entity group transaction (azure-protocols.md §2.7).</summary>
public enum TableTransactionActionType
{
    Add,
    UpdateReplace,
    UpdateMerge,
    UpsertReplace,
    UpsertMerge,
    Delete,
}

/// <summary>
/// One operation of a transaction. <paramref name="ETag"/> applies to updates and deletes; null means
/// unconditional ("*").
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType Type, TableEntity Entity, string? ETag = null);

/// <summary>The outcome of one transaction operation: its new ETag (null for deletes).</summary>
public sealed record TableTransactionResult(int Index, int Status, string? ETag);

/// <summary>
/// An entity group transaction was rejected as a whole; <see cref="FailedOperationIndex"/> is the zero-based
/// index of the operation that failed (azure-protocols.md §2.7). No operation of the batch was applied.
/// </summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, string message, int failedOperationIndex)
    : StorageRequestException(status, errorCode, message)
{
    public int FailedOperationIndex { get; } = failedOperationIndex;
}
