using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Webhooks;

/// <summary>At-least-once, unordered delivery (whatsapp-calling-api.md §1.4) must not change what the timeline says.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookReplayTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Replaying_every_delivery_three_times_in_shuffled_order_yields_the_same_timeline_as_one_ordered_delivery()
    {
        const string phone = "447700900123";
        const string bsuid = "GB.5550001234";
        var call = "wacid.replay" + Guid.NewGuid().ToString("N");
        var deliveries = new[] { "UserConnect", "TerminateAnswered", "AutomaticCallbackPermission", "Text", "TemporaryApproval", "Declined" }
            .Select(b => WebhookTimelineTests.Build(b, phone, bsuid, call)).ToList();
        // Each delivery is its own event; keep message ids stable across the two runs.
        var settings = new Dictionary<string, string?> { ["BusinessNumbers:0:PhoneNumberId"] = P.BusinessPhoneNumberId };

        var ordered = await TimelineAfterAsync(deliveries, settings, phone);

        var random = new Random(20261122);
        var replayed = deliveries.Concat(deliveries).Concat(deliveries).OrderBy(_ => random.Next()).ToList();
        var shuffled = await TimelineAfterAsync(replayed, settings, phone);

        Assert.Equal(deliveries.Count, ordered.Count);
        Assert.Equal(ordered, shuffled);
    }

    private async Task<IReadOnlyList<WebhookClient.EntryBody>> TimelineAfterAsync(
        IReadOnlyList<string> deliveries, Dictionary<string, string?> settings, string phone)
    {
        // A fresh app instance (its own tables and queues) per run, so the two timelines are independent.
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, settings);
        foreach (var body in deliveries)
        {
            using var response = await WebhookClient.PostSignedAsync(app, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var distinct = deliveries.Distinct().Count();
        var timeline = await Eventually.UntilAsync(
            () => WebhookClient.TimelineAsync(app, phone, P.BusinessPhoneNumberId), t => t.Entries.Count >= distinct, HangGuard, "every event on the timeline");
        var queue = await app.Services.GetRequiredService<WhatsAppCalling.FunctionApp.Storage.AppStorage>()
            .QueueAsync(WhatsAppCalling.FunctionApp.Storage.AppQueues.WebhookEvents, CancellationToken.None);
        await Eventually.UntilAsync(() => queue.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the work queue to drain");
        return (await WebhookClient.TimelineAsync(app, phone, P.BusinessPhoneNumberId)).Entries;
    }
}
