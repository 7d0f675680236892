using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// Applies the expiries Meta never announces (§1.10: no webhook when a temporary permission runs out; §3.5: an
/// ignored request expires after 7 days). The timer's version is the state's version when it was set; a renewed,
/// upgraded or re-requested permission has a newer version, so an old timer changes nothing. Redelivery is safe:
/// the expiry is applied once and a second firing finds nothing due.
/// </summary>
public sealed class ConsentExpiryTimerHandler(ConsentStore store, TimeProvider time, ILogger<ConsentExpiryTimerHandler> logger)
    : IDurableTimerHandler
{
    public string Kind => ConsentStore.TimerKind;

    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (!ConsentStore.TryParseInstanceId(timer.InstanceId, out var number, out var contact))
        {
            // A malformed id can never succeed; poisoning it would only hide it in another queue.
            ConsentLog.Ignored(logger, "consent-expiry timer", "its instance id is not '<phoneNumberId>|<contactKey>'");
            return;
        }

        var now = time.GetUtcNow();
        var changed = false;
        await store.UpdateAsync(number, contact, state =>
        {
            var next = store.Machine.ApplyExpiry(state, now, timer.Version);
            changed = !ReferenceEquals(next, state);
            return next;
        }, ct);
        ConsentLog.ExpiryHandled(logger, number.Value, ConsentLog.Redact(contact), timer.Version,
            changed ? "expiry applied" : "stale or nothing due");
    }
}
