using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>How the ring treats an agent at one moment.</summary>
public enum RingTreatment
{
    /// <summary>Offline, away, restricted or without the capability: the step is skipped and nothing is shown.</summary>
    Skip,

    /// <summary>On another call: skipped for ringing, but the call is shown so they know it exists (respond.io seed).</summary>
    NotifyOnly,

    Ring,
}

/// <summary>
/// The agent decisions of issue 8's Rules: who may be rung, who may accept now, who may receive a transfer, who may
/// dial out. Each returns the first reason that stops the agent, so the console can say why.
/// </summary>
public static class AgentPolicy
{
    public static RingTreatment RingTreatmentOf(Agent? agent)
    {
        if (agent is null || IncomingRefusal(agent) is not null)
        {
            return RingTreatment.Skip;
        }

        return agent.IsOnCall ? RingTreatment.NotifyOnly : RingTreatment.Ring;
    }

    /// <summary>
    /// Null when the agent may accept a call offered to them now. A busy agent is refused until their call ends
    /// (respond.io seed: notified of new calls while on a call, cannot accept them).
    /// </summary>
    public static CallRefusal? AcceptRefusal(Agent? agent, CallId call)
    {
        if (agent is null)
        {
            return CallRefusal.AgentUnknown;
        }

        if (IncomingRefusal(agent) is { } refusal)
        {
            return refusal;
        }

        return agent.ActiveCall is { } active && active != call ? CallRefusal.AgentOnAnotherCall : null;
    }

    /// <summary>
    /// Null when <paramref name="target"/> may be offered a transfer from <paramref name="initiator"/>: available, not
    /// restricted, not on a call, not the initiator (issue 8, Rules; respond.io seed, call transfers).
    /// </summary>
    public static CallRefusal? TransferTargetRefusal(AgentId initiator, Agent? target)
    {
        if (target is null)
        {
            return CallRefusal.AgentUnknown;
        }

        if (target.Id == initiator)
        {
            return CallRefusal.TransferToSelf;
        }

        if (IncomingRefusal(target) is { } refusal)
        {
            return refusal;
        }

        return target.IsOnCall ? CallRefusal.AgentOnAnotherCall : null;
    }

    /// <summary>The transfer list: only agents who could take the call right now, in a stable order.</summary>
    public static ImmutableArray<Agent> TransferTargets(AgentRoster roster, AgentId initiator)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return [.. roster.Agents.Values
            .Where(a => TransferTargetRefusal(initiator, a) is null)
            .OrderBy(a => a.Id.Value, StringComparer.Ordinal)];
    }

    /// <summary>Null when the agent may place a business-initiated call now (the customer's eligibility is separate).</summary>
    public static CallRefusal? OutboundRefusal(Agent? agent)
    {
        if (agent is null)
        {
            return CallRefusal.AgentUnknown;
        }

        if (agent.Capabilities.Restricted)
        {
            return CallRefusal.AgentRestricted;
        }

        if (!agent.Capabilities.MayMakeCalls)
        {
            return CallRefusal.AgentMayNotMakeCalls;
        }

        if (agent.Presence == AgentPresence.Offline)
        {
            return CallRefusal.AgentOffline;
        }

        return agent.IsOnCall ? CallRefusal.AgentOnAnotherCall : null;
    }

    // Shared by ringing, accepting and transfers: presence and capability, not the current call.
    private static CallRefusal? IncomingRefusal(Agent agent)
    {
        if (agent.Capabilities.Restricted)
        {
            return CallRefusal.AgentRestricted;
        }

        if (!agent.Capabilities.MayReceiveCalls)
        {
            return CallRefusal.AgentMayNotReceiveCalls;
        }

        return agent.Presence switch
        {
            AgentPresence.Offline => CallRefusal.AgentOffline,
            AgentPresence.Away => CallRefusal.AgentAway,
            _ => null,
        };
    }
}
