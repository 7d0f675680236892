using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>
/// The agent's mute (docs/API.md, "Calls"): the relay stops forwarding the agent's leg to the customer, which is
/// what the customer actually hears, and the call remembers the muted leg. Mute is not a lifecycle transition, so it
/// does not go through the machine; only the agent on the call may do it.
/// </summary>
public sealed class CallMuting(CallStore store, IMediaRelay relay, CallJournal journal, TimeProvider time, ILogger<CallMuting> logger)
{
    public async Task<(InboundCall Call, CallMedia Media, CallRefusal? Refusal)> SetMutedAsync(CallId callId, AgentId agent, bool muted, CancellationToken ct)
    {
        var call = await store.GetAsync(callId, ct) ?? throw new InvalidOperationException($"Call {callId} is not stored.");
        var media = await store.GetMediaAsync(callId, ct);
        if (!call.InProgress)
        {
            return (call, media, CallRefusal.CallNotInProgress);
        }

        if (call.Agent != agent)
        {
            return (call, media, CallRefusal.NotTheAgentOnTheCall);
        }

        var leg = CommonCallEffects.LegIdOf(agent);
        if (media.IsMuted(leg) == muted)
        {
            return (call, media, null);
        }

        await relay.SetMutedAsync(callId, leg, muted, ct);
        await store.SaveMutedLegAsync(callId, muted ? leg : null, ct);
        await journal.TimelineAsync(
            new JournalCall(callId, JournalCallDirection.Inbound, call.Business, call.Customer, call.Agent),
            new CallTimelineEntry(callId, time.GetUtcNow(), CallActor.Of(agent), CallTimelineKind.Muted, muted ? "muted" : "unmuted"), ct);
        logger.LogInformation("Call {CallId}: {AgentId} {Mute} leg {LegId} at the relay", callId, agent, muted ? "muted" : "unmuted", leg);
        return (call, media with { MutedLeg = muted ? leg : null }, null);
    }
}
