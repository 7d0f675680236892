using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Outbox;

/// <summary>
/// The sweep set before a batch of effects runs (<see cref="PendingEffects.RunAsync"/>): when it fires, whatever of
/// the call is still pending with its lease lapsed (the runner failed or died) runs again. Usually the batch is long
/// gone and this finds nothing. A failure throws, so the timer is delivered again.
/// </summary>
public sealed class PendingEffectsSweepHandler(InboundCalls inbound, OutboundCalls outbound, ILogger<PendingEffectsSweepHandler> logger) : IDurableTimerHandler
{
    public string Kind => PendingEffects.SweepTimerKind;

    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var callId = new CallId(timer.InstanceId);
        switch (timer.Payload)
        {
            case CallStore.Direction:
                await inbound.ResumeEffectsAsync(callId, ct);
                break;
            case OutboundCallStore.Direction:
                await outbound.ResumeEffectsAsync(callId, ct);
                break;
            default:
                logger.LogWarning("Call {CallId}: effects sweep for unknown direction {Direction} dropped", callId, timer.Payload);
                break;
        }
    }
}
