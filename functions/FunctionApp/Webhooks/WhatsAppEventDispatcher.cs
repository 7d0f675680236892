using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Telemetry;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// The single dispatch point: hands each typed event to every registered handler that has not completed it yet,
/// records each completion, and fails (so the queue message is retried) if any handler failed, after giving every
/// other handler its turn.
/// </summary>
public sealed partial class WhatsAppEventDispatcher(
    IEnumerable<IWhatsAppEventHandler> handlers,
    EventCompletions completions,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WhatsAppEventDispatcher> logger)
{
    public IReadOnlyList<IWhatsAppEventHandler> Handlers { get; } = handlers.ToList();

    public async Task DispatchAsync(IReadOnlyList<WhatsAppEvent> events, WebhookWorkItem item, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(item);
        var failures = new List<Exception>();
        var staleAfter = TimeSpan.FromSeconds(options.Value.StaleEventSeconds);
        foreach (var evt in events)
        {
            var key = IdempotencyKey.For(evt).Value;
            // Stale by the time we act on it, not only by the time it arrived: a late Graph call is as wrong.
            var context = new EventContext(
                key,
                evt.Header.BusinessNumberId,
                evt.Header.WabaId,
                item.ReceivedAt,
                StaleEventPolicy.IsStale(evt, time.GetUtcNow(), staleAfter),
                item.Delivery);
            using var scope = logger.BeginScope(new Dictionary<string, object?>
            {
                ["EventKey"] = key,
                ["CallId"] = (evt as CallEvent)?.CallId.Value,
                ["PhoneNumberId"] = evt.Header.BusinessNumberId?.Value,
            });
            if (evt.Header.UnknownFields.Count > 0)
            {
                LogUnknownFields(logger, evt.GetType().Name, string.Join(",", evt.Header.UnknownFields));
            }

            using var eventActivity = AppTracing.Source.StartActivity("whatsapp.event");
            eventActivity?.SetTag(AppTracing.EventTypeTag, evt.GetType().Name);
            eventActivity?.SetTag(AppTracing.CallIdTag, (evt as CallEvent)?.CallId.Value);
            eventActivity?.SetTag("whatsapp.stale", context.IsStale);
            var done = await completions.CompletedHandlersAsync(key, ct);
            foreach (var handler in Handlers.Where(h => !done.Contains(h.Name)))
            {
                using var handlerActivity = AppTracing.Source.StartActivity("whatsapp.handle");
                handlerActivity?.SetTag(AppTracing.HandlerTag, handler.Name);
                handlerActivity?.SetTag(AppTracing.CallIdTag, (evt as CallEvent)?.CallId.Value);
                try
                {
                    await handler.HandleAsync(evt, context, ct);
                    await completions.MarkCompletedAsync(key, handler.Name, item.Delivery, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogHandlerFailed(logger, handler.Name, key, ex);
                    handlerActivity.RecordFailure(ex);
                    eventActivity.RecordFailure(ex);
                    failures.Add(ex);
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} event handler(s) failed; the work item will be retried for them only.", failures);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Handler {Handler} failed for event {EventKey}")]
    private static partial void LogHandlerFailed(ILogger logger, string handler, string eventKey, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "{EventType} carried fields we do not model: {Fields}")]
    private static partial void LogUnknownFields(ILogger logger, string eventType, string fields);
}
