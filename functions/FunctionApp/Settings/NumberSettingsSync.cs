using System.Globalization;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Storage.Timers;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Errors;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>Retry of pushes Meta did not take (<c>Settings__SyncRetrySeconds</c>, <c>Settings__SyncMaxAttempts</c>).</summary>
public sealed class NumberSettingsOptions
{
    public const string Section = "Settings";

    /// <summary>First retry delay; it doubles per attempt.</summary>
    public int SyncRetrySeconds { get; set; } = 60;

    public int SyncMaxAttempts { get; set; } = 8;
}

/// <summary>What pushing one version to Meta came to.</summary>
public sealed record PushOutcome(StoredNumberSettings Stored, GraphError? Error, DateTimeOffset? RetryAt)
{
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Error))]
    public bool Synced => Error is null;
}

/// <summary>
/// Pushes stored settings to Meta's settings endpoint. Settings are stored first, so Meta being down never loses
/// an admin's change: a transient failure (no answer, 5xx, 429) leaves the version <see cref="SettingsSync.Pending"/>
/// and schedules a durable timer that pushes it again with a doubling delay; a 4xx marks it
/// <see cref="SettingsSync.Rejected"/>, which only a new save can clear. A newer version makes old timers no-ops.
/// </summary>
public sealed class NumberSettingsSync(
    NumberSettingsStore store,
    IWhatsAppClient graph,
    IDurableTimers timers,
    IOptions<NumberSettingsOptions> options,
    TimeProvider time,
    ILogger<NumberSettingsSync> logger) : IDurableTimerHandler
{
    public const string TimerKind = "number-settings-sync";

    public string Kind => TimerKind;

    public async Task<PushOutcome> PushAsync(StoredNumberSettings stored, int attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var result = await graph.UpdateCallingSettingsAsync(stored.Number, MetaCallingSettings.ToMeta(stored.Settings), ct);
        if (result.IsSuccess)
        {
            logger.LogInformation("Settings of {PhoneNumberId} version {Version} synced to Meta", stored.Number, stored.Version);
            return new PushOutcome(await store.RecordPushAsync(stored.Number, stored.Version, SettingsSync.Synced, null, ct) ?? stored, null, null);
        }

        var error = result.Error;
        var transient = error.HttpStatus is null or >= 500 or 429;
        var message = $"Meta answered {error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} (code {error.Code}): {error.Details ?? error.Message}";
        if (!transient || attempt >= options.Value.SyncMaxAttempts)
        {
            logger.LogWarning("Settings of {PhoneNumberId} version {Version} refused by Meta: {Error}", stored.Number, stored.Version, message);
            return new PushOutcome(await store.RecordPushAsync(stored.Number, stored.Version, SettingsSync.Rejected, message, ct) ?? stored, error, null);
        }

        var retryAt = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.SyncRetrySeconds * Math.Pow(2, attempt - 1));
        await timers.ScheduleAsync(new DurableTimer(TimerKind, stored.Number.Value, stored.Version, retryAt, (attempt + 1).ToString(CultureInfo.InvariantCulture)), ct);
        logger.LogWarning("Settings of {PhoneNumberId} version {Version} not synced ({Error}); retry {Attempt} at {RetryAt}",
            stored.Number, stored.Version, message, attempt + 1, retryAt);
        return new PushOutcome(await store.RecordPushAsync(stored.Number, stored.Version, SettingsSync.Pending, message, ct) ?? stored, error, retryAt);
    }

    /// <summary>The retry timer: pushes again if the version it was set for is still the pending one.</summary>
    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var number = new BusinessNumberId(timer.InstanceId);
        var stored = await store.StartPushAsync(number, timer.Version, time.GetUtcNow(), ct);
        if (stored is null)
        {
            logger.LogInformation("Settings retry of {PhoneNumberId} version {Version} is stale, dropped", number, timer.Version);
            return;
        }

        var attempt = int.TryParse(timer.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2;
        await PushAsync(stored, attempt, ct);
    }
}
