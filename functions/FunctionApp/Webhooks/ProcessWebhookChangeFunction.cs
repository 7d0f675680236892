using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Telemetry;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// The event processor: a queue function that reads one stored change, parses it into typed events and dispatches
/// them. A malformed work item or a missing delivery fails the invocation, so it is retried and finally poisoned.
/// </summary>
public sealed partial class ProcessWebhookChangeFunction(
    WebhookDeliveryStore deliveries,
    WhatsAppEventDispatcher dispatcher,
    ILogger<ProcessWebhookChangeFunction> logger) : IQueueFunction
{
    public const string Name = "ProcessWebhookChange";

    public async Task RunAsync(QueueInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var item = WebhookWorkItem.TryParse(invocation.MessageText)
            ?? throw new InvalidDataException("The work item is not a webhook change reference.");
        using var activity = AppTracing.StartConsumer("webhook.process", item.TraceParent);
        activity?.SetTag(AppTracing.DeliveryTag, item.Delivery);
        activity?.SetTag(AppTracing.FieldTag, item.Field);
        activity?.SetTag(AppTracing.AttemptTag, invocation.DequeueCount);
        var body = await deliveries.ReadAsync(item.Delivery, cancellationToken);
        if (!WebhookEnvelope.TryParse(body.ToMemory().Span, out var envelope, out var error))
        {
            throw new InvalidDataException($"Stored delivery {item.Delivery} no longer parses: {error}");
        }

        if (!envelope!.TryGetChange(item.EntryIndex, item.ChangeIndex, out var change))
        {
            throw new InvalidDataException($"Delivery {item.Delivery} has no change [{item.EntryIndex}][{item.ChangeIndex}].");
        }

        var events = WhatsAppEventParser.Parse(change!);
        LogProcessing(logger, item.Delivery, item.EntryIndex, item.ChangeIndex, change!.Field, events.Count, invocation.DequeueCount);
        await dispatcher.DispatchAsync(events, item, cancellationToken);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information,
        Message = "Processing {Delivery} [{Entry}][{Change}] field {Field}: {Events} events (attempt {Attempt})")]
    private static partial void LogProcessing(ILogger logger, string delivery, int entry, int change, string field, int events, long attempt);
}
