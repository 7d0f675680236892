using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>What happened to an entry: appended now, found already recorded (a retry), or refused (same key, other movement).</summary>
/// <param name="Record">The stored entry: the new one, or the one recorded earlier under the key.</param>
/// <param name="Candidate">The entry this call tried to write.</param>
/// <param name="Balance">The balance after the append, or as read when nothing was written.</param>
public sealed record LedgerAppendResult(LedgerAppendOutcome Outcome, LedgerRecord Record, LedgerEntry Candidate, Money Balance);

/// <summary>A page of the ledger, newest first; <see cref="Continuation"/> is null on the last page.</summary>
public sealed record LedgerPage(IReadOnlyList<LedgerRecord> Records, string? Continuation);

/// <summary>The result of replaying the entries: the recomputed balance and whether the stored one had to be corrected.</summary>
public sealed record LedgerRebuild(LedgerReplay Replay, Money StoredBefore, bool Corrected);

/// <summary>
/// The prepaid ledger in Table storage. One partition per business account holds the entries and the balance row,
/// so each credit or debit is one entity-group transaction (insert the entry, replace the balance under If-Match):
/// a key is recorded at most once, and the balance always equals the sum of the entries, under any concurrency.
/// </summary>
public sealed class LedgerStore
{
    /// <summary>Generous: 200 writers on one balance must all get through (issue 7), each retry a fresh read.</summary>
    public static OptimisticConcurrencyOptions DefaultConcurrency { get; } = new()
    {
        MaxAttempts = 400,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(400),
    };

    // Writers in one process take turns per account: contending only across instances keeps retries rare, where 200
    // local writers racing on one ETag would mostly waste round trips. The ETag still guards every write.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);
    private readonly AppStorage _storage;
    private readonly OptimisticConcurrency _concurrency;
    private readonly TimeProvider _time;

    public LedgerStore(AppStorage storage, TimeProvider time, OptimisticConcurrency? concurrency = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(time);
        _storage = storage;
        _time = time;
        _concurrency = concurrency ?? new OptimisticConcurrency(DefaultConcurrency);
    }

    /// <summary>Appends a top-up or adjustment exactly once per key.</summary>
    /// <exception cref="ConcurrencyConflictException">The retry budget ran out under contention.</exception>
    public Task<LedgerAppendResult> AppendAsync(string wabaId, LedgerEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendCoreAsync(wabaId, entry.Key, null, _ => entry, ct);
    }

    /// <summary>
    /// Appends a call's debit exactly once and adds its billed minutes to the month's volume in the same transaction.
    /// <paramref name="priceAtVolume"/> gets the month-to-date minutes before the call and may run several times.
    /// </summary>
    public Task<LedgerAppendResult> AppendCallAsync(
        string wabaId, CallId callId, VolumeBucket volume, Func<decimal, LedgerEntry> priceAtVolume, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(priceAtVolume);
        return AppendCoreAsync(wabaId, LedgerEntry.CallKey(callId), volume, priceAtVolume, ct);
    }

    public async Task<LedgerBalance> GetBalanceAsync(string wabaId, CancellationToken ct)
    {
        var table = await TableAsync(wabaId, ct);
        return LedgerRows.ToBalance(wabaId, await table.GetEntityIfExistsAsync(wabaId, LedgerRows.BalanceRowKey, ct: ct));
    }

    public async Task<LedgerRecord?> FindAsync(string wabaId, string ledgerKey, CancellationToken ct)
    {
        var table = await TableAsync(wabaId, ct);
        var row = await table.GetEntityIfExistsAsync(wabaId, LedgerRows.EntryRowKey(ledgerKey), ct: ct);
        return row is null ? null : LedgerRows.ToRecord(row);
    }

    public async Task<decimal> GetBilledMinutesAsync(string wabaId, VolumeBucket volume, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var table = await TableAsync(wabaId, ct);
        return LedgerRows.BilledMinutes(await table.GetEntityIfExistsAsync(wabaId, LedgerRows.VolumeRowKey(volume), ct: ct));
    }

    /// <summary>One page, newest first. <paramref name="continuation"/> is the value a previous page returned.</summary>
    /// <exception cref="FormatException">The continuation was not issued by this method.</exception>
    public async Task<LedgerPage> ListAsync(string wabaId, int pageSize, string? continuation, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var next = continuation is null ? null : DecodeContinuation(continuation);
        var table = await TableAsync(wabaId, ct);
        var filter = TableFilter.PartitionKeyEquals(wabaId).And(TableFilter.RowKeyStartsWith(LedgerRows.SequencePrefix));
        var records = new List<LedgerRecord>();
        // The service may return short or empty pages that still continue; keep reading until the page is full.
        do
        {
            var page = await table.QueryPageAsync(new TableQuery(filter, Top: pageSize - records.Count), next, ct);
            records.AddRange(page.Entities.Select(LedgerRows.ToRecord));
            next = page.Continuation;
        }
        while (next is not null && records.Count < pageSize);

        return new LedgerPage(records, next is null ? null : EncodeContinuation(next));
    }

    /// <summary>All entries, in key order (the balance does not depend on the order).</summary>
    public async Task<IReadOnlyList<LedgerRecord>> ReadAllAsync(string wabaId, CancellationToken ct)
    {
        var table = await TableAsync(wabaId, ct);
        var filter = TableFilter.PartitionKeyEquals(wabaId).And(TableFilter.RowKeyStartsWith(LedgerRows.EntryPrefix));
        var records = new List<LedgerRecord>();
        await foreach (var row in table.QueryAsync(filter, ct))
        {
            records.Add(LedgerRows.ToRecord(row));
        }

        return records;
    }

    /// <summary>
    /// Recomputes the balance from the entries and, when <paramref name="write"/>, stores it if it differs. The write
    /// is conditional on the balance row's ETag, so an append racing the rebuild makes it start over.
    /// </summary>
    public async Task<LedgerRebuild> RebuildAsync(string wabaId, bool write, CancellationToken ct)
    {
        var table = await TableAsync(wabaId, ct);
        return await InTurnAsync(wabaId, () => _concurrency.ExecuteAsync($"{table.Name}({wabaId}, rebuild)", async token =>
        {
            var balanceRow = await table.GetEntityIfExistsAsync(wabaId, LedgerRows.BalanceRowKey, ct: token);
            var stored = LedgerRows.ToBalance(wabaId, balanceRow);
            var records = await ReadAllAsync(wabaId, token);
            var replay = Ledger.Rebuild(records.Select(r => r.Entry));
            var corrected = replay.Balance != stored.Balance;
            if (write && corrected)
            {
                var sequence = Math.Max(stored.Entries, records.Count == 0 ? 0 : records.Max(r => r.Sequence));
                var row = LedgerRows.BalanceRow(wabaId, replay.Balance, sequence, _time.GetUtcNow(), "rebuild");
                if (balanceRow?.ETag is { } etag)
                {
                    await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, token);
                }
                else
                {
                    await table.AddEntityAsync(row, token);
                }
            }

            return new LedgerRebuild(replay, stored.Balance, corrected);
        }, ct), ct);
    }

    private async Task<LedgerAppendResult> AppendCoreAsync(
        string wabaId, string key, VolumeBucket? volume, Func<decimal, LedgerEntry> build, CancellationToken ct)
    {
        var table = await TableAsync(wabaId, ct);
        return await InTurnAsync(wabaId, () => _concurrency.ExecuteAsync($"{table.Name}({wabaId}, {key})", async token =>
        {
            var balanceRow = await table.GetEntityIfExistsAsync(wabaId, LedgerRows.BalanceRowKey, ct: token);
            var volumeRow = volume is null ? null : await table.GetEntityIfExistsAsync(wabaId, LedgerRows.VolumeRowKey(volume), ct: token);
            var candidate = build(LedgerRows.BilledMinutes(volumeRow));
            if (!string.Equals(candidate.Key, key, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The entry's key {candidate.Key} is not the key {key} it is appended under.");
            }

            var stored = LedgerRows.ToBalance(wabaId, balanceRow);
            var decision = Ledger.Decide(stored.Balance, null, candidate);
            var record = new LedgerRecord(candidate, stored.Entries + 1, decision.BalanceAfter);
            var actions = new List<TableTransactionAction>
            {
                // Index 0 on purpose: an "already exists" failure there means the key is recorded.
                new(TableTransactionActionType.Add, LedgerRows.ToRow(wabaId, LedgerRows.EntryRowKey(key), record)),
                new(TableTransactionActionType.Add, LedgerRows.ToRow(wabaId, LedgerRows.SequenceRowKey(record.Sequence), record)),
                Write(LedgerRows.BalanceRow(wabaId, record.BalanceAfter, record.Sequence, _time.GetUtcNow(), key), balanceRow),
            };
            if (volume is not null && candidate.Charge is { } charge)
            {
                var minutes = LedgerRows.BilledMinutes(volumeRow) + charge.BilledMinutes;
                actions.Add(Write(LedgerRows.VolumeRow(wabaId, volume, minutes), volumeRow));
            }

            try
            {
                await table.SubmitTransactionAsync(actions, token);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedOperationIndex == 0)
            {
                var existing = await table.GetEntityIfExistsAsync(wabaId, LedgerRows.EntryRowKey(key), ct: token)
                    ?? throw Race(ex);
                var recorded = LedgerRows.ToRecord(existing);
                var repeat = Ledger.Decide(stored.Balance, recorded.Entry, candidate);
                return new LedgerAppendResult(repeat.Outcome, recorded, candidate, stored.Balance);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer moved the balance (412) or took the same sequence (409): start over from a fresh read.
                throw Race(ex);
            }

            return new LedgerAppendResult(LedgerAppendOutcome.Append, record, candidate, record.BalanceAfter);
        }, ct), ct);
    }

    private async Task<T> InTurnAsync<T>(string wabaId, Func<Task<T>> work, CancellationToken ct)
    {
        var turn = _turns.GetOrAdd(wabaId, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            turn.Release();
        }
    }

    // The service's continuation keys are opaque (Azurite encodes them), so both travel together, base64url-encoded.
    private static string EncodeContinuation(TableContinuation next) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(next.NextPartitionKey + "\n" + next.NextRowKey));

    private static TableContinuation DecodeContinuation(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
            return parts.Length == 2 && parts[0].Length > 0
                ? new TableContinuation(parts[0], parts[1].Length > 0 ? parts[1] : null)
                : throw new FormatException("The continuation does not belong to this ledger.");
        }
        catch (Exception ex) when (ex is ArgumentException or DecoderFallbackException)
        {
            throw new FormatException("The continuation does not belong to this ledger.", ex);
        }
    }

    private static TableTransactionAction Write(TableEntity row, TableEntity? current) =>
        current?.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, row);

    // OptimisticConcurrency retries 412/409 row errors; a failed transaction is reported as its own type, so translate.
    private static StoragePreconditionFailedException Race(TableTransactionFailedException ex) =>
        new(ex.Status, ex.ErrorCode, $"Ledger transaction lost a race: {ex.ServiceMessage}");

    private async Task<TableClient> TableAsync(string wabaId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(wabaId) || !wabaId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{wabaId}' is not a WABA id (letters and digits).", nameof(wabaId));
        }

        return await _storage.TableAsync(AppTables.Ledger, ct);
    }
}
