using System.Net;
using System.Net.Http.Json;
using FakeMeta;
using FakeMeta.Simulation;
using FakeMeta.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Integration;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Calls;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.FunctionApp.Tests.Integration;

/// <summary>
/// Without a Service Bus configured, an inbound call driven by the fake Meta leaves its integration events on the
/// app's real Azurite queue — started, answered, ended, each once, even after Meta redelivers its webhooks.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IntegrationEventsQueueFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "integration-events-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task An_answered_inbound_call_leaves_started_answered_and_ended_on_the_queue_once_each_despite_redelivery()
    {
        Assert.IsType<QueueIntegrationEventPublisher>(_app.Services.GetRequiredService<IIntegrationEventPublisher>());
        using var agent = await _app.ClientForAsync("agent-1");
        using (var presence = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" }))
        {
            presence.EnsureSuccessStatusCode();
        }

        var customer = FakeUser.WithNumber("447700900555");
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, customer, SdpRules.MetaOffer());
        var callId = new CallId(call.CallId);
        var store = _app.Services.GetRequiredService<CallStore>();
        await Eventually.UntilAsync(() => store.GetAsync(callId, CancellationToken.None), s => s?.Phase == InboundCallPhase.Ringing, Wait, "the call to ring");

        using (var accept = await agent.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" }))
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        }

        var hangUp = await _meta.Users.HangUpAsync(call.CallId);
        await Eventually.UntilAsync(() => store.GetAsync(callId, CancellationToken.None), s => s?.Phase == InboundCallPhase.Ended, Wait, "the call to end");

        // Meta delivers at least once: the very same signed connect and terminate bodies arrive again.
        foreach (var webhook in hangUp.Prepend(call.Connect))
        {
            Assert.Equal(HttpStatusCode.OK, await RedeliverAsync(webhook));
        }

        var storage = _app.Services.GetRequiredService<AppStorage>();
        var work = await storage.QueueAsync(AppQueues.WebhookEvents, CancellationToken.None);
        await Eventually.UntilAsync(() => work.GetApproximateMessageCountAsync(), n => n == 0, Wait, "the redelivered webhooks to be processed");

        var queue = await storage.QueueAsync(AppQueues.IntegrationEvents, CancellationToken.None);
        var events = (await queue.PeekMessagesAsync(32))
            .Select(m => IntegrationEvent.FromJson(QueueMessageEncoding.DecodeUtf8Base64(m.MessageText)))
            .Where(e => e.Subject == call.CallId)
            .ToList();

        Assert.Equal([IntegrationEventTypes.Started, IntegrationEventTypes.Answered, IntegrationEventTypes.Ended], events.Select(e => e.Type).ToArray());
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e =>
        {
            Assert.Equal("inbound", e.Data.Direction);
            Assert.Equal(RunningFunctionApp.BusinessNumberId, e.Data.BusinessNumberId);
            // Meta sent the BSUID, which is the contact key (whatsapp-calling-api.md §7.2).
            Assert.Equal(customer.UserId, e.Data.Customer);
        });
        Assert.Equal("agent-1", events[1].Data.AgentId);
        Assert.Equal("completed", events[2].Data.Outcome);
        Assert.NotNull(events[2].Data.DurationSeconds);
    }

    private static async Task<HttpStatusCode> RedeliverAsync(SentWebhook webhook)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Target) { Content = new StringContent(webhook.RawBody, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, webhook.Signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
