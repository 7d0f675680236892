using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Tables;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Outbox;

/// <summary>
/// Effects of one stored transition that are not known to have run: the state that produced them, the effects and
/// what the input brought along (<see cref="InputsJson"/>), as written in the same transaction as the state.
/// <see cref="Done"/> effects at the start are known to have run (an earlier attempt failed after them).
/// </summary>
public sealed record PendingBatch(CallId CallId, long Version, string Direction, string StateJson, ImmutableArray<CallEffect> Effects, string? InputsJson, int Done)
{
    /// <summary>The effects still to run, each with its index in <see cref="Effects"/>.</summary>
    public IEnumerable<(int Index, CallEffect Effect)> Remaining => Effects.Select((effect, index) => (index, effect)).Skip(Done);
}

/// <summary>Runs a batch's effects, telling <paramref name="completed"/> the position of each one done.</summary>
public delegate Task<T> PendingRun<T>(Action<int> completed);

/// <summary>
/// The durable outbox of the call shells (Domain/Calls/README.md, "Effects → adapters"). A transition with effects
/// is stored together with a row holding them (<c>Calls</c>, PK call id, RK <c>effects|{version}</c>, one entity group
/// transaction), so a crash or a failure after the write cannot lose them: the row goes once they all ran. The writer
/// holds a lease on the row while it runs them (<see cref="Lease"/>); a failure gives the lease up at once, a crash
/// lets it lapse. Whoever finds the row with its lease lapsed (a redelivered webhook, a retried command, the sweep
/// timer set before the effects ran) claims it with an If-Match write, so two inputs never run the same effects at
/// once, and runs them again. Every effect is idempotent, so running one twice is safe.
/// </summary>
public sealed class PendingEffects(AppStorage storage, IDurableTimers timers, IOptions<InboundCallOptions> options, TimeProvider time, ILogger<PendingEffects> logger)
{
    public const string RowPrefix = "effects|";

    /// <summary>Durable timer kind of the sweep: instance = call id, payload = direction.</summary>
    public const string SweepTimerKind = "call-effects";

    /// <summary>Inputs larger than this (SDPs in a table string property, 64 KiB) are kept without their SDPs.</summary>
    public const int MaxInputsLength = 30_000;

    private const string DirectionColumn = "Direction";
    private const string StateColumn = "State";
    private const string EffectsColumn = "Effects";
    private const string InputsColumn = "Inputs";
    private const string LeaseColumn = "LeaseUntil";
    private const string DoneColumn = "Done";

    /// <summary>How long the runner of a batch holds it before anyone else may run it (<c>Calling__EffectLeaseSeconds</c>).</summary>
    public TimeSpan Lease { get; } = TimeSpan.FromSeconds(options.Value.EffectLeaseSeconds);

    /// <summary>The row written with the state: leased to the writer, who runs the effects next.</summary>
    public TableEntity Row(CallId callId, long version, string direction, string stateJson, IReadOnlyList<CallEffect> effects, string? inputsJson) =>
        new(callId.Value, RowKeyOf(version))
        {
            [DirectionColumn] = direction,
            [StateColumn] = stateJson,
            [EffectsColumn] = CallEffectJson.Serialize(effects),
            [InputsColumn] = inputsJson is { Length: <= MaxInputsLength } ? inputsJson : string.Empty,
            [LeaseColumn] = time.GetUtcNow() + Lease,
        };

    /// <summary>
    /// Runs the batch just written: the sweep timer is set first (so even a crash is followed up), then
    /// <paramref name="run"/>; on success the row goes, on failure the lease is given up for the next attempt.
    /// </summary>
    public async Task<T> RunAsync<T>(CallId callId, long version, string direction, PendingRun<T> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        await timers.ScheduleAsync(new DurableTimer(SweepTimerKind, callId.Value, version, time.GetUtcNow() + (2 * Lease), direction), ct);
        return await RunLeasedAsync(callId, version, 0, null, run, ct);
    }

    /// <summary>
    /// Claims every batch of the call whose lease lapsed, oldest first; the caller runs each through
    /// <see cref="RunLeasedAsync"/>. A batch another input claimed first is left to it.
    /// </summary>
    public async Task<IReadOnlyList<PendingBatch>> ClaimDueAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var now = time.GetUtcNow();
        var claimed = new List<PendingBatch>();
        var filter = TableFilter.PartitionKeyEquals(callId.Value).And(TableFilter.RowKeyStartsWith(RowPrefix));
        await foreach (var row in table.QueryAsync(filter, ct))
        {
            if (row.GetDateTimeOffset(LeaseColumn) is { } lease && lease > now)
            {
                logger.LogInformation("Call {CallId}: pending effects {RowKey} are being run by another input (lease until {LeaseUntil})", callId, row.RowKey, lease);
                continue;
            }

            try
            {
                await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [LeaseColumn] = now + Lease }, row.ETag!, TableUpdateMode.Merge, ct);
            }
            catch (StorageRequestException e) when (e.Status is 412 or 404)
            {
                continue;
            }

            claimed.Add(new PendingBatch(
                callId,
                long.Parse(row.RowKey[RowPrefix.Length..], CultureInfo.InvariantCulture),
                row.GetString(DirectionColumn) ?? string.Empty,
                row.GetString(StateColumn) ?? string.Empty,
                CallEffectJson.Deserialize(row.GetString(EffectsColumn) ?? "[]"),
                row.GetString(InputsColumn) is { Length: > 0 } inputs ? inputs : null,
                row.GetInt32(DoneColumn) ?? 0));
        }

        return [.. claimed.OrderBy(b => b.Version)];
    }

    /// <summary>
    /// Runs a batch this caller holds the lease of: the row goes after success; on failure the lease is given up and
    /// the effects done so far are counted, so the next attempt starts after them. <paramref name="indices"/> maps the
    /// position of each effect handed to the runner to its index in the stored batch (null: the same), and
    /// <paramref name="done"/> is how many were done before.
    /// </summary>
    public async Task<T> RunLeasedAsync<T>(CallId callId, long version, int done, IReadOnlyList<int>? indices, PendingRun<T> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        T result;
        try
        {
            result = await run(position => done = Math.Max(done, (indices is null ? position : indices[position]) + 1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Call {CallId}: effects of version {Version} failed after {Done} of them; kept for another attempt", callId, version, done);
            await GiveUpLeaseAsync(callId, version, done);
            throw;
        }

        var table = await storage.TableAsync(AppTables.Calls, ct);
        try
        {
            await table.DeleteEntityAsync(callId.Value, RowKeyOf(version), ct: ct);
        }
        catch (StorageNotFoundException)
        {
            // Another attempt finished the same batch after this one's lease lapsed.
        }

        return result;
    }

    private async Task GiveUpLeaseAsync(CallId callId, long version, int done)
    {
        try
        {
            var table = await storage.TableAsync(AppTables.Calls, CancellationToken.None);
            await table.UpdateEntityAsync(
                new TableEntity(callId.Value, RowKeyOf(version)) { [LeaseColumn] = time.GetUtcNow(), [DoneColumn] = done },
                TableClient.AnyETag, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (StorageRequestException e)
        {
            // The lease then lapses on its own; the sweep timer follows up.
            logger.LogWarning("Call {CallId}: could not give up the lease of version {Version} ({Status}); it lapses on its own", callId, version, e.Status);
        }
    }

    private static string RowKeyOf(long version) => RowPrefix + version.ToString("D19", CultureInfo.InvariantCulture);
}
