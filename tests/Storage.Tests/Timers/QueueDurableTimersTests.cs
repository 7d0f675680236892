using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TestSupport;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.Storage.Tests.Timers;

public sealed class QueueDurableTimersTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_timer_seven_days_ahead_hops_until_the_test_clock_passes_its_due_time_then_fires_once()
    {
        var clock = new ManualTimeProvider();
        var options = new TimerOptions { MaxHopSeconds = 1, QueueName = AzuriteFixture.UniqueName("timers-") };
        var queues = new QueueServiceClient(azurite.Account);
        var timers = new QueueDurableTimers(queues, Options.Create(options), clock);
        var handler = new RecordingHandler("transfer-revert");
        var dispatcher = new DurableTimerDispatcher([handler], timers, clock);
        var queue = queues.GetQueueClient(options.QueueName);
        var timer = new DurableTimer("transfer-revert", "call-9", 3, clock.GetUtcNow().AddDays(7), "agent-2");

        await timers.ScheduleAsync(timer, CancellationToken.None);
        Assert.Empty(await queue.PeekMessagesAsync(1)); // hidden for the 1 s hop
        for (var hops = 0; hops < 2; hops++)
            await Eventually.UntilAsync(() => TimerQueuePump.PumpOnceAsync(queue, dispatcher), n => n > 0, HangGuard, "a hop to arrive");
        Assert.Empty(handler.Handled);

        clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromSeconds(1)));
        await Eventually.UntilAsync(() => TimerQueuePump.PumpOnceAsync(queue, dispatcher), n => n > 0, HangGuard, "the last hop");

        Assert.Equal([timer], handler.Handled);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task A_timer_set_inside_a_span_fires_as_a_child_of_that_span_after_its_hops()
    {
        using var source = new ActivitySource("timer-trace-test");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name || s.Name == TimerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var clock = new ManualTimeProvider();
        var options = new TimerOptions { MaxHopSeconds = 1, QueueName = AzuriteFixture.UniqueName("timers-") };
        var queues = new QueueServiceClient(azurite.Account);
        var timers = new QueueDurableTimers(queues, Options.Create(options), clock);
        var handler = new SpanCapturingHandler("ring-escalation");
        var dispatcher = new DurableTimerDispatcher([handler], timers, clock);
        var queue = queues.GetQueueClient(options.QueueName);

        ActivityContext scheduledIn;
        using (var span = source.StartActivity("call.offer"))
        {
            scheduledIn = span!.Context;
            await timers.ScheduleAsync(new DurableTimer("ring-escalation", "call-7", 2, clock.GetUtcNow().AddSeconds(30)), CancellationToken.None);
        }

        // One hop comes back early (its trace context travels with it), then the clock passes the due time.
        await Eventually.UntilAsync(() => TimerQueuePump.PumpOnceAsync(queue, dispatcher), n => n > 0, HangGuard, "a hop to arrive");
        Assert.Empty(handler.Fired);
        clock.Advance(TimeSpan.FromSeconds(31));
        await Eventually.UntilAsync(() => TimerQueuePump.PumpOnceAsync(queue, dispatcher), n => n > 0, HangGuard, "the firing");

        var fired = Assert.Single(handler.Fired);
        Assert.Equal(scheduledIn.TraceId, fired.TraceId);
        Assert.Equal(scheduledIn.SpanId, fired.ParentSpanId);
        Assert.Equal("timer.fire", fired.OperationName);
        Assert.Equal("call-7", fired.GetTagItem("timer.instance_id"));
    }

    private sealed class SpanCapturingHandler(string kind) : IDurableTimerHandler
    {
        public string Kind => kind;

        public List<Activity> Fired { get; } = [];

        public Task HandleAsync(DurableTimer timer, CancellationToken ct)
        {
            Fired.Add(Activity.Current ?? throw new InvalidOperationException("The timer fired outside any span."));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Through_DI_a_timer_three_seconds_ahead_fires_once_after_its_due_time()
    {
        var queueName = AzuriteFixture.UniqueName("timers-");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Timers:MaxHopSeconds"] = "518400",
            ["Timers:QueueName"] = queueName,
        }).Build();
        var services = new ServiceCollection()
            .AddAzureStorage(azurite.ConnectionString)
            .AddDurableTimers(configuration)
            .AddDurableTimerHandler<ConsentExpiryProbe>()
            .AddSingleton<List<(DurableTimer Timer, DateTimeOffset HandledAt)>>();
        await using var provider = services.BuildServiceProvider();
        var timers = provider.GetRequiredService<IDurableTimers>();
        var dispatcher = provider.GetRequiredService<DurableTimerDispatcher>();
        var queue = provider.GetRequiredService<QueueServiceClient>().GetQueueClient(queueName);
        var timer = new DurableTimer(ConsentExpiryProbe.KindName, "contact-1", 1, DateTimeOffset.UtcNow.AddSeconds(3));

        await timers.ScheduleAsync(timer, CancellationToken.None);
        await Eventually.UntilAsync(() => TimerQueuePump.PumpOnceAsync(queue, dispatcher), n => n > 0, HangGuard, "the timer");

        var handled = Assert.Single(provider.GetRequiredService<List<(DurableTimer Timer, DateTimeOffset HandledAt)>>());
        Assert.Equal(timer, handled.Timer);
        Assert.True(handled.HandledAt >= timer.DueAt);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public void The_longest_hop_is_read_from_configuration_and_clamped_to_seven_days()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Timers:MaxHopSeconds"] = "9999999",
        }).Build();
        using var provider = new ServiceCollection()
            .AddAzureStorage("UseDevelopmentStorage=true")
            .AddDurableTimers(configuration)
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TimerOptions>>().Value;

        Assert.Equal(TimeSpan.FromDays(7), options.MaxHop);
        Assert.Equal("durable-timers", options.QueueName);
        Assert.IsType<QueueDurableTimers>(provider.GetRequiredService<IDurableTimers>());
    }

    private sealed class ConsentExpiryProbe(List<(DurableTimer Timer, DateTimeOffset HandledAt)> handled) : IDurableTimerHandler
    {
        public const string KindName = "consent-expiry";

        public string Kind => KindName;

        public Task HandleAsync(DurableTimer timer, CancellationToken ct)
        {
            lock (handled)
                handled.Add((timer, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        }
    }
}
