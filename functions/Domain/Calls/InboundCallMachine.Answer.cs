using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>Accepting, connecting, ending, transferring and tagging an inbound call.</summary>
public sealed partial class InboundCallMachine
{
    /// <summary>
    /// An agent accepts. Only one agent can answer and the first accept wins (issue 8, Rules; respond.io seed: no
    /// conference). Two accepts computed from the same stored version both succeed here; the store's ETag lets only
    /// one write land, and the loser, re-applied to the new state, is refused with <see cref="CallRefusal.AlreadyTaken"/>.
    /// </summary>
    public CallTransition<InboundCall> Accept(InboundCall state, Agent agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(agent);
        if (state.Agent is { } winner && state.AcceptedAt is not null)
        {
            // The winner's own retry (e.g. the shell lost the response) is not an error.
            return winner == agent.Id && !state.IsClosed
                ? CallTransition.Unchanged(state)
                : CallTransition.Refuse(state, winner == agent.Id ? CallRefusal.CallNotInProgress : CallRefusal.AlreadyTaken);
        }

        if (state.Phase != InboundCallPhase.Ringing || state.Ring is not { } ring)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotRinging);
        }

        if (!ring.Offered.Contains(agent.Id))
        {
            return CallTransition.Refuse(state, CallRefusal.NotOfferedToAgent);
        }

        if (ring.Declined.Contains(agent.Id))
        {
            return CallTransition.Refuse(state, CallRefusal.AlreadyDeclined);
        }

        // A busy agent sees the call but may not take it until their own call ends (respond.io seed).
        if (AgentPolicy.AcceptRefusal(agent, state.CallId) is { } refusal)
        {
            return CallTransition.Refuse(state, refusal);
        }

        var effects = new EffectList(state.CallId)
            .Add(new AssignAgent(state.CallId, agent.Id))
            .Add(new AttachAgentToRelay(state.CallId, agent.Id))
            .Add(new SendAccept(state.CallId, agent.Id));
        foreach (var other in ring.Showing.Where(a => a != agent.Id))
        {
            effects.Add(new WithdrawIncomingCall(state.CallId, other, IncomingCallWithdrawal.TakenByAnotherAgent));
        }

        effects.Timeline(now, CallActor.Of(agent.Id), CallTimelineKind.Accepted);
        var accepted = state with
        {
            Version = state.Version + 1,
            Phase = InboundCallPhase.Accepted,
            Agent = agent.Id,
            AcceptedAt = now,
            Ring = ring with { Ringing = [], NotifiedOnly = [] },
        };
        return new(accepted, effects.ToImmutable());
    }

    /// <summary>Meta took our <c>accept</c> and media flows (the relay reports it, or Graph answered 200, §2.3).</summary>
    public CallTransition<InboundCall> MediaConnected(InboundCall state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Phase != InboundCallPhase.Accepted)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId).Timeline(now, CallActor.System, CallTimelineKind.Connected);
        return new(state with { Version = state.Version + 1, Phase = InboundCallPhase.Connected, ConnectedAt = now }, effects.ToImmutable());
    }

    /// <summary>
    /// <c>terminate</c> (§1.8). While ringing — or before we even saw the <c>connect</c> — the call is missed; once
    /// answered it ends with Meta's duration and asks for a disposition. On a call the agent already ended it only
    /// fills in Meta's figures and hands the call to billing.
    /// </summary>
    public CallTransition<InboundCall> Terminate(InboundCall state, CallTermination termination)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(termination);
        var at = termination.At;
        var effects = new EffectList(state.CallId);
        var version = state.Version + 1;
        switch (state.Phase)
        {
            case InboundCallPhase.New:
                var known = state with
                {
                    Version = version,
                    Business = termination.Business,
                    Customer = termination.Customer,
                    OfferedAt = at,
                    MetaTerminated = true,
                };
                if (termination.PickedUp)
                {
                    // Answered somewhere we never saw (another app on the same number, §1.4): nothing to wrap up here.
                    effects.Timeline(at, CallActor.Meta, CallTimelineKind.Ended);
                    return new(known with { Phase = InboundCallPhase.Ended, EndedAt = at, Duration = termination.Duration, EndedBy = CallActor.Meta }, effects.ToImmutable());
                }

                return new(Miss(known, effects, MissReason.EndedWhileRinging, CallActor.Meta, at, sendReject: false), effects.ToImmutable());

            case InboundCallPhase.Ringing:
                return new(Miss(state with { Version = version, MetaTerminated = true }, effects, MissReason.EndedWhileRinging, CallActor.Meta, at, sendReject: false), effects.ToImmutable());

            case InboundCallPhase.Accepted or InboundCallPhase.Connected:
                var duration = CallWrapUp.DurationOf(termination.Duration, state.ConnectedAt, at);
                var transfer = CallWrapUp.EndAnsweredCall(effects, _transfers, state.CallId, state.Agent!.Value, state.Transfer, at, CallActor.Meta, duration);
                effects.Add(new ChargeCall(state.CallId, BusinessInitiated: false, duration));
                return new(
                    state with
                    {
                        Version = version,
                        Phase = InboundCallPhase.Ended,
                        EndedAt = at,
                        Duration = duration,
                        EndedBy = CallActor.Meta,
                        MetaTerminated = true,
                        Transfer = transfer,
                        Disposition = DispositionStatus.RequiredFrom(state.Agent!.Value),
                    },
                    effects.ToImmutable());

            case InboundCallPhase.Ended when !state.MetaTerminated:
                var billed = termination.Duration ?? state.Duration ?? TimeSpan.Zero;
                effects.Add(new ChargeCall(state.CallId, BusinessInitiated: false, billed))
                    .Timeline(at, CallActor.Meta, CallTimelineKind.TerminateConfirmed, $"duration {(long)billed.TotalSeconds} s");
                return new(state with { Version = version, Duration = billed, MetaTerminated = true }, effects.ToImmutable());

            default:
                return CallTransition.Unchanged(state);
        }
    }

    /// <summary>The agent on the call hangs up: <c>terminate</c> goes to Meta and a disposition is asked for.</summary>
    public CallTransition<InboundCall> End(InboundCall state, AgentId agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.InProgress)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
        }

        if (state.Agent != agent)
        {
            return CallTransition.Refuse(state, CallRefusal.NotTheAgentOnTheCall);
        }

        var effects = new EffectList(state.CallId);
        var duration = CallWrapUp.DurationOf(null, state.ConnectedAt, now);
        var transfer = CallWrapUp.EndAnsweredCall(effects, _transfers, state.CallId, agent, state.Transfer, now, CallActor.Of(agent), duration);
        return new(
            state with
            {
                Version = state.Version + 1,
                Phase = InboundCallPhase.Ended,
                EndedAt = now,
                Duration = duration,
                EndedBy = CallActor.Of(agent),
                Transfer = transfer,
                Disposition = DispositionStatus.RequiredFrom(agent),
            },
            effects.ToImmutable());
    }

    /// <summary>The disposition owed after the call (issue 8, Rules; crm seed, call disposition).</summary>
    public CallTransition<InboundCall> RecordDisposition(InboundCall state, AgentId agent, DispositionCode code, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Phase != InboundCallPhase.Ended)
        {
            return CallTransition.Refuse(state, state.IsClosed ? CallRefusal.DispositionNotRequired : CallRefusal.CallNotEnded);
        }

        var status = state.DispositionStatus;
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (status.Refusal(agent, code, note, Rules.Dispositions) is { } refusal)
        {
            return CallTransition.Refuse(state, refusal);
        }

        var disposition = new Disposition(code, note, agent, now);
        var effects = new EffectList(state.CallId).Timeline(now, CallActor.Of(agent), CallTimelineKind.DispositionRecorded, note is null ? code.Value : $"{code}: {note}");
        return new(
            state with { Version = state.Version + 1, Disposition = status with { Stage = DispositionStage.Recorded, Recorded = disposition } },
            effects.ToImmutable());
    }

    /// <summary>The agent on the call offers it to <paramref name="target"/>; refusals come back at once with the reason.</summary>
    public CallTransition<InboundCall> StartTransfer(InboundCall state, AgentId initiator, Agent? target, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.InProgress)
        {
            return CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
        }

        if (state.Agent != initiator)
        {
            return CallTransition.Refuse(state, CallRefusal.NotTheAgentOnTheCall);
        }

        return ApplyTransfer(state, _transfers.Start(state.CallId, state.Transfer, initiator, target, note, now, state.Version + 1));
    }

    public CallTransition<InboundCall> AcceptTransfer(InboundCall state, Agent agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.InProgress
            ? ApplyTransfer(state, _transfers.Accept(state.CallId, state.Transfer, agent, now))
            : CallTransition.Refuse(state, CallRefusal.CallNotInProgress);
    }

    public CallTransition<InboundCall> DeclineTransfer(InboundCall state, AgentId agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.InProgress
            ? ApplyTransfer(state, _transfers.Decline(state.CallId, state.Transfer, agent, now))
            : CallTransition.Refuse(state, CallRefusal.NoTransferPending);
    }

    private static CallTransition<InboundCall> ApplyTransfer(InboundCall state, TransferStep step)
    {
        if (step.Refusal is { } refusal)
        {
            // A failed start still tells the initiator (and the timeline) why; the stored call does not change.
            return new(state, step.Effects, refusal);
        }

        if (ReferenceEquals(step.Transfer, state.Transfer))
        {
            return CallTransition.Unchanged(state);
        }

        var next = state with { Version = state.Version + 1, Transfer = step.Transfer, Agent = step.AgentOnCall ?? state.Agent };
        return new(next, step.Effects);
    }
}
