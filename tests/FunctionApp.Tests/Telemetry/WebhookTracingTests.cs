using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using TestSupport;
using WhatsAppCalling.FunctionApp.Telemetry;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Webhooks;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Telemetry;

/// <summary>
/// A person on call follows one call end to end: the webhook's receive span, its processing after the queue and
/// every handler's span share one trace and carry the call id; with an OTLP endpoint configured the spans are
/// exported there.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookTracingTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Processing_after_the_queue_continues_the_receive_spans_trace_and_carries_the_call_id()
    {
        var callId = "wacid." + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AppTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

        using var response = await WebhookClient.PostSignedAsync(app, Missed(callId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Every handler of the event has run once its span stopped; the processing span stops after them.
        var handlers = await Eventually.UntilAsync(
            () => Task.FromResult(stopped.Where(a => a.OperationName == "whatsapp.handle" && CallIdOf(a) == callId).ToList()),
            spans => spans.Count > 0 && stopped.Any(a => a.OperationName == "webhook.process" && a.TraceId == spans[0].TraceId),
            HangGuard, "the call's handler and processing spans");

        var trace = handlers[0].TraceId;
        var receive = Assert.Single(stopped, a => a.OperationName == "webhook.receive" && a.TraceId == trace);
        var process = Assert.Single(stopped, a => a.OperationName == "webhook.process" && a.TraceId == trace);
        var evt = Assert.Single(stopped, a => a.OperationName == "whatsapp.event" && a.TraceId == trace);
        Assert.Equal(receive.SpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(process.SpanId, evt.ParentSpanId);
        Assert.Equal(callId, CallIdOf(evt));
        Assert.Equal("CallTerminated", evt.GetTagItem(AppTracing.EventTypeTag));
        Assert.All(handlers, h => Assert.Equal(evt.SpanId, h.ParentSpanId));
        Assert.Contains(handlers, h => (string?)h.GetTagItem(AppTracing.HandlerTag) == "calls");
        Assert.Equal(receive.GetTagItem(AppTracing.DeliveryTag), process.GetTagItem(AppTracing.DeliveryTag));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_calls_spans_are_exported_to_it()
    {
        var callId = "wacid." + Guid.NewGuid().ToString("N");
        var exports = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = await StartCollectorAsync(exports);
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            [TracingFeature.EndpointVariable] = collector.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        using var response = await WebhookClient.PostSignedAsync(app, Missed(callId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Spans are batched; the export carrying this call's id is awaited, whenever the batch goes out.
        var idBytes = Encoding.UTF8.GetBytes(callId);
        var export = await Eventually.UntilAsync(
            () => Task.FromResult(exports.FirstOrDefault(e => Contains(e.Body, idBytes))),
            e => e.Body is not null, HangGuard, "an OTLP export with the call id");
        Assert.Equal("/v1/traces", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(Contains(export.Body, Encoding.UTF8.GetBytes(TracingFeature.ServiceName)), "the resource names the service");
        Assert.True(Contains(export.Body, "whatsapp.handle"u8.ToArray()), "the handler spans are exported");
    }

    private static string? CallIdOf(Activity activity) => activity.GetTagItem(AppTracing.CallIdTag) as string;

    private static string Missed(string callId)
    {
        var n = Random.Shared.NextInt64(100_000_000, 999_999_999);
        var contact = P.Contact($"447{n}", $"GB.{n}");
        return P.SingleChange("calls", P.CallsValue(contact, [P.TerminateItem(callId, status: "FAILED", userPhone: $"447{n}", userBsuid: $"GB.{n}")]));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>A stand-in OTLP/HTTP collector: records what the exporter posts and answers 200 like a collector.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, string?, byte[])> exports)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            exports.Enqueue((http.Request.Path, http.Request.ContentType, body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        return collector;
    }
}
