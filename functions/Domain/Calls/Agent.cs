using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>What an agent chose to show (issue 8, Rules: available, away, offline). "On a call" is not a presence.</summary>
public enum AgentPresence
{
    Offline,
    Away,
    Available,
}

/// <summary>
/// What an agent may do. A restricted agent takes no calls and never appears in a transfer list (respond.io seed,
/// call transfers).
/// </summary>
public sealed record AgentCapabilities(bool MayReceiveCalls, bool MayMakeCalls, bool Restricted)
{
    public static AgentCapabilities Full { get; } = new(true, true, false);
}

/// <summary>
/// An agent as the lifecycle sees them at one moment. <see cref="ActiveCall"/> is the call the agent is assigned to;
/// "on a call" is derived from it so presence and the call can never disagree (issue 8, Rules).
/// </summary>
public sealed record Agent(AgentId Id, AgentPresence Presence, AgentCapabilities Capabilities, CallId? ActiveCall = null)
{
    public bool IsOnCall => ActiveCall is not null;

    public bool IsAvailable => Presence == AgentPresence.Available;
}

/// <summary>A snapshot of the agents the shell read before a transition; an agent missing from it counts as offline.</summary>
public sealed record AgentRoster(ImmutableDictionary<AgentId, Agent> Agents)
{
    public static AgentRoster Empty { get; } = new(ImmutableDictionary<AgentId, Agent>.Empty);

    public static AgentRoster Of(params Agent[] agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new(agents.ToImmutableDictionary(a => a.Id));
    }

    public Agent? Find(AgentId id) => Agents.GetValueOrDefault(id);

    public AgentRoster With(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(Agents.SetItem(agent.Id, agent));
    }
}
