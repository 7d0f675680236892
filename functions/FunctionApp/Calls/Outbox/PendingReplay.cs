using System.Collections.Immutable;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Outbox;

/// <summary>
/// Which of a batch's effects still make sense when it runs again later, possibly after newer transitions of the
/// same call already ran theirs. What records or ends something (timeline, missed call, releases, relay end, Graph
/// terminate or reject, outcomes told to agents, timers, which fire as no-ops when stale) always runs. What only
/// means something on a live call (ringing banners, Meta's pre-accept and accept, agent legs, the dial's progress)
/// runs only while the call is not over, and marking an agent on the call only while it is still theirs, so an old
/// batch can never put an agent back on a call that ended.
/// </summary>
public static class PendingReplay
{
    /// <summary>The batch's effects still to run and worth running, with their indices in the batch.</summary>
    public static (ImmutableArray<CallEffect> Effects, ImmutableArray<int> Indices) Filter(PendingBatch batch, bool callIsLive, Func<AgentId, bool> agentIsOnCall)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(agentIsOnCall);
        var kept = batch.Remaining.Where(e => e.Effect switch
        {
            AssignAgent assign => callIsLive && agentIsOnCall(assign.Agent),
            OpenRelaySession or SendPreAccept or SendAccept or ApplyAnswerToRelay or AttachAgentToRelay or SwitchAgentLeg
                or NotifyIncomingCall or NotifyTransferOffered or NotifyPlacedCallProgress => callIsLive,
            _ => true,
        }).ToList();
        return ([.. kept.Select(e => e.Effect)], [.. kept.Select(e => e.Index)]);
    }
}
