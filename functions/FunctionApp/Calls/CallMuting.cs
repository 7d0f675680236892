using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// A call as mute needs it, in either direction: the relay session its media runs in (null while none is linked),
/// whether the customer is on the line, who is on it, and where its media columns live.
/// </summary>
public sealed record MuteTarget(CallId CallId, CallId? Session, bool InProgress, AgentId? AgentOnCall, JournalCall Journal, CallMediaRow Media);

/// <summary>
/// The agent's mute (docs/API.md, "Calls"): the relay stops forwarding the agent's leg to the customer, which is
/// what the customer actually hears, and the call remembers the muted leg. Mute is not a lifecycle transition, so it
/// does not go through the machines; only the agent on the call may do it. A transfer brings a new, unmuted leg.
/// </summary>
public sealed class CallMuting(IMediaRelay relay, CallJournal journal, TimeProvider time, ILogger<CallMuting> logger)
{
    public async Task<(CallMedia Media, CallRefusal? Refusal)> SetMutedAsync(MuteTarget call, AgentId agent, bool muted, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var media = await call.Media.GetAsync(call.CallId, ct);
        if (!call.InProgress || call.Session is not { } session)
        {
            return (media, CallRefusal.CallNotInProgress);
        }

        if (call.AgentOnCall != agent)
        {
            return (media, CallRefusal.NotTheAgentOnTheCall);
        }

        var leg = CommonCallEffects.LegIdOf(agent);
        if (media.IsMuted(leg) == muted)
        {
            return (media, null);
        }

        await relay.SetMutedAsync(session, leg, muted, ct);
        await call.Media.SaveMutedLegAsync(call.CallId, muted ? leg : null, ct);
        await journal.TimelineAsync(
            call.Journal, new CallTimelineEntry(call.CallId, time.GetUtcNow(), CallActor.Of(agent), CallTimelineKind.Muted, muted ? "muted" : "unmuted"), ct);
        logger.LogInformation("Call {CallId}: {AgentId} {Mute} leg {LegId} in relay session {SessionId}", call.CallId, agent, muted ? "muted" : "unmuted", leg, session);
        return (media with { MutedLeg = muted ? leg : null }, null);
    }
}
