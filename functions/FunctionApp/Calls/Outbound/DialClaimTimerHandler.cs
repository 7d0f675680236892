using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// The safety net of a dial's claim on its agent (<see cref="OutboundCalls.PlaceAsync"/>): if the placing request
/// died between claiming the agent and handing them to the call, this frees them, so an agent is never left "on a
/// call" that does not exist. The timer's instance is the dial's relay session, its payload the agent; releasing a
/// claim that already gave way to the call changes nothing.
/// </summary>
public sealed class DialClaimTimerHandler(AgentDirectory agents, InboundCalls inbound, ILogger<DialClaimTimerHandler> logger) : IDurableTimerHandler
{
    public const string TimerKind = "outbound-dial-claim";

    /// <summary>Far longer than a dial's relay and Graph requests take, short enough that a stuck agent is soon free.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(2);

    public string Kind => TimerKind;

    public static DurableTimer For(CallId dial, AgentId agent, DateTimeOffset now) =>
        new(TimerKind, dial.Value, 0, now + ClaimLifetime, agent.Value);

    public async Task HandleAsync(DurableTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.Payload is not { Length: > 0 } agentId)
        {
            logger.LogWarning("Dial {SessionId}: claim timer without an agent dropped", timer.InstanceId);
            return;
        }

        var dial = new CallId(timer.InstanceId);
        var agent = await agents.FindAsync(new AgentId(agentId), ct);
        if (agent?.Agent.ActiveCall != dial)
        {
            return;
        }

        await agents.SetActiveCallAsync(new AgentId(agentId), null, dial, ct);
        logger.LogWarning("Dial {SessionId}: {AgentId} was still held by a dial that never became a call; released", dial, agentId);
        await inbound.RosterChangedAsync(ct);
    }
}
