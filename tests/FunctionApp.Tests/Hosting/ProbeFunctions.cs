using System.Collections.Concurrent;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

/// <summary>Records every invocation; fails on demand. Registered only by the tests that exercise the trigger path.</summary>
public sealed class InvocationRecorder
{
    private readonly ConcurrentQueue<QueueInvocation> _invocations = new();
    private readonly TaskCompletionSource _reachedTarget = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailUntilAttempt { get; set; }

    public int TargetCount { get; set; } = 1;

    public IReadOnlyList<QueueInvocation> Invocations => [.. _invocations];

    public Task ReachedTarget => _reachedTarget.Task;

    public void Record(QueueInvocation invocation)
    {
        _invocations.Enqueue(invocation);
        if (_invocations.Count >= TargetCount)
        {
            _reachedTarget.TrySetResult();
        }
    }
}

public sealed class ProbeQueueFunction(InvocationRecorder recorder) : IQueueFunction
{
    public Task RunAsync(QueueInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Record(invocation);
        if (invocation.DequeueCount <= recorder.FailUntilAttempt)
        {
            throw new InvalidOperationException($"Probe failure on attempt {invocation.DequeueCount}");
        }

        return Task.CompletedTask;
    }
}

public sealed class TimerRecorder
{
    public TaskCompletionSource<TimerInvocation> Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed class ProbeTimerFunction(TimerRecorder recorder) : ITimerFunction
{
    public Task RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Fired.TrySetResult(invocation);
        return Task.CompletedTask;
    }
}
