using System.Collections.Concurrent;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.Storage.Tests.Timers;

/// <summary>Records the timers its kind receives.</summary>
internal sealed class RecordingHandler(string kind) : IDurableTimerHandler
{
    public ConcurrentQueue<DurableTimer> Handled { get; } = new();

    public string Kind => kind;

    public Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        Handled.Enqueue(timer);
        return Task.CompletedTask;
    }
}

/// <summary>Keeps scheduled timers in memory, for dispatcher unit tests.</summary>
internal sealed class RecordingTimers : IDurableTimers
{
    public List<DurableTimer> Scheduled { get; } = [];

    public Task ScheduleAsync(DurableTimer timer, CancellationToken ct)
    {
        Scheduled.Add(timer);
        return Task.CompletedTask;
    }
}

/// <summary>What the function host does per delivery: receive, dispatch, delete on success.</summary>
internal static class TimerQueuePump
{
    public static async Task<int> PumpOnceAsync(QueueClient queue, DurableTimerDispatcher dispatcher)
    {
        var messages = await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30));
        foreach (var message in messages)
        {
            await dispatcher.DispatchAsync(message.MessageText, CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        return messages.Count;
    }
}
