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
