using TestSupport;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.Storage.Tests.Queues;

public sealed class QueueClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = new QueueServiceClient(azurite.Account).GetQueueClient(AzuriteFixture.UniqueName("q-"));
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent()
    {
        var queue = await NewQueueAsync();
        await queue.CreateIfNotExistsAsync();
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task A_sent_message_is_received_with_its_text_and_a_pop_receipt_then_deleted()
    {
        var queue = await NewQueueAsync();
        var text = QueueMessageEncoding.EncodeUtf8Base64("{\"hello\":\"wörld <&>\"}");

        var sent = await queue.SendMessageAsync(text);
        var received = Assert.Single(await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30)));

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(1, received.DequeueCount);
        Assert.Equal("{\"hello\":\"wörld <&>\"}", QueueMessageEncoding.DecodeUtf8Base64(received.MessageText));
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        Assert.Empty(await queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task Deleting_an_already_deleted_message_is_a_typed_not_found()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("x");
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        var error = await Assert.ThrowsAsync<StorageNotFoundException>(
            () => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        Assert.Equal(404, error.Status);
        Assert.Equal(StorageErrorCodes.MessageNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task Peek_leaves_messages_in_place_and_the_count_reflects_them()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("a");
        await queue.SendMessageAsync("b");

        var peeked = await queue.PeekMessagesAsync(32);

        Assert.Equal(["a", "b"], peeked.Select(p => p.MessageText).Order());
        Assert.All(peeked, p => Assert.Equal(0, p.DequeueCount));
        Assert.Equal(2, await queue.GetApproximateMessageCountAsync());
        Assert.Equal(2, (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Count);
    }

    [Fact]
    public async Task A_message_sent_with_a_visibility_delay_stays_hidden_until_the_delay_passes()
    {
        var queue = await NewQueueAsync();
        var sent = await queue.SendMessageAsync("later", visibilityDelay: TimeSpan.FromSeconds(1));

        Assert.Empty(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.True(sent.NextVisibleTime > sent.InsertionTime);
        var received = await Eventually.UntilAsync(
            () => queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)), m => m.Count == 1, TimeSpan.FromSeconds(10), "the delayed message");
        Assert.Equal("later", received[0].MessageText);
    }

    [Fact]
    public async Task A_received_message_reappears_after_its_visibility_timeout_with_a_higher_dequeue_count()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("retry me");
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));

        Assert.Empty(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
        var again = await Eventually.UntilAsync(
            () => queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)), m => m.Count == 1, TimeSpan.FromSeconds(10), "the message to reappear");
        Assert.Equal(first.MessageId, again[0].MessageId);
        Assert.Equal(2, again[0].DequeueCount);
    }

    [Fact]
    public async Task Update_extends_visibility_and_replaces_the_text()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("v1");
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));

        var receipt = await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromSeconds(60), "v2");

        Assert.True(receipt.NextVisibleTime > DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Empty(await queue.PeekMessagesAsync(1));
        var visibleAgain = await queue.UpdateMessageAsync(received.MessageId, receipt.PopReceipt, TimeSpan.Zero);
        var next = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("v2", next.MessageText);
        Assert.NotEqual(receipt.PopReceipt, visibleAgain.PopReceipt);
    }

    [Fact]
    public async Task Seven_days_is_the_longest_visibility_delay()
    {
        var queue = await NewQueueAsync();
        var sent = await queue.SendMessageAsync("week", TimeSpan.FromDays(7));

        Assert.True(sent.NextVisibleTime > DateTimeOffset.UtcNow.AddDays(6.9));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("too far", TimeSpan.FromDays(7).Add(TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task A_message_may_never_expire()
    {
        var queue = await NewQueueAsync();
        var never = await queue.SendMessageAsync("forever", timeToLive: TimeSpan.MaxValue);
        var negative = await queue.SendMessageAsync("forever too", timeToLive: TimeSpan.FromSeconds(-1));
        var shortLived = await queue.SendMessageAsync("hour", timeToLive: TimeSpan.FromHours(1));

        Assert.Equal(9999, never.ExpirationTime.Year);
        Assert.Equal(9999, negative.ExpirationTime.Year);
        Assert.True(shortLived.ExpirationTime < DateTimeOffset.UtcNow.AddHours(1.1));
    }

    [Fact]
    public async Task Message_text_is_limited_to_64_KiB()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync(new string('a', 65536));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('a', 65537)));
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_removes_every_message()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("a");
        await queue.SendMessageAsync("b", TimeSpan.FromMinutes(5));

        await queue.ClearMessagesAsync();

        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Receiving_from_a_missing_queue_is_a_typed_not_found()
    {
        var queue = new QueueServiceClient(azurite.Account).GetQueueClient(AzuriteFixture.UniqueName("missing-"));

        var error = await Assert.ThrowsAsync<StorageNotFoundException>(() => queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(5)));
        Assert.Equal(StorageErrorCodes.QueueNotFound, error.ErrorCode);
    }

    [Fact]
    public void Invalid_queue_names_are_refused_before_any_request()
    {
        var service = new QueueServiceClient(azurite.Account);
        Assert.Throws<ArgumentException>(() => service.GetQueueClient("Upper"));
        Assert.Throws<ArgumentException>(() => service.GetQueueClient("a--b"));
        Assert.Throws<ArgumentException>(() => service.GetQueueClient("ab"));
    }
}
