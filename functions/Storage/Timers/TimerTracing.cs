using System.Diagnostics;

namespace WhatsAppCalling.Storage.Timers;

/// <summary>
/// A timer's firing continues the trace of the span that scheduled it (a ring escalation shows in the call's trace).
/// The hops in between are not spans: only the firing does work.
/// </summary>
public static class TimerTracing
{
    public const string SourceName = "WhatsAppCalling.Storage.Timers";

    public static ActivitySource Source { get; } = new(SourceName);

    internal static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    internal static Activity? StartFiring(DurableTimer timer)
    {
        var activity = timer.TraceParent is { Length: > 0 } parentId && ActivityContext.TryParse(parentId, null, out var parent)
            ? Source.StartActivity("timer.fire", ActivityKind.Consumer, parent)
            : Source.StartActivity("timer.fire", ActivityKind.Consumer);
        activity?.SetTag("timer.kind", timer.Kind);
        activity?.SetTag("timer.instance_id", timer.InstanceId);
        activity?.SetTag("timer.version", timer.Version);
        return activity;
    }
}
