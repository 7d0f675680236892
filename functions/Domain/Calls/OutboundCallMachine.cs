using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The transitions of <see cref="OutboundCall"/> (issue 8, Rules: outbound call). Meta's webhooks for one call —
/// <c>connect</c> with the answer, RINGING, ACCEPTED or REJECTED, <c>terminate</c> — may come twice, in any order,
/// and even before Graph's reply to our <c>connect</c> (§1.4); the final phase depends only on which of them came.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "One machine instance per rule set; every input is a method on it.")]
public sealed class OutboundCallMachine(CallingRules rules)
{
    private readonly TransferMachine _transfers = new(rules);

    public CallingRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <summary>
    /// May this agent dial now? The agent's capability is ours to check; consent and billing give their verdict,
    /// whose reasons are passed through so the agent sees why (issue 8, Rules).
    /// </summary>
    public static OutboundDecision Check(Agent? agent, OutboundVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (AgentPolicy.OutboundRefusal(agent) is { } refusal)
        {
            return new(refusal, [CallRefusals.Describe(refusal)]);
        }

        return verdict.Allowed ? new(null, []) : new(CallRefusal.NotEligibleToCall, verdict.Reasons);
    }

    /// <summary>Graph returned the call id for our <c>connect</c>: the call is the agent's from now on.</summary>
    public CallTransition<OutboundCall> Placed(OutboundCall state, OutboundPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(placement);
        if (state.Agent is not null)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId).Timeline(placement.At, CallActor.Of(placement.Agent), CallTimelineKind.Placed, placement.Customer.Value);
        var placed = state with
        {
            Version = state.Version + 1,
            Phase = state.Phase == OutboundCallPhase.New ? OutboundCallPhase.Connecting : state.Phase,
            Agent = placement.Agent,
            Business = placement.Business,
            Customer = placement.Customer,
            PlacedAt = placement.At,
        };

        if (state.IsClosed)
        {
            // Every webhook beat Graph's reply: the call is already over, but the agent still owes its outcome.
            effects.Add(new NotifyCallEnded(state.CallId, placement.Agent)).Add(new RequestDisposition(state.CallId, placement.Agent));
            return new(placed with { Disposition = DispositionStatus.RequiredFrom(placement.Agent) }, effects.ToImmutable());
        }

        // A RINGING that beat Graph's reply is news to the agent only now that the call is theirs.
        effects.Add(new AssignAgent(state.CallId, placement.Agent)).Add(new NotifyPlacedCallProgress(state.CallId, placement.Agent, placed.Phase));
        return new(placed, effects.ToImmutable());
    }

    /// <summary><c>connect</c> with Meta's SDP answer (§1.6): the relay applies it. No <c>accept</c> is sent for BIC.</summary>
    public CallTransition<OutboundCall> AnswerReceived(OutboundCall state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.AnswerApplied || state.IsClosed)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId).Add(new ApplyAnswerToRelay(state.CallId)).Timeline(at, CallActor.Meta, CallTimelineKind.AnswerApplied);
        return new(state with { Version = state.Version + 1, AnswerApplied = true }, effects.ToImmutable());
    }

    /// <summary>Status RINGING (§1.7).</summary>
    public CallTransition<OutboundCall> CustomerRinging(OutboundCall state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Phase is not (OutboundCallPhase.New or OutboundCallPhase.Connecting))
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId).Timeline(at, CallActor.Customer, CallTimelineKind.CustomerRinging);
        Progress(effects, state, OutboundCallPhase.Ringing);
        return new(state with { Version = state.Version + 1, Phase = OutboundCallPhase.Ringing, RingingAt = at }, effects.ToImmutable());
    }

    /// <summary>Status ACCEPTED, or the relay saw media first (ACCEPTED mostly trails the media, §1.7).</summary>
    public CallTransition<OutboundCall> CustomerAnswered(OutboundCall state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsDialling)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId).Timeline(at, CallActor.Customer, CallTimelineKind.Connected);
        Progress(effects, state, OutboundCallPhase.Connected);
        return new(state with { Version = state.Version + 1, Phase = OutboundCallPhase.Connected, ConnectedAt = at }, effects.ToImmutable());
    }

    /// <summary>
    /// Status REJECTED (§1.7). Its <c>terminate</c> follows, but may also come first: a call already closed as
    /// unanswered is relabelled rejected, so both orders agree.
    /// </summary>
    public CallTransition<OutboundCall> CustomerRejected(OutboundCall state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.RejectedSeen || state.Phase is OutboundCallPhase.Connected or OutboundCallPhase.Ended)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId);
        var seen = state with { Version = state.Version + 1, RejectedSeen = true };
        if (state.Phase == OutboundCallPhase.Unanswered)
        {
            effects.Timeline(at, CallActor.Customer, CallTimelineKind.CustomerRejected);
            return new(seen with { Phase = OutboundCallPhase.Rejected }, effects.ToImmutable());
        }

        return new(CloseUnanswered(seen, effects, OutboundCallPhase.Rejected, CallActor.Customer, at, sendTerminate: false), effects.ToImmutable());
    }

    /// <summary><c>terminate</c> (§1.8): ends an answered call with Meta's duration and bills it; otherwise unanswered.</summary>
    public CallTransition<OutboundCall> Terminate(OutboundCall state, CallTermination termination)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(termination);
        var at = termination.At;
        var effects = new EffectList(state.CallId);
        var terminated = state with { Version = state.Version + 1, MetaTerminated = true };
        switch (state.Phase)
        {
            case OutboundCallPhase.Connected:
            case var _ when state.IsDialling && termination.PickedUp:
                var duration = CallWrapUp.DurationOf(termination.Duration, state.ConnectedAt, at);
                effects.Add(new ChargeCall(state.CallId, BusinessInitiated: true, duration));
                return new(EndAnswered(terminated with { ConnectedAt = state.ConnectedAt ?? at - duration }, effects, CallActor.Meta, at, duration), effects.ToImmutable());

            case var _ when state.IsDialling:
                var phase = state.RejectedSeen ? OutboundCallPhase.Rejected : OutboundCallPhase.Unanswered;
                return new(CloseUnanswered(terminated, effects, phase, CallActor.Meta, at, sendTerminate: false), effects.ToImmutable());

            case OutboundCallPhase.Ended when !state.MetaTerminated:
                var billed = termination.Duration ?? state.Duration ?? TimeSpan.Zero;
                effects.Add(new ChargeCall(state.CallId, BusinessInitiated: true, billed))
                    .Timeline(at, CallActor.Meta, CallTimelineKind.TerminateConfirmed, $"duration {(long)billed.TotalSeconds} s");
                return new(terminated with { Duration = billed }, effects.ToImmutable());

            case OutboundCallPhase.Rejected or OutboundCallPhase.Unanswered when !state.MetaTerminated:
                effects.Timeline(at, CallActor.Meta, CallTimelineKind.TerminateConfirmed);
                return new(terminated, effects.ToImmutable());

            default:
                return CallTransition.Unchanged(state);
        }
    }

    /// <summary>The agent hangs up; before pickup this cancels the call, which still counts as unanswered for consent.</summary>
    public CallTransition<OutboundCall> End(OutboundCall state, AgentId agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.IsClosed || state.Agent is null)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
        }

        if (state.Agent != agent)
        {
            return CallTransition.Refuse(state, CallRefusal.NotTheAgentOnTheCall);
        }

        var effects = new EffectList(state.CallId);
        var next = state with { Version = state.Version + 1 };
        if (state.Phase == OutboundCallPhase.Connected)
        {
            return new(EndAnswered(next, effects, CallActor.Of(agent), now, CallWrapUp.DurationOf(null, state.ConnectedAt, now)), effects.ToImmutable());
        }

        return new(CloseUnanswered(next, effects, OutboundCallPhase.Unanswered, CallActor.Of(agent), now, sendTerminate: true), effects.ToImmutable());
    }

    /// <summary>The disposition owed after the call, answered or not ("No Answer" fits the latter; crm seed).</summary>
    public CallTransition<OutboundCall> RecordDisposition(OutboundCall state, AgentId agent, DispositionCode code, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsClosed)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotEnded);
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var status = state.DispositionStatus;
        if (status.Refusal(agent, code, note, Rules.Dispositions) is { } refusal)
        {
            return CallTransition.Refuse(state, refusal);
        }

        var effects = new EffectList(state.CallId).Timeline(now, CallActor.Of(agent), CallTimelineKind.DispositionRecorded, note is null ? code.Value : $"{code}: {note}");
        return new(
            state with { Version = state.Version + 1, Disposition = status with { Stage = DispositionStage.Recorded, Recorded = new Disposition(code, note, agent, now) } },
            effects.ToImmutable());
    }

    public CallTransition<OutboundCall> StartTransfer(OutboundCall state, AgentId initiator, Agent? target, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Phase != OutboundCallPhase.Connected)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
        }

        return state.Agent != initiator
            ? CallTransition.Refuse(state, CallRefusal.NotTheAgentOnTheCall)
            : ApplyTransfer(state, _transfers.Start(state.CallId, state.Transfer, initiator, target, note, now, state.Version + 1));
    }

    public CallTransition<OutboundCall> AcceptTransfer(OutboundCall state, Agent agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase == OutboundCallPhase.Connected
            ? ApplyTransfer(state, _transfers.Accept(state.CallId, state.Transfer, agent, now))
            : CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
    }

    public CallTransition<OutboundCall> DeclineTransfer(OutboundCall state, AgentId agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase == OutboundCallPhase.Connected
            ? ApplyTransfer(state, _transfers.Decline(state.CallId, state.Transfer, agent, now))
            : CallTransition.Refuse(state, CallRefusal.NoTransferPending);
    }

    /// <summary>Outbound calls have one timer, the transfer revert; anything else or anything stale is a no-op.</summary>
    public CallTransition<OutboundCall> TimerFired(OutboundCall state, CallTimer timer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timer);
        return timer.CallId == state.CallId && timer.Kind == CallTimerKind.TransferRevert && state.Phase == OutboundCallPhase.Connected
            ? ApplyTransfer(state, _transfers.RevertDue(state.CallId, state.Transfer, timer, now))
            : CallTransition.Unchanged(state);
    }

    // Before Graph's reply the call has no agent yet; Placed tells them the phase it found.
    private static void Progress(EffectList effects, OutboundCall state, OutboundCallPhase phase)
    {
        if (state.Agent is { } agent)
        {
            effects.Add(new NotifyPlacedCallProgress(state.CallId, agent, phase));
        }
    }

    private OutboundCall EndAnswered(OutboundCall state, EffectList effects, CallActor who, DateTimeOffset at, TimeSpan duration)
    {
        var transfer = state.Transfer;
        var disposition = DispositionStatus.NotRequired;
        if (state.Agent is { } agent)
        {
            transfer = CallWrapUp.EndAnsweredCall(effects, _transfers, state.CallId, agent, state.Transfer, at, who, duration);
            disposition = DispositionStatus.RequiredFrom(agent);
        }
        else
        {
            effects.Add(new EndRelaySession(state.CallId)).Timeline(at, who, CallTimelineKind.Ended);
        }

        return state with { Phase = OutboundCallPhase.Ended, EndedAt = at, Duration = duration, EndedBy = who, Transfer = transfer, Disposition = disposition };
    }

    // Not picked up: the relay session goes, the agent is freed and still owes an outcome (typically "No Answer").
    private static OutboundCall CloseUnanswered(OutboundCall state, EffectList effects, OutboundCallPhase phase, CallActor who, DateTimeOffset at, bool sendTerminate)
    {
        if (sendTerminate)
        {
            effects.Add(new SendTerminate(state.CallId));
        }

        effects.Add(new EndRelaySession(state.CallId));
        if (state.Agent is { } agent)
        {
            effects.Add(new ReleaseAgent(state.CallId, agent)).Add(new NotifyCallEnded(state.CallId, agent)).Add(new RequestDisposition(state.CallId, agent));
        }

        effects.Timeline(at, who, phase == OutboundCallPhase.Rejected ? CallTimelineKind.CustomerRejected : CallTimelineKind.Unanswered);
        return state with
        {
            Phase = phase,
            EndedAt = at,
            EndedBy = who,
            Disposition = state.Agent is { } a ? DispositionStatus.RequiredFrom(a) : DispositionStatus.NotRequired,
        };
    }

    private static CallTransition<OutboundCall> ApplyTransfer(OutboundCall state, TransferStep step)
    {
        if (step.Refusal is { } refusal)
        {
            return new(state, step.Effects, refusal);
        }

        return ReferenceEquals(step.Transfer, state.Transfer)
            ? CallTransition.Unchanged(state)
            : new(state with { Version = state.Version + 1, Transfer = step.Transfer, Agent = step.AgentOnCall ?? state.Agent }, step.Effects);
    }
}
