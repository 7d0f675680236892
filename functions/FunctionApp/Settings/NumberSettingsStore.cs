using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Settings;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>Whether Meta has the stored settings.</summary>
public enum SettingsSync
{
    /// <summary>Meta accepted this version, or Meta's own change (webhook) produced it.</summary>
    Synced,

    /// <summary>Stored here, not yet accepted by Meta; a durable timer retries the push.</summary>
    Pending,

    /// <summary>Meta refused this version (a 4xx); it stays in force here but is not retried.</summary>
    Rejected,
}

/// <summary>A number's stored settings with their version (bumped on every change), sync state and ETag.</summary>
public sealed record StoredNumberSettings(
    BusinessNumberId Number,
    NumberSettings Settings,
    long Version,
    SettingsSync Sync,
    string? SyncError,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? PushStartedAt,
    string ETag);

/// <summary>The row's ETag no longer matches the caller's <c>If-Match</c>.</summary>
public sealed class SettingsChangedException(string current) : Exception("The settings changed since they were read.")
{
    public string CurrentETag { get; } = current;
}

/// <summary>
/// Settings in <see cref="AppTables.BusinessNumbers"/>: PK phone number id, RK <c>settings</c> (next to the ring
/// order). Every write is a read–modify–write on the row's ETag, so an admin's save, Meta's webhook and the sync
/// timer never overwrite each other blindly.
/// </summary>
public sealed class NumberSettingsStore(AppStorage storage) : INumberSettings
{
    public const string Row = "settings";

    private readonly OptimisticConcurrency _concurrency = new();

    public async Task<NumberSettings> GetAsync(BusinessNumberId number, CancellationToken ct) =>
        (await FindAsync(number, ct))?.Settings ?? NumberSettings.Unconfigured;

    public async Task<StoredNumberSettings?> FindAsync(BusinessNumberId number, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.BusinessNumbers, ct);
        var row = await table.GetEntityIfExistsAsync(number.Value, Row, ct: ct);
        return row is null ? null : Read(number, row);
    }

    /// <summary>An admin's whole document: a new version, pending until Meta accepts it.</summary>
    /// <param name="ifMatch">The ETag the admin read, or null to overwrite whatever is stored.</param>
    /// <exception cref="SettingsChangedException">The row changed since <paramref name="ifMatch"/>.</exception>
    public async Task<StoredNumberSettings> SaveAsync(
        BusinessNumberId number, NumberSettings settings, string updatedBy, string? ifMatch, DateTimeOffset now, CancellationToken ct) =>
        (await UpdateAsync(number, current =>
        {
            if (ifMatch is not null && ifMatch != "*" && current?.ETag != ifMatch)
            {
                throw new SettingsChangedException(current?.ETag ?? string.Empty);
            }

            return new StoredNumberSettings(number, settings, (current?.Version ?? 0) + 1, SettingsSync.Pending, null, now, updatedBy, now, string.Empty);
        }, ct))!;

    /// <summary>Records the outcome of pushing <paramref name="version"/>; a newer version is left alone.</summary>
    public Task<StoredNumberSettings?> RecordPushAsync(BusinessNumberId number, long version, SettingsSync outcome, string? error, CancellationToken ct) =>
        UpdateIfAsync(number, current => current.Version == version && current.Sync == SettingsSync.Pending
            ? current with { Sync = outcome, SyncError = error }
            : null, ct);

    /// <summary>Marks a retry of <paramref name="version"/> as started, so webhooks older than it are not applied.</summary>
    public Task<StoredNumberSettings?> StartPushAsync(BusinessNumberId number, long version, DateTimeOffset now, CancellationToken ct) =>
        UpdateIfAsync(number, current => current.Version == version && current.Sync == SettingsSync.Pending
            ? current with { PushStartedAt = now }
            : null, ct);

    /// <summary>Applies Meta's view of the settings (from <c>account_settings_update</c>); unchanged content writes nothing.</summary>
    public async Task<(StoredNumberSettings? Stored, bool Changed)> ReconcileAsync(
        BusinessNumberId number, Func<StoredNumberSettings?, NumberSettings?> fromMeta, DateTimeOffset now, CancellationToken ct)
    {
        var changed = false;
        var stored = await UpdateAsync(number, current =>
        {
            changed = false;
            if (fromMeta(current) is not { } next || (current is not null && SettingsDocument.SameContent(current.Settings, next)))
            {
                return null;
            }

            changed = true;
            return new StoredNumberSettings(number, next, (current?.Version ?? 0) + 1, SettingsSync.Synced, null, now, "meta", current?.PushStartedAt, string.Empty);
        }, ct);
        return (stored, changed);
    }

    private async Task<StoredNumberSettings?> UpdateIfAsync(BusinessNumberId number, Func<StoredNumberSettings, StoredNumberSettings?> change, CancellationToken ct)
    {
        StoredNumberSettings? result = null;
        await UpdateAsync(number, current =>
        {
            result = current is null ? null : change(current);
            return result;
        }, ct);
        return result is null ? null : await FindAsync(number, ct);
    }

    /// <returns>The row as written, or as read (null when absent) when <paramref name="change"/> returned null.</returns>
    private async Task<StoredNumberSettings?> UpdateAsync(BusinessNumberId number, Func<StoredNumberSettings?, StoredNumberSettings?> change, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.BusinessNumbers, ct);
        var row = await _concurrency.UpdateAsync(table, number.Value, Row, current =>
        {
            var next = change(current is null ? null : Read(number, current));
            return next is null ? null : Write(next);
        }, ct);
        return row is null ? null : Read(number, row);
    }

    private static TableEntity Write(StoredNumberSettings s)
    {
        var row = new TableEntity(s.Number.Value, Row)
        {
            ["CallingEnabled"] = s.Settings.CallingEnabled,
            ["CallIcon"] = s.Settings.CallIcon.ToString(),
            ["CallbackPermission"] = s.Settings.CallbackPermission,
            ["Recording"] = s.Settings.Recording,
            ["Hours"] = SettingsDocument.WriteHours(s.Settings.Hours),
            ["Version"] = s.Version,
            ["Sync"] = s.Sync.ToString(),
            ["SyncError"] = s.SyncError ?? string.Empty,
            ["UpdatedAt"] = s.UpdatedAt,
            ["UpdatedBy"] = s.UpdatedBy,
        };
        if (s.PushStartedAt is { } pushed)
        {
            row["PushStartedAt"] = pushed;
        }

        return row;
    }

    private static StoredNumberSettings Read(BusinessNumberId number, TableEntity row)
    {
        var settings = new NumberSettings(
            row.GetBoolean("CallingEnabled") ?? true,
            Enum.TryParse<CallIconVisibility>(row.GetString("CallIcon"), out var icon) ? icon : CallIconVisibility.Default,
            SettingsDocument.ReadStoredHours(row.GetString("Hours")),
            row.GetBoolean("CallbackPermission") ?? false,
            row.GetBoolean("Recording") ?? false);
        return new StoredNumberSettings(
            number,
            settings,
            row.GetInt64("Version") ?? 0,
            Enum.TryParse<SettingsSync>(row.GetString("Sync"), out var sync) ? sync : SettingsSync.Pending,
            row.GetString("SyncError") is { Length: > 0 } error ? error : null,
            row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
            row.GetString("UpdatedBy") ?? string.Empty,
            row.GetDateTimeOffset("PushStartedAt"),
            row.ETag ?? string.Empty);
    }
}
