using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>Ring escalation, ring budget and transfer revert timers of inbound calls; the kind travels in the payload.</summary>
public sealed class CallTimerHandler(InboundCalls calls, ILogger<CallTimerHandler> logger) : IDurableTimerHandler
{
    public string Kind => CallEffectRunner.TimerKind;

    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (!Enum.TryParse<CallTimerKind>(timer.Payload, out var kind))
        {
            logger.LogWarning("Call {CallId}: timer with unknown kind {Payload} dropped", timer.InstanceId, timer.Payload);
            return;
        }

        await calls.TimerFiredAsync(new CallTimer(new CallId(timer.InstanceId), kind, timer.DueAt, timer.Version), ct);
    }
}
