using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// What every answered call does when it ends, whichever direction and whoever hung up (issue 8, Rules: "on terminate
/// end everything, record duration, trigger billing, and ask the agent for a disposition").
/// </summary>
internal static class CallWrapUp
{
    public static TransferState? EndAnsweredCall(
        EffectList effects,
        TransferMachine transfers,
        CallId call,
        AgentId agent,
        TransferState? transfer,
        DateTimeOffset at,
        CallActor endedBy,
        TimeSpan duration)
    {
        var cancelled = transfers.Cancel(call, transfer, at);
        effects.AddRange(cancelled.Effects);
        // An agent's hang-up must reach Meta (§2.5); when Meta told us the call ended there is nothing to send.
        if (endedBy.Kind == CallActorKind.Agent)
        {
            effects.Add(new SendTerminate(call));
        }

        effects
            .Add(new EndRelaySession(call))
            .Add(new ReleaseAgent(call, agent))
            .Add(new NotifyCallEnded(call, agent))
            .Add(new RequestDisposition(call, agent))
            .Timeline(at, endedBy, CallTimelineKind.Ended, $"duration {(long)duration.TotalSeconds} s");
        return cancelled.Transfer;
    }

    /// <summary>Meta's duration when it sent one (it is what Meta bills, §1.8), else ours from the connect time.</summary>
    public static TimeSpan DurationOf(TimeSpan? metaDuration, DateTimeOffset? connectedAt, DateTimeOffset endedAt) =>
        metaDuration ?? (connectedAt is { } start && endedAt > start ? endedAt - start : TimeSpan.Zero);
}
