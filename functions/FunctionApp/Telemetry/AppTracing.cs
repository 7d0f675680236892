using System.Diagnostics;

namespace WhatsAppCalling.FunctionApp.Telemetry;

/// <summary>
/// The function app's spans. One webhook's trace runs from the HTTP receive through the queue to every handler that
/// processes its events, because the work item carries the W3C <c>traceparent</c> of the receive span; a person on
/// call finds a call's trace by its <see cref="CallIdTag"/>.
/// </summary>
public static class AppTracing
{
    public const string SourceName = "WhatsAppCalling.FunctionApp";

    /// <summary>The call id on every span about a call, the same value logs carry as <c>CallId</c>.</summary>
    public const string CallIdTag = "whatsapp.call_id";

    public const string DeliveryTag = "whatsapp.delivery";

    public const string FieldTag = "whatsapp.field";

    public const string EventTypeTag = "whatsapp.event_type";

    public const string HandlerTag = "whatsapp.handler";

    public const string AttemptTag = "messaging.delivery_count";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>The current span as a W3C <c>traceparent</c>, to put in a queued message; null when nothing is traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A consumer span continuing the trace a queued message carries (a new trace when it carries none or a bad one).</summary>
    public static Activity? StartConsumer(string name, string? traceParent) =>
        traceParent is { Length: > 0 } && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Consumer, parent)
            : Source.StartActivity(name, ActivityKind.Consumer);

    /// <summary>Marks a span failed with the exception's type (never its message: it may carry customer data).</summary>
    public static void RecordFailure(this Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
    }
}
