using Microsoft.Extensions.Options;
using TestSupport;
using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.Storage.Tests.Timers;

public sealed class DurableTimerUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static QueueDurableTimers TimersWithHop(int maxHopSeconds, TimeProvider clock) =>
        new(new QueueServiceClient(StorageAccount.Parse("UseDevelopmentStorage=true")),
            Options.Create(new TimerOptions { MaxHopSeconds = maxHopSeconds }), clock);

    [Fact]
    public void The_hop_is_the_remaining_time_capped_at_the_longest_hop()
    {
        var timers = TimersWithHop(1, new ManualTimeProvider(Now));

        Assert.Equal(TimeSpan.FromSeconds(1), timers.NextHop(new DurableTimer("k", "i", 1, Now.AddDays(7))));
        Assert.Equal(TimeSpan.FromMilliseconds(400), timers.NextHop(new DurableTimer("k", "i", 1, Now.AddMilliseconds(400))));
        Assert.Equal(TimeSpan.Zero, timers.NextHop(new DurableTimer("k", "i", 1, Now.AddDays(-1))));
    }

    [Fact]
    public void The_default_hop_is_six_days_and_no_hop_exceeds_seven()
    {
        var clock = new ManualTimeProvider(Now);

        Assert.Equal(TimeSpan.FromDays(6), TimersWithHop(TimerOptions.DefaultMaxHopSeconds, clock).NextHop(new DurableTimer("k", "i", 1, Now.AddDays(30))));
        Assert.Equal(TimeSpan.FromDays(7), TimersWithHop(30 * 24 * 3600, clock).NextHop(new DurableTimer("k", "i", 1, Now.AddDays(30))));
        Assert.Equal(518400, new TimerOptions().MaxHopSeconds);
    }

    [Fact]
    public void A_timer_message_is_Base64_JSON_and_decodes_from_every_form_the_host_may_hand_over()
    {
        var timer = new DurableTimer("ring-escalation", "call-1", 4, Now, "{\"step\":2}");
        var encoded = DurableTimerMessage.Encode(timer);
        var json = QueueMessageEncoding.DecodeUtf8Base64(encoded);

        Assert.StartsWith("{\"kind\":\"ring-escalation\",\"instanceId\":\"call-1\",\"version\":4,", json, StringComparison.Ordinal);
        Assert.Equal(timer, DurableTimerMessage.Decode(encoded));
        Assert.Equal(timer, DurableTimerMessage.Decode(json));
        Assert.Equal(timer, DurableTimerMessage.Decode(System.Text.Json.JsonSerializer.Serialize(json)));
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("{\"kind\":\"\",\"instanceId\":\"i\",\"version\":1,\"dueAt\":\"2026-11-22T00:00:00Z\"}")]
    [InlineData("{\"kind\":\"k\",")]
    public void Malformed_messages_are_a_typed_error(string text) =>
        Assert.Throws<InvalidDurableTimerMessageException>(() => DurableTimerMessage.Decode(text));

    [Fact]
    public async Task An_early_timer_is_rescheduled_and_not_handled()
    {
        var handler = new RecordingHandler("k");
        var timers = new RecordingTimers();
        var dispatcher = new DurableTimerDispatcher([handler], timers, new ManualTimeProvider(Now));
        var timer = new DurableTimer("k", "i", 1, Now.AddSeconds(1));

        await dispatcher.DispatchAsync(DurableTimerMessage.Encode(timer), CancellationToken.None);

        Assert.Equal([timer], timers.Scheduled);
        Assert.Empty(handler.Handled);
    }

    [Fact]
    public async Task A_due_timer_goes_to_the_handler_for_its_kind_only()
    {
        var mine = new RecordingHandler("k");
        var other = new RecordingHandler("other");
        var timers = new RecordingTimers();
        var dispatcher = new DurableTimerDispatcher([mine, other], timers, new ManualTimeProvider(Now));
        var timer = new DurableTimer("k", "i", 1, Now);

        await dispatcher.DispatchAsync(DurableTimerMessage.Encode(timer), CancellationToken.None);

        Assert.Equal([timer], mine.Handled);
        Assert.Empty(other.Handled);
        Assert.Empty(timers.Scheduled);
    }

    [Fact]
    public async Task An_unknown_kind_throws_so_the_message_is_poisoned()
    {
        var dispatcher = new DurableTimerDispatcher([new RecordingHandler("k")], new RecordingTimers(), new ManualTimeProvider(Now));

        var error = await Assert.ThrowsAsync<UnknownDurableTimerKindException>(
            () => dispatcher.DispatchAsync(DurableTimerMessage.Encode(new DurableTimer("nobody", "i", 1, Now)), CancellationToken.None));
        Assert.Equal("nobody", error.Kind);
    }

    [Fact]
    public void Two_handlers_for_one_kind_are_refused() =>
        Assert.Throws<ArgumentException>(() => new DurableTimerDispatcher(
            [new RecordingHandler("k"), new RecordingHandler("k")], new RecordingTimers(), TimeProvider.System));
}
