using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>The stored consent of one pair, with the expiry timer last scheduled for it.</summary>
public sealed record StoredConsent(ConsentState State, ConsentTimer? ScheduledTimer, string? LastCorrection, DateTimeOffset? LastCorrectedAt);

/// <summary>
/// Consent state per (business number, customer) in <see cref="AppTables.Consent"/>: PK phone number id, RK contact
/// key, the facts as JSON in <c>State</c>, and a few queryable columns (<c>Status</c>, <c>PermissionExpiresAt</c>,
/// <c>Version</c>). Writes are ETag read–modify–write, so concurrent webhooks never lose each other's facts.
/// After each change the next expiry timer is scheduled (Meta sends no webhook for expiry, §1.10, §3.5).
/// </summary>
public sealed class ConsentStore(
    AppStorage storage,
    IDurableTimers timers,
    IOptions<ConsentOptions> options,
    TimeProvider time,
    ILogger<ConsentStore> logger)
{
    public const string TimerKind = "consent-expiry";

    private const string StateColumn = "State";
    private const string StatusColumn = "Status";
    private const string ExpiresColumn = "PermissionExpiresAt";
    private const string VersionColumn = "Version";
    private const string TimerDueColumn = "TimerDueAt";
    private const string TimerVersionColumn = "TimerVersion";
    private const string TimerKindColumn = "TimerKind";
    private const string CorrectionColumn = "LastCorrection";
    private const string CorrectedAtColumn = "LastCorrectedAt";

    private readonly OptimisticConcurrency _concurrency = new();

    public ConsentRules Rules => Machine.Rules;

    public ConsentStateMachine Machine { get; } = new(options.Value.ToRules());

    public static string InstanceId(BusinessNumberId number, ContactKey contact) => $"{number.Value}|{contact.Value}";

    public static bool TryParseInstanceId(string instanceId, out BusinessNumberId number, out ContactKey contact)
    {
        var bar = instanceId.IndexOf('|', StringComparison.Ordinal);
        number = default;
        contact = default;
        if (bar <= 0 || !ContactKey.TryParse(instanceId[(bar + 1)..], out contact))
        {
            return false;
        }

        number = new BusinessNumberId(instanceId[..bar]);
        return true;
    }

    public async Task<StoredConsent> GetAsync(BusinessNumberId number, ContactKey contact, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Consent, ct);
        var row = await table.GetEntityIfExistsAsync(number.Value, contact.Value, ct: ct);
        return Read(row, number, contact);
    }

    /// <summary>
    /// Applies <paramref name="change"/> (pure; it may run several times under contention) and stores the result
    /// when it is a new instance; then makes sure the pair's next expiry timer is scheduled.
    /// </summary>
    public async Task<StoredConsent> UpdateAsync(
        BusinessNumberId number, ContactKey contact, Func<ConsentState, ConsentState> change, CancellationToken ct,
        PermissionCorrection? correction = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = await storage.TableAsync(AppTables.Consent, ct);
        StoredConsent? result = null;
        var written = await _concurrency.UpdateAsync(table, number.Value, contact.Value, current =>
        {
            var stored = Read(current, number, contact);
            var next = change(stored.State);
            result = stored with { State = next };
            if (ReferenceEquals(next, stored.State) && correction is null)
            {
                return null;
            }

            if (correction is not null)
            {
                result = result with { LastCorrection = correction.Describe(), LastCorrectedAt = correction.ObservedAt };
            }

            return Write(result, number, contact);
        }, ct);

        var final = result ?? Read(written, number, contact);
        return await EnsureTimerAsync(table, written?.ETag, final, number, contact, ct);
    }

    /// <summary>
    /// Moves facts stored under the customer's number into their BSUID record once the alias is known, then removes
    /// the number's row. Safe to repeat: replayed facts are de-duplicated, and a row that changed meanwhile is left
    /// for the next adoption.
    /// </summary>
    public async Task AdoptAsync(BusinessNumberId number, ContactKey phoneKey, ContactKey bsuid, CancellationToken ct)
    {
        if (phoneKey.IsBsuid || !bsuid.IsBsuid)
        {
            throw new ArgumentException("Adoption moves a number-keyed record into a BSUID-keyed one.", nameof(bsuid));
        }

        var table = await storage.TableAsync(AppTables.Consent, ct);
        var row = await table.GetEntityIfExistsAsync(number.Value, phoneKey.Value, ct: ct);
        if (row is null)
        {
            return;
        }

        var orphan = Read(row, number, phoneKey).State;
        var events = ConsentReplay.EventsOf(orphan).ToList();
        await UpdateAsync(number, bsuid, state => events.Aggregate(state, Machine.Apply), ct);
        try
        {
            await table.DeleteEntityAsync(number.Value, phoneKey.Value, row.ETag ?? TableClient.AnyETag, ct);
            ConsentLog.Adopted(logger, number.Value, bsuid.Value, events.Count);
        }
        catch (StorageRequestException ex) when (ex.Status is 404 or 412)
        {
            ConsentLog.AdoptionDeferred(logger, number.Value, bsuid.Value);
        }
    }

    // Scheduling happens after the write; when it fails the event is retried, the state is then unchanged, and
    // this check still finds the recorded timer behind and schedules it. A duplicate timer is harmless: it is
    // stale by version, or it finds the expiry already applied (architecture.md decision 3).
    private async Task<StoredConsent> EnsureTimerAsync(
        TableClient table, string? etag, StoredConsent stored, BusinessNumberId number, ContactKey contact, CancellationToken ct)
    {
        var next = ConsentTimers.Next(stored.State, Rules);
        if (Equals(next, stored.ScheduledTimer))
        {
            return stored;
        }

        if (next is not null)
        {
            await timers.ScheduleAsync(
                new DurableTimer(TimerKind, InstanceId(number, contact), next.Version, next.DueAt, next.Kind.ToString()), ct);
            ConsentLog.TimerScheduled(logger, next.Kind.ToString(), number.Value, ConsentLog.Redact(contact), next.Version, next.DueAt);
        }

        var updated = stored with { ScheduledTimer = next };
        if (etag is null)
        {
            return updated;
        }

        try
        {
            // Only the timer columns; a concurrent writer that got in first will check again itself.
            var columns = new TableEntity(number.Value, contact.Value);
            WriteTimer(columns, next);
            await table.UpdateEntityAsync(columns, etag, TableUpdateMode.Merge, ct);
        }
        catch (StoragePreconditionFailedException)
        {
            ConsentLog.TimerRecordRaced(logger, number.Value, ConsentLog.Redact(contact));
        }

        return updated;
    }

    private static StoredConsent Read(TableEntity? row, BusinessNumberId number, ContactKey contact)
    {
        if (row?.GetString(StateColumn) is not { Length: > 0 } json)
        {
            return new StoredConsent(ConsentState.Empty(number, contact), ReadTimer(row), null, null);
        }

        return new StoredConsent(
            ConsentStateJson.Deserialize(json), ReadTimer(row), row.GetString(CorrectionColumn), row.GetDateTimeOffset(CorrectedAtColumn));
    }

    private TableEntity Write(StoredConsent stored, BusinessNumberId number, ContactKey contact)
    {
        var state = stored.State;
        var permission = CallPermission.Of(state, time.GetUtcNow(), Rules);
        var row = new TableEntity(number.Value, contact.Value)
            .With(StateColumn, ConsentStateJson.Serialize(state))
            .With(StatusColumn, permission.Status.ToString())
            .With(ExpiresColumn, permission.ExpiresAt)
            .With(VersionColumn, state.Version)
            .With(CorrectionColumn, stored.LastCorrection)
            .With(CorrectedAtColumn, stored.LastCorrectedAt);
        WriteTimer(row, stored.ScheduledTimer);
        return row;
    }

    private static void WriteTimer(TableEntity row, ConsentTimer? timer)
    {
        // Empty values rather than absent ones, so a merge clears a timer that is no longer needed.
        row.With(TimerDueColumn, timer?.DueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "")
            .With(TimerVersionColumn, timer?.Version ?? 0L)
            .With(TimerKindColumn, timer?.Kind.ToString() ?? "");
    }

    private static ConsentTimer? ReadTimer(TableEntity? row) =>
        row?.GetString(TimerDueColumn) is { Length: > 0 } due
        && DateTimeOffset.TryParse(due, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var dueAt)
        && Enum.TryParse<ConsentTimerKind>(row.GetString(TimerKindColumn), out var kind)
            ? new ConsentTimer(dueAt, row.GetInt64(TimerVersionColumn) ?? 0, kind)
            : null;
}
