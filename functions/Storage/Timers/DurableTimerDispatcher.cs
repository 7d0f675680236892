using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WhatsAppCalling.Storage.Timers;

/// <summary>
/// Called by the queue-triggered timer function for each message: a timer not yet due by <see cref="TimeProvider"/>
/// hops again; a due one goes to the handler for its kind. Exceptions propagate so the host retries the message
/// and finally poisons it.
/// </summary>
public sealed class DurableTimerDispatcher
{
    private readonly Dictionary<string, IDurableTimerHandler> _handlers;
    private readonly IDurableTimers _timers;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public DurableTimerDispatcher(
        IEnumerable<IDurableTimerHandler> handlers, IDurableTimers timers, TimeProvider clock, ILogger<DurableTimerDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(clock);
        _handlers = new Dictionary<string, IDurableTimerHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
                throw new ArgumentException($"Two durable timer handlers claim kind '{handler.Kind}'.", nameof(handlers));
        }
        _timers = timers;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <param name="messageText">The queue message: raw Base64 text, decoded JSON, or the host's JSON-encoded string.</param>
    /// <exception cref="InvalidDurableTimerMessageException">The message is not a timer.</exception>
    /// <exception cref="UnknownDurableTimerKindException">No handler for its kind.</exception>
    public async Task DispatchAsync(string messageText, CancellationToken ct)
    {
        var timer = DurableTimerMessage.Decode(messageText);
        if (!_handlers.TryGetValue(timer.Kind, out var handler))
            throw new UnknownDurableTimerKindException(timer.Kind);

        var now = _clock.GetUtcNow();
        if (timer.DueAt > now)
        {
            _logger.LogDebug("Timer {Kind}/{InstanceId} v{Version} due {DueAt:o} is early at {Now:o}; hopping again.",
                timer.Kind, timer.InstanceId, timer.Version, timer.DueAt, now);
            await _timers.ScheduleAsync(timer, ct);
            return;
        }

        _logger.LogInformation("Timer {Kind}/{InstanceId} v{Version} due {DueAt:o} fired.", timer.Kind, timer.InstanceId, timer.Version, timer.DueAt);
        using var activity = TimerTracing.StartFiring(timer);
        try
        {
            await handler.HandleAsync(timer, ct);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
