namespace WhatsAppCalling.Storage.Timers;

/// <summary>
/// A timer for one flow instance (ring escalation, transfer revert, permission expiry). <see cref="Version"/> is the
/// instance state's version the timer was set for; a handler that finds a newer version treats it as stale
/// (architecture.md decision 3: delivery is at least once). <see cref="TraceParent"/> is the W3C trace context of
/// the span that set the timer, so the firing continues that trace; it is filled in when scheduled.
/// </summary>
public sealed record DurableTimer(string Kind, string InstanceId, long Version, DateTimeOffset DueAt, string? Payload = null, string? TraceParent = null);

/// <summary>Schedules durable timers.</summary>
public interface IDurableTimers
{
    Task ScheduleAsync(DurableTimer timer, CancellationToken ct);
}

/// <summary>Handles due timers of one <see cref="Kind"/>. Throwing leaves the message to be retried and, at last, poisoned.</summary>
public interface IDurableTimerHandler
{
    string Kind { get; }

    Task HandleAsync(DurableTimer timer, CancellationToken ct);
}

/// <summary>Durable timer settings, bound from the <c>Timers</c> section (<c>Timers__MaxHopSeconds</c>, architecture.md).</summary>
public sealed class TimerOptions
{
    public const string SectionName = "Timers";

    public const string DefaultQueueName = "durable-timers";

    /// <summary>6 days, as the Durable Functions Azure Storage provider caps one delay (azure-protocols.md §3).</summary>
    public const int DefaultMaxHopSeconds = 6 * 24 * 3600;

    /// <summary>The queue service refuses visibility beyond 7 days (azure-protocols.md §3).</summary>
    public const int LimitMaxHopSeconds = 7 * 24 * 3600;

    /// <summary>Longest single queue delay; tests set a second or two so a test clock can jump days.</summary>
    public int MaxHopSeconds { get; set; } = DefaultMaxHopSeconds;

    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary><see cref="MaxHopSeconds"/> clamped to 1 s … 7 days.</summary>
    public TimeSpan MaxHop => TimeSpan.FromSeconds(Math.Clamp(MaxHopSeconds, 1, LimitMaxHopSeconds));
}

/// <summary>No handler is registered for a timer's kind; the message must go to the poison queue, not vanish.</summary>
public sealed class UnknownDurableTimerKindException(string kind)
    : Exception($"No durable timer handler is registered for kind '{kind}'.")
{
    public string Kind { get; } = kind;
}

/// <summary>The message is not a durable timer (bad Base64 or JSON, or fields missing).</summary>
public sealed class InvalidDurableTimerMessageException(string reason, Exception? inner = null)
    : Exception($"The queue message is not a durable timer: {reason}", inner);
