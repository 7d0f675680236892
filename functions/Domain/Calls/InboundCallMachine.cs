using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The transitions of <see cref="InboundCall"/> (issue 8, Rules: ring order, inbound call, missed calls). Inputs come
/// from three places — webhooks (offer, terminate), agents (accept, decline, end, transfer, disposition) and durable
/// timers — and may arrive in any order or twice; a closed call ignores late webhooks and stale timers.
/// This file holds the ring; <c>InboundCallMachine.Answer.cs</c> what happens once an agent answers.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "One machine instance per rule set; every input is a method on it.")]
public sealed partial class InboundCallMachine(CallingRules rules)
{
    private readonly TransferMachine _transfers = new(rules);

    public CallingRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <summary>
    /// <c>connect</c> arrived. Refused admissions are rejected through the Graph API with the reason on the timeline;
    /// admitted calls get a relay session, <c>pre_accept</c> and the first ring step. A <c>connect</c> for a call we
    /// already know — a redelivery, or one that lost the race with its <c>terminate</c> — changes nothing (§1.4).
    /// </summary>
    public CallTransition<InboundCall> Offer(InboundCall state, InboundOffer offer, RingOrder order, AgentRoster roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(roster);
        if (state.Phase != InboundCallPhase.New)
        {
            return CallTransition.Unchanged(state);
        }

        var version = state.Version + 1;
        var effects = new EffectList(state.CallId).Timeline(offer.At, CallActor.Customer, CallTimelineKind.Offered);
        var offered = state with
        {
            Version = version,
            Business = offer.Business,
            Customer = offer.Customer,
            OfferedAt = offer.At,
        };

        if (offer.Admission != CallAdmission.Admitted)
        {
            var reason = DescribeAdmission(offer.Admission);
            effects.Add(new SendReject(state.CallId, reason)).Timeline(now, CallActor.System, CallTimelineKind.Rejected, reason);
            return new(offered with { Phase = InboundCallPhase.Rejected, RejectedFor = offer.Admission, EndedAt = now }, effects.ToImmutable());
        }

        // The budget counts from Meta's timestamp: Meta's own 30–60 s window started then, not when we got to it (§2.6).
        var plan = new RingPlan(order, Rules);
        var budgetEnd = plan.BudgetEndsAt(offer.At);
        if (now >= budgetEnd)
        {
            // Too stale to answer; Meta says not to act on stale call events through the Graph API (§1.4).
            return new(Miss(offered, effects, MissReason.RingBudgetSpent, CallActor.System, now, sendReject: false), effects.ToImmutable());
        }

        var round = plan.Next(0, offer.At, now, [], roster);
        if (round.Exhausted && round.NotifiedOnly.IsEmpty)
        {
            effects.Add(new SendReject(state.CallId, "no agent available"));
            return new(Miss(offered, effects, MissReason.NoAgentAvailable, CallActor.System, now, sendReject: false), effects.ToImmutable());
        }

        var ring = new InboundRing(order, round.Step, offer.At, budgetEnd, version, version, [], [], [], []);
        effects.Add(new OpenRelaySession(state.CallId)).Add(new SendPreAccept(state.CallId)).Timer(CallTimerKind.RingBudget, budgetEnd, version);
        var ringing = offered with { Phase = InboundCallPhase.Ringing, Ring = ApplyRound(offered, ring, round, effects, now) };
        return new(ringing, effects.ToImmutable());
    }

    /// <summary>An agent declines: their part of the ring ends and, if they were the one ringing, the next step starts at once.</summary>
    public CallTransition<InboundCall> Decline(InboundCall state, AgentId agent, AgentRoster roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(roster);
        if (state.Phase != InboundCallPhase.Ringing || state.Ring is not { } ring)
        {
            return CallTransition.Refuse(state, state.InProgress ? CallRefusal.AlreadyTaken : CallRefusal.CallNotRinging);
        }

        if (!ring.Offered.Contains(agent))
        {
            return CallTransition.Refuse(state, CallRefusal.NotOfferedToAgent);
        }

        if (ring.Declined.Contains(agent))
        {
            return CallTransition.Unchanged(state);
        }

        var version = state.Version + 1;
        var effects = new EffectList(state.CallId)
            .Add(new WithdrawIncomingCall(state.CallId, agent, IncomingCallWithdrawal.Declined))
            .Timeline(now, CallActor.Of(agent), CallTimelineKind.Declined);
        ring = ring with
        {
            Declined = ring.Declined.Add(agent),
            Ringing = ring.Ringing.Remove(agent),
            NotifiedOnly = ring.NotifiedOnly.Remove(agent),
        };
        var declined = state with { Version = version, Ring = ring };

        // Someone else in a "ring all" step is still ringing: the step simply goes on without the decliner.
        if (!ring.Ringing.IsEmpty)
        {
            return new(declined, effects.ToImmutable());
        }

        var plan = new RingPlan(ring.Order, Rules);
        var round = plan.Next(ring.Step + 1, ring.StartedAt, now, ring.Declined, roster);
        if (round.Exhausted && round.NotifiedOnly.IsEmpty && ring.NotifiedOnly.IsEmpty)
        {
            return new(Miss(declined, effects, MissReason.AllAgentsDeclined, CallActor.System, now, sendReject: true), effects.ToImmutable());
        }

        // With nobody left to ring, busy agents still see the call and may take it until the budget runs out.
        return new(declined with { Ring = ApplyRound(declined, ring with { StepVersion = version }, round, effects, now) }, effects.ToImmutable());
    }

    /// <summary>
    /// Agents' presence or calls changed while this call rings. Agents who can no longer take it stop ringing; when
    /// nobody is left ringing, the ring resumes at the next step with someone who can take it, and failing that at the
    /// first — so an agent who comes back, or whose own call ends, is rung (with "can accept now") before the budget
    /// runs out, as a contact-centre agent would expect.
    /// </summary>
    public CallTransition<InboundCall> RosterChanged(InboundCall state, AgentRoster roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(roster);
        if (state.Phase != InboundCallPhase.Ringing || state.Ring is not { } ring || now >= ring.BudgetEndsAt)
        {
            return CallTransition.Unchanged(state);
        }

        var stillRinging = ring.Ringing.Where(a => AgentPolicy.RingTreatmentOf(roster.Find(a)) == RingTreatment.Ring).ToImmutableArray();
        if (!ring.Ringing.IsEmpty && stillRinging.Length == ring.Ringing.Length)
        {
            return CallTransition.Unchanged(state);
        }

        var version = state.Version + 1;
        var effects = new EffectList(state.CallId);
        var next = state with { Version = version };
        if (!stillRinging.IsEmpty)
        {
            // Same step, fewer agents: its escalation timer stays valid.
            var shrunk = new RingRound(ring.Step, stillRinging, [], null, ring.BudgetEndsAt);
            effects.Timeline(now, CallActor.System, CallTimelineKind.RingEscalated, "agents changed");
            return new(next with { Ring = ApplyRound(next, ring, shrunk, effects, now) }, effects.ToImmutable());
        }

        var plan = new RingPlan(ring.Order, Rules);
        var round = plan.Next(ring.Step + 1, ring.StartedAt, now, ring.Declined, roster);
        if (round.Exhausted)
        {
            round = plan.Next(0, ring.StartedAt, now, ring.Declined, roster);
        }

        if (round.Exhausted && ring.Ringing.IsEmpty && round.NotifiedOnly.All(ring.NotifiedOnly.Contains))
        {
            return CallTransition.Unchanged(state);
        }

        effects.Timeline(now, CallActor.System, CallTimelineKind.RingEscalated, round.Exhausted ? "nobody to ring" : $"step {round.Step + 1}");
        return new(next with { Ring = ApplyRound(next, ring with { StepVersion = version }, round, effects, now) }, effects.ToImmutable());
    }

    /// <summary>
    /// A durable timer fired. Each kind is checked against what it was set for — the ring step's version, the ring
    /// still running, the transfer still waiting — so a timer that outlived its purpose is a no-op (issue 8, Rules).
    /// </summary>
    public CallTransition<InboundCall> TimerFired(InboundCall state, CallTimer timer, AgentRoster roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(roster);
        if (timer.CallId != state.CallId || now < timer.DueAt)
        {
            return CallTransition.Unchanged(state);
        }

        return timer.Kind switch
        {
            CallTimerKind.RingEscalation => Escalate(state, timer, roster, now),
            CallTimerKind.RingBudget => BudgetSpent(state, timer, now),
            CallTimerKind.TransferRevert => ApplyTransfer(state, _transfers.RevertDue(state.CallId, state.Transfer, timer, now)),
            _ => CallTransition.Unchanged(state),
        };
    }

    private CallTransition<InboundCall> Escalate(InboundCall state, CallTimer timer, AgentRoster roster, DateTimeOffset now)
    {
        if (state.Phase != InboundCallPhase.Ringing || state.Ring is not { } ring || ring.StepVersion != timer.Version)
        {
            return CallTransition.Unchanged(state);
        }

        var round = new RingPlan(ring.Order, Rules).Next(ring.Step + 1, ring.StartedAt, now, ring.Declined, roster);

        // Nobody further down can be rung right now: the current agents keep ringing until the budget ends, which is
        // better for the caller than silence.
        if (round.Exhausted)
        {
            return CallTransition.Unchanged(state);
        }

        var version = state.Version + 1;
        var effects = new EffectList(state.CallId);
        var next = state with { Version = version };
        var moved = ApplyRound(next, ring with { StepVersion = version }, round, effects, now);
        effects.Timeline(now, CallActor.System, CallTimelineKind.RingEscalated, $"step {round.Step + 1}");
        return new(next with { Ring = moved }, effects.ToImmutable());
    }

    private static CallTransition<InboundCall> BudgetSpent(InboundCall state, CallTimer timer, DateTimeOffset now)
    {
        if (state.Phase != InboundCallPhase.Ringing || state.Ring is not { } ring || ring.StartVersion != timer.Version || now < ring.BudgetEndsAt)
        {
            return CallTransition.Unchanged(state);
        }

        var effects = new EffectList(state.CallId);
        var missed = Miss(state with { Version = state.Version + 1 }, effects, MissReason.RingBudgetSpent, CallActor.System, now, sendReject: true);
        return new(missed, effects.ToImmutable());
    }

    /// <summary>
    /// Moves the ring to <paramref name="round"/>: agents leaving the ringing set are told the ring moved, new ones
    /// are rung, busy ones are notified once, and the next escalation timer is set with the step's version.
    /// </summary>
    private static InboundRing ApplyRound(InboundCall state, InboundRing ring, RingRound round, EffectList effects, DateTimeOffset now)
    {
        foreach (var agent in ring.Ringing.Except(round.Ringing))
        {
            effects.Add(new WithdrawIncomingCall(state.CallId, agent, IncomingCallWithdrawal.RingMoved));
        }

        var business = state.Business ?? ring.Order.Business;
        foreach (var agent in round.Ringing.Except(ring.Ringing))
        {
            effects.Add(new NotifyIncomingCall(state.CallId, agent, state.Customer, business, CanAcceptNow: true));
        }

        var newlyNotified = round.NotifiedOnly.Except(ring.NotifiedOnly).Except(ring.Ringing).ToImmutableArray();
        foreach (var agent in newlyNotified)
        {
            effects.Add(new NotifyIncomingCall(state.CallId, agent, state.Customer, business, CanAcceptNow: false));
        }

        if (!round.Ringing.IsEmpty)
        {
            effects.Timeline(now, CallActor.System, CallTimelineKind.Ringing, string.Join(", ", round.Ringing));
        }

        if (round.NextEscalationAt is { } due)
        {
            effects.Timer(CallTimerKind.RingEscalation, due, ring.StepVersion);
        }

        return ring with
        {
            Step = round.Step,
            Ringing = round.Ringing,
            NotifiedOnly = ring.NotifiedOnly.AddRange(newlyNotified),
            Offered = ring.Offered.AddRange(round.Ringing.Concat(newlyNotified).Except(ring.Offered)),
        };
    }

    /// <summary>
    /// The call is missed: everyone who sees it is told, the relay session goes, and the missed call becomes a contact
    /// event for follow-up (respond.io seed, missed calls). A call still ringing at Meta is rejected through Graph.
    /// </summary>
    private static InboundCall Miss(InboundCall state, EffectList effects, MissReason reason, CallActor who, DateTimeOffset now, bool sendReject)
    {
        if (sendReject)
        {
            effects.Add(new SendReject(state.CallId, "not answered"));
        }

        if (state.Ring is { } ring)
        {
            foreach (var agent in ring.Showing)
            {
                effects.Add(new WithdrawIncomingCall(state.CallId, agent, IncomingCallWithdrawal.Missed));
            }

            effects.Add(new EndRelaySession(state.CallId));
        }

        effects
            .Add(new RecordMissedCall(state.CallId, state.Business ?? state.Ring?.Order.Business ?? default, state.Customer, now, reason))
            .Timeline(now, who, CallTimelineKind.Missed, reason.ToString());
        return state with
        {
            Phase = InboundCallPhase.Missed,
            Missed = reason,
            EndedAt = now,
            Ring = state.Ring is { } r ? r with { Ringing = [], NotifiedOnly = [] } : null,
        };
    }

    private static string DescribeAdmission(CallAdmission admission) => admission switch
    {
        CallAdmission.CallingDisabled => "calling is disabled for this number",
        CallAdmission.BalanceBelowMinimum => "balance below the minimum for calls",
        CallAdmission.OutsideBusinessHours => "outside business hours",
        _ => admission.ToString(),
    };
}
