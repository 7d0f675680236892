using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WhatsAppCalling.WhatsApp.Tests.Support;

/// <summary>A loopback endpoint standing in for our webhook function: keeps each POST's raw bytes and signature.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received;

    private WebhookReceiver(WebApplication app, ConcurrentQueue<ReceivedWebhook> received)
    {
        this.app = app;
        this.received = received;
        Url = new Uri(app.Urls.First().TrimEnd('/') + "/webhooks/whatsapp");
    }

    public Uri Url { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedWebhook>();
        app.MapPost("/webhooks/whatsapp", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            received.Enqueue(new ReceivedWebhook(buffer.ToArray(), request.Headers["X-Hub-Signature-256"].ToString()));
            return Results.Ok();
        });
        await app.StartAsync();
        return new WebhookReceiver(app, received);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(byte[] Body, string Signature)
{
    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

    public System.Text.Json.Nodes.JsonNode Value => Json["entry"]![0]!["changes"]![0]!["value"]!;

    public string Field => (string)Json["entry"]![0]!["changes"]![0]!["field"]!;
}
