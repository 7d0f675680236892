using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>
/// Random walks of agent actions, webhooks and timers (fresh and stale). Whatever happens: a change bumps the version
/// by exactly one and leaves a timeline entry (issue 8, Rules: "state changes are recorded on its timeline with who
/// and when"); no change means no effects; a closed call never reopens; the answering agent changes only by transfer.
/// </summary>
public sealed class TransitionInvariantProperties
{
    private static readonly AgentId[] Agents = [Ana, Ben, Cy, Dee];

    private static readonly Arbitrary<List<(int Kind, int A, int B, int Step)>> Walks =
        (from kind in Gen.Choose(0, 11)
         from a in Gen.Choose(0, 3)
         from b in Gen.Choose(0, 3)
         from step in Gen.Choose(0, 20)
         select (kind, a, b, step)).ListOf().Select(l => l.ToList()).ToArbitrary();

    [Fact]
    public void Every_inbound_change_is_versioned_and_recorded_and_closed_calls_stay_closed()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var order = OrderWithRingAll(Ana, Ben, Cy);
        Prop.ForAll(Walks, walk =>
        {
            var state = InboundCall.New(Call);
            var timers = new List<CallTimer>();
            var now = T0;
            foreach (var (kind, a, b, step) in walk)
            {
                now = now.AddSeconds(step);
                var roster = RosterFor(state.InProgress ? state.Agent : null, busy: Agents[b] == Dee ? Dee : null);
                var agent = roster.Find(Agents[a])!;
                var transition = kind switch
                {
                    0 => machine.Offer(state, new InboundOffer(Call, Business, Customer, T0, b == 3 ? CallAdmission.OutsideBusinessHours : CallAdmission.Admitted), order, roster, now),
                    1 => machine.Accept(state, agent, now),
                    2 => machine.Decline(state, agent.Id, roster, now),
                    3 when timers.Count > 0 => machine.TimerFired(state, timers[(a * 4 + b) % timers.Count], roster, now),
                    4 => machine.Terminate(state, new CallTermination(Call, now, b % 2 == 0, b % 2 == 0 ? TimeSpan.FromSeconds(b * 10) : null)),
                    5 => machine.MediaConnected(state, now),
                    6 => machine.End(state, agent.Id, now),
                    7 => machine.StartTransfer(state, agent.Id, roster.Find(Agents[b]), "note", now),
                    8 => machine.AcceptTransfer(state, agent, now),
                    9 => machine.DeclineTransfer(state, agent.Id, now),
                    10 => machine.RecordDisposition(state, agent.Id, DispositionCode.Resolved, null, now),
                    _ => machine.RosterChanged(state, a == 0 ? roster.With(Offline(Ana)) : roster, now),
                };

                if (!Holds(state, transition, s => s.Version, s => s.IsClosed)
                    || (transition.State.Agent != state.Agent && state.Agent is not null && transition.Effects.OfType<SwitchAgentLeg>().Count() != 1))
                {
                    return false;
                }

                timers.AddRange(transition.Effects.OfType<ScheduleTimer>().Select(t => t.Timer));
                state = transition.State;
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Every_outbound_change_is_versioned_and_recorded_and_closed_calls_stay_closed()
    {
        var machine = new OutboundCallMachine(CallingRules.Default);
        Prop.ForAll(Walks, walk =>
        {
            var state = OutboundCall.New(Call);
            var timers = new List<CallTimer>();
            var now = T0;
            foreach (var (kind, a, b, step) in walk)
            {
                now = now.AddSeconds(step);
                var roster = RosterFor(state.Phase == OutboundCallPhase.Connected ? state.Agent : null, busy: null);
                var agent = roster.Find(Agents[a])!;
                var transition = kind switch
                {
                    0 => machine.Placed(state, new OutboundPlacement(Call, agent.Id, Business, Customer, now)),
                    1 => machine.AnswerReceived(state, now),
                    2 => machine.CustomerRinging(state, now),
                    3 when timers.Count > 0 => machine.TimerFired(state, timers[(a * 4 + b) % timers.Count], now),
                    4 => machine.Terminate(state, new CallTermination(Call, now, b % 2 == 0, b % 2 == 0 ? TimeSpan.FromSeconds(b * 10) : null)),
                    5 => machine.CustomerAnswered(state, now),
                    6 => machine.End(state, agent.Id, now),
                    7 => machine.StartTransfer(state, agent.Id, roster.Find(Agents[b]), null, now),
                    8 => machine.AcceptTransfer(state, agent, now),
                    9 => machine.DeclineTransfer(state, agent.Id, now),
                    10 => machine.RecordDisposition(state, agent.Id, DispositionCode.NoAnswer, null, now),
                    _ => machine.CustomerRejected(state, now),
                };

                if (!Holds(state, transition, s => s.Version, s => s.IsClosed))
                {
                    return false;
                }

                timers.AddRange(transition.Effects.OfType<ScheduleTimer>().Select(t => t.Timer));
                state = transition.State;
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static bool Holds<T>(T before, CallTransition<T> transition, Func<T, long> version, Func<T, bool> closed)
        where T : class
    {
        if (!transition.ChangedFrom(before))
        {
            // Only a refused transfer start tells the initiator why, without changing the call.
            return transition.Effects.IsEmpty || transition.Refusal is not null;
        }

        return version(transition.State) == version(before) + 1
            && transition.Refusal is null
            && transition.Effects.OfType<RecordTimeline>().Any()
            && transition.Effects.All(e => e.CallId == Call)
            && (!closed(before) || closed(transition.State));
    }

    // Everyone available; the agent on this call is marked on it, and optionally one more agent is busy elsewhere.
    private static AgentRoster RosterFor(AgentId? onThisCall, AgentId? busy)
    {
        var roster = AgentRoster.Of([.. Agents.Select(Available)]);
        if (busy is { } other)
        {
            roster = roster.With(OnCall(other));
        }

        return onThisCall is { } agent ? roster.With(Available(agent) with { ActiveCall = Call }) : roster;
    }
}
