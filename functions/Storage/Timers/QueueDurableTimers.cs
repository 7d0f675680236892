using Microsoft.Extensions.Options;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.Storage.Timers;

/// <summary>
/// Durable timers as Storage queue messages made visible at their due time, hopping when the delay exceeds the
/// longest hop (architecture.md decision 3; azure-protocols.md §0.3).
/// </summary>
public sealed class QueueDurableTimers : IDurableTimers
{
    private readonly QueueClient _queue;
    private readonly TimerOptions _options;
    private readonly TimeProvider _clock;
    private volatile bool _queueExists;

    public QueueDurableTimers(QueueServiceClient queues, IOptions<TimerOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options.Value;
        _clock = clock;
        _queue = queues.GetQueueClient(_options.QueueName);
    }

    public string QueueName => _queue.Name;

    /// <summary>The delay before the timer's next delivery: min(DueAt − now, MaxHop), never negative.</summary>
    public TimeSpan NextHop(DurableTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var remaining = timer.DueAt - _clock.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
            return TimeSpan.Zero;
        return remaining < _options.MaxHop ? remaining : _options.MaxHop;
    }

    public async Task ScheduleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrWhiteSpace(timer.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(timer.InstanceId);
        await EnsureQueueAsync(ct);
        if (timer.TraceParent is null && TimerTracing.CurrentTraceParent() is { } traceParent)
            timer = timer with { TraceParent = traceParent };
        // Never expire: the default 7-day TTL would drop a message whose hop is 7 days (visibility must be < TTL).
        await _queue.SendMessageAsync(DurableTimerMessage.Encode(timer), NextHop(timer), TimeSpan.MaxValue, ct);
    }

    // Creation is idempotent, so concurrent first calls may both create; afterwards no request is spent on it.
    private async Task EnsureQueueAsync(CancellationToken ct)
    {
        if (_queueExists)
            return;
        await _queue.CreateIfNotExistsAsync(ct);
        _queueExists = true;
    }
}
