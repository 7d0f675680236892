namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>A queue-triggered function body. Throwing fails the invocation: the host retries, then poisons.</summary>
public interface IQueueFunction
{
    Task RunAsync(QueueInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>A timer-triggered function body.</summary>
public interface ITimerFunction
{
    Task RunAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>A queue message as the host hands it over, already decoded from the envelope.</summary>
/// <param name="MessageText">The message content after the trigger's Base64 decoding.</param>
public sealed record QueueInvocation(
    string FunctionName,
    string MessageText,
    string? MessageId,
    long DequeueCount,
    DateTimeOffset? InsertionTime,
    string? InvocationId);

public sealed record TimerInvocation(string FunctionName, bool IsPastDue, DateTimeOffset? ScheduledFor);
