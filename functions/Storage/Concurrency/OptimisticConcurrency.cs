using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Concurrency;

/// <summary>Retry budget for read–modify–write loops. The defaults let 200 writers contend on one row and all succeed.</summary>
public sealed record OptimisticConcurrencyOptions
{
    /// <summary>Attempts per call, the first included.</summary>
    public int MaxAttempts { get; init; } = 200;

    /// <summary>Ceiling of the first backoff; it doubles per failed attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The budget ran out while other writers kept changing the row. Nothing was written by this call; the caller
/// answers 409 or lets the queue message retry — never drops the change silently.
/// </summary>
public sealed class ConcurrencyConflictException(string resource, int attempts, Exception? lastConflict)
    : Exception($"Gave up writing {resource} after {attempts} attempts: it kept changing under concurrent writers.", lastConflict)
{
    public string Resource { get; } = resource;

    public int Attempts { get; } = attempts;
}

/// <summary>
/// Read–modify–write with ETags: read, compute, write with If-Match (or insert when absent), and on a 412/409 race
/// wait a jittered, growing delay and start over from a fresh read (full jitter keeps contenders from retrying in
/// lockstep).
/// </summary>
public sealed class OptimisticConcurrency(OptimisticConcurrencyOptions? options = null)
{
    private readonly OptimisticConcurrencyOptions _options = Validate(options ?? new OptimisticConcurrencyOptions());

    public OptimisticConcurrencyOptions Options => _options;

    /// <summary>
    /// Applies <paramref name="modify"/> to the current row (null when absent) and writes the result. Returning null
    /// from <paramref name="modify"/> writes nothing and returns the row as read. <paramref name="modify"/> may run
    /// several times, so it must be free of side effects.
    /// </summary>
    /// <returns>The row as written, with its new ETag (or as read, when nothing was written).</returns>
    /// <exception cref="ConcurrencyConflictException">The retry budget is exhausted.</exception>
    public Task<TableEntity?> UpdateAsync(
        TableClient table, string partitionKey, string rowKey, Func<TableEntity?, TableEntity?> modify, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(modify);
        return UpdateAsync(table, partitionKey, rowKey, (current, _) => ValueTask.FromResult(modify(current)), ct);
    }

    public async Task<TableEntity?> UpdateAsync(
        TableClient table, string partitionKey, string rowKey,
        Func<TableEntity?, CancellationToken, ValueTask<TableEntity?>> modify, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(modify);
        return await ExecuteAsync($"{table.Name}({partitionKey}, {rowKey})", async token =>
        {
            var current = await table.GetEntityIfExistsAsync(partitionKey, rowKey, ct: token);
            var next = await modify(current, token);
            if (next is null)
                return current;
            if (next.PartitionKey != partitionKey || next.RowKey != rowKey)
                throw new InvalidOperationException("The modified entity must keep the keys it was read with.");
            if (current is null)
                await table.AddEntityAsync(next, token);
            else
                await table.UpdateEntityAsync(next, current.ETag ?? throw new InvalidOperationException("The read entity has no ETag."), TableUpdateMode.Replace, token);
            return next;
        }, ct);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it completes without a write race (412 UpdateConditionNotSatisfied or
    /// 409 EntityAlreadyExists, including from a <see cref="TableTransactionFailedException"/>), for stores whose
    /// read–modify–write spans more than one row call or uses a transaction.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string resource, Func<CancellationToken, Task<T>> attempt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        Exception? last = null;
        for (var tries = 1; tries <= _options.MaxAttempts; tries++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await attempt(ct);
            }
            catch (StorageRequestException ex) when (IsRace(ex))
            {
                last = ex;
            }
            if (tries < _options.MaxAttempts)
                await Task.Delay(Backoff(tries), ct);
        }
        throw new ConcurrencyConflictException(resource, _options.MaxAttempts, last);
    }

    /// <summary>Full jitter: uniformly random in [0, min(MaxDelay, BaseDelay · 2^(failures−1))].</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 20);
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
    }

    // A race is a 412 (the row changed since it was read) or a 409 EntityAlreadyExists (someone inserted first),
    // whether from a single-row call or from an entity group transaction.
    private static bool IsRace(StorageRequestException ex) =>
        ex.Status == 412 || (ex.Status == 409 && ex.ErrorCode == StorageErrorCodes.EntityAlreadyExists);

    private static OptimisticConcurrencyOptions Validate(OptimisticConcurrencyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.BaseDelay, nameof(options));
        return options;
    }
}
