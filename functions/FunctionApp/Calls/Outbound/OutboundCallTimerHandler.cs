using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>Outbound calls' durable timers (the transfer revert); the timer kind travels in the payload.</summary>
public sealed class OutboundCallTimerHandler(OutboundCalls calls, ILogger<OutboundCallTimerHandler> logger) : IDurableTimerHandler
{
    public string Kind => OutboundEffectRunner.TimerKind;

    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (!Enum.TryParse<CallTimerKind>(timer.Payload, out var kind))
        {
            logger.LogWarning("Call {CallId}: outbound timer with unknown kind {Payload} dropped", timer.InstanceId, timer.Payload);
            return;
        }

        await calls.TimerFiredAsync(new CallTimer(new CallId(timer.InstanceId), kind, timer.DueAt, timer.Version), ct);
    }
}
