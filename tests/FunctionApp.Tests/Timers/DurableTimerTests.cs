using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Tests.Timers;

/// <summary>Durable timers through the real queue, the local trigger host and the DurableTimer function.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DurableTimerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_timer_scheduled_three_seconds_ahead_fires_once_after_its_due_time()
    {
        var handler = new RecordingTimerHandler();
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Timers:MaxHopSeconds"] = "60" },
            builder => builder.Services.AddSingleton<IDurableTimerHandler>(handler));
        var timers = app.Services.GetRequiredService<IDurableTimers>();

        var due = DateTimeOffset.UtcNow.AddSeconds(3);
        await timers.ScheduleAsync(new DurableTimer(RecordingTimerHandler.KindName, "call-1", 7, due, "payload"), CancellationToken.None);

        var fired = await handler.FirstFired.Task.WaitAsync(HangGuard);
        Assert.True(fired.FiredAt >= due, $"fired at {fired.FiredAt:o}, due {due:o}");
        Assert.Equal(("call-1", 7L, "payload"), (fired.Timer.InstanceId, fired.Timer.Version, fired.Timer.Payload));
        await AssertNoSecondDeliveryAsync(app, handler);
    }

    [Fact]
    public async Task A_timer_due_in_seven_days_hops_until_the_test_clock_passes_its_due_time_and_fires_once()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var handler = new RecordingTimerHandler(clock);
        var hops = new HopCounter();
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<IDurableTimerHandler>(handler);
            builder.Services.AddSingleton(hops);
            builder.Services.AddSingleton<IDurableTimers>(sp => new CountingTimers(sp.GetRequiredService<QueueDurableTimers>(), hops));
        });
        var timers = app.Services.GetRequiredService<IDurableTimers>();
        var due = clock.GetUtcNow().AddDays(7);

        await timers.ScheduleAsync(new DurableTimer(RecordingTimerHandler.KindName, "permission-1", 1, due), CancellationToken.None);

        // The first schedule plus two re-enqueues: the timer came back twice and was not yet due.
        await hops.Reached(3).WaitAsync(HangGuard);
        Assert.Empty(handler.Fired);

        clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromSeconds(1)));
        var fired = await handler.FirstFired.Task.WaitAsync(HangGuard);
        Assert.Equal("permission-1", fired.Timer.InstanceId);
        Assert.True(fired.ClockAt >= due);
        await AssertNoSecondDeliveryAsync(app, handler);
    }

    // After the first firing the timer message must be gone: the queue drains and the handler count stays at one.
    private static async Task AssertNoSecondDeliveryAsync(RunningFunctionApp app, RecordingTimerHandler handler)
    {
        var queue = app.Services.GetRequiredService<QueueDurableTimers>();
        var names = app.Services.GetRequiredService<WhatsAppCalling.FunctionApp.Storage.AppStorage>();
        var client = await names.QueueAsync(WhatsAppCalling.FunctionApp.Storage.AppQueues.DurableTimers, CancellationToken.None);
        Assert.Equal(queue.QueueName, client.Name);
        await Eventually.UntilAsync(() => client.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the timer queue to drain");
        Assert.Single(handler.Fired);
    }

    private sealed record Firing(DurableTimer Timer, DateTimeOffset FiredAt, DateTimeOffset ClockAt);

    private sealed class RecordingTimerHandler(TimeProvider? clock = null) : IDurableTimerHandler
    {
        public const string KindName = "test-probe";

        public ConcurrentQueue<Firing> Fired { get; } = new();

        public TaskCompletionSource<Firing> FirstFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => KindName;

        public Task HandleAsync(DurableTimer timer, CancellationToken ct)
        {
            var firing = new Firing(timer, DateTimeOffset.UtcNow, (clock ?? TimeProvider.System).GetUtcNow());
            Fired.Enqueue(firing);
            FirstFired.TrySetResult(firing);
            return Task.CompletedTask;
        }
    }

    private sealed class HopCounter
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiters = new();
        private int _count;

        public Task Reached(int count) =>
            Volatile.Read(ref _count) >= count ? Task.CompletedTask : _waiters.GetOrAdd(count, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Increment()
        {
            var now = Interlocked.Increment(ref _count);
            foreach (var (target, waiter) in _waiters)
            {
                if (now >= target)
                {
                    waiter.TrySetResult();
                }
            }
        }
    }

    private sealed class CountingTimers(IDurableTimers inner, HopCounter hops) : IDurableTimers
    {
        public async Task ScheduleAsync(DurableTimer timer, CancellationToken ct)
        {
            await inner.ScheduleAsync(timer, ct);
            hops.Increment();
        }
    }
}
