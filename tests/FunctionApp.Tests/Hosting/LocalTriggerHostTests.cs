using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

/// <summary>The queue-trigger path end to end: Azurite → local trigger host → POST /{FunctionName} → delete or poison.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalTriggerHostTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_queued_message_is_invoked_once_through_the_custom_handler_contract_and_deleted()
    {
        var queueName = AzuriteFixture.UniqueName("probe");
        var recorder = new InvocationRecorder();
        await using var app = await StartWithProbeAsync(queueName, recorder, maxDequeueCount: 5);
        var queue = new QueueServiceClient(azurite.Account).GetQueueClient(queueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync(QueueMessageEncoding.EncodeUtf8Base64("""{"hello":"wörld"}"""));

        await recorder.ReachedTarget.WaitAsync(HangGuard);
        // Peek skips invisible (in-flight) messages; the approximate count includes them, so it shows the delete.
        await Eventually.UntilAsync(() => queue.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the message to be deleted");
        var invocation = Assert.Single(recorder.Invocations);
        Assert.Equal("""{"hello":"wörld"}""", invocation.MessageText);
        Assert.Equal(1, invocation.DequeueCount);
        Assert.Equal("ProbeQueue", invocation.FunctionName);
        Assert.NotNull(invocation.MessageId);
        Assert.NotNull(invocation.InvocationId);
    }

    [Fact]
    public async Task A_failing_message_is_retried_and_moved_to_the_poison_queue_after_the_dequeue_limit()
    {
        var queueName = AzuriteFixture.UniqueName("failing");
        var recorder = new InvocationRecorder { FailUntilAttempt = int.MaxValue, TargetCount = 3 };
        await using var app = await StartWithProbeAsync(queueName, recorder, maxDequeueCount: 3);
        var service = new QueueServiceClient(azurite.Account);
        var queue = service.GetQueueClient(queueName);
        var poison = service.GetQueueClient(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();

        var original = QueueMessageEncoding.EncodeUtf8Base64("always fails");
        await queue.SendMessageAsync(original);

        var poisoned = await Eventually.UntilAsync(
            async () => { await poison.CreateIfNotExistsAsync(); return await poison.PeekMessagesAsync(5); },
            m => m.Count > 0, HangGuard, "the message to reach the poison queue");
        Assert.Equal(original, Assert.Single(poisoned).MessageText);
        Assert.Equal([1L, 2L, 3L], recorder.Invocations.Select(i => i.DequeueCount).Order());
        await Eventually.UntilAsync(() => queue.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the original to be deleted");
    }

    [Fact]
    public async Task A_message_that_fails_once_succeeds_on_retry_and_is_not_poisoned()
    {
        var queueName = AzuriteFixture.UniqueName("flaky");
        var recorder = new InvocationRecorder { FailUntilAttempt = 1, TargetCount = 2 };
        await using var app = await StartWithProbeAsync(queueName, recorder, maxDequeueCount: 5);
        var service = new QueueServiceClient(azurite.Account);
        var queue = service.GetQueueClient(queueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync(QueueMessageEncoding.EncodeUtf8Base64("second time lucky"));

        await recorder.ReachedTarget.WaitAsync(HangGuard);
        // Peek skips invisible (in-flight) messages; the approximate count includes them, so it shows the delete.
        await Eventually.UntilAsync(() => queue.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the message to be deleted");
        Assert.Equal([1L, 2L], recorder.Invocations.Select(i => i.DequeueCount));
        var poison = service.GetQueueClient(queueName + "-poison");
        await poison.CreateIfNotExistsAsync();
        Assert.Empty(await poison.PeekMessagesAsync(1));
    }

    [Fact]
    public async Task A_timer_function_fires_through_the_local_trigger_host()
    {
        var recorder = new TimerRecorder();
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.AddSingleton(recorder);
            builder.Services.AddTimerFunction<ProbeTimerFunction>("ProbeTimer", "*/1 * * * * *");
        });

        var invocation = await recorder.Fired.Task.WaitAsync(HangGuard);

        Assert.Equal("ProbeTimer", invocation.FunctionName);
        Assert.NotNull(invocation.ScheduledFor);
    }

    private Task<RunningFunctionApp> StartWithProbeAsync(string queueName, InvocationRecorder recorder, int maxDequeueCount) =>
        RunningFunctionApp.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.AddSingleton(recorder);
            builder.Services.AddQueueFunction<ProbeQueueFunction>("ProbeQueue", queueName);
            // Retry at once so the poison path takes a few polls, not host.json's 5-second retry delay.
            builder.Services.AddSingleton(HostJsonSettings.Defaults with { RetryVisibilityTimeout = TimeSpan.Zero, MaxDequeueCount = maxDequeueCount });
        });
}
