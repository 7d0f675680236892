using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>
/// "Only one agent can answer a call; the first accept wins" (issue 8, Rules). The machine is pure, so two accepts
/// computed from the same stored version both look successful; the store's ETag decides. These tests stand in for the
/// store with a compare-and-swap cell and check that the loser, re-applied to what the winner stored, is refused.
/// </summary>
public sealed class SimultaneousAcceptTests
{
    [Fact]
    public void Two_accepts_applied_to_the_same_version_both_compute_but_only_one_can_be_stored()
    {
        var ringing = RingingForAnaAndBen();
        var machine = new InboundCallMachine(CallingRules.Default);

        var byAna = machine.Accept(ringing, Available(Ana), S(20));
        var byBen = machine.Accept(ringing, Available(Ben), S(20));

        Assert.Equal(byAna.State.Version, byBen.State.Version);
        var cell = new VersionedCell(ringing);
        Assert.True(cell.TryReplace(ringing.Version, byBen.State));
        Assert.False(cell.TryReplace(ringing.Version, byAna.State));

        var retried = machine.Accept(cell.Value, Available(Ana), S(20));
        Assert.Equal(CallRefusal.AlreadyTaken, retried.Refusal);
        Assert.Equal(Ben, cell.Value.Agent);
    }

    [Fact]
    public void Exactly_one_of_many_agents_accepting_at_the_same_moment_wins()
    {
        var agents = Enumerable.Range(0, 8).Select(i => new AgentId($"agent-{i}")).ToArray();
        var roster = AgentRoster.Of([.. agents.Select(Available)]);
        var machine = new InboundCallMachine(CallingRules.Default);
        var offered = machine.Offer(InboundCall.New(Call), Offer(), OrderWithRingAll(agents) with { StepDuration = TimeSpan.FromSeconds(1) }, roster, T0).State;
        var everyone = offered;
        for (var second = 1; second <= agents.Length; second++)
        {
            everyone = machine.TimerFired(everyone, new CallTimer(Call, CallTimerKind.RingEscalation, S(second), everyone.Ring!.StepVersion), roster, S(second)).State;
        }

        Assert.Equal(agents.Length, everyone.Ring!.Ringing.Length);
        var cell = new VersionedCell(everyone);
        var outcomes = new CallRefusal?[agents.Length];
        using var start = new Barrier(agents.Length);
        var threads = agents.Select((agent, i) => new Thread(() =>
        {
            start.SignalAndWait();
            outcomes[i] = AcceptWithRetries(machine, cell, roster.Find(agent)!);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(CallRefusal.AlreadyTaken, o));
        Assert.Equal(InboundCallPhase.Accepted, cell.Value.Phase);
    }

    // The store's loop: read, apply, write if the ETag (here the version) is unchanged, else read again.
    private static CallRefusal? AcceptWithRetries(InboundCallMachine machine, VersionedCell cell, Agent agent)
    {
        while (true)
        {
            var read = cell.Value;
            var transition = machine.Accept(read, agent, S(20));
            if (transition.Refused || !transition.ChangedFrom(read) || cell.TryReplace(read.Version, transition.State))
            {
                return transition.Refusal;
            }
        }
    }

    private static InboundCall RingingForAnaAndBen()
    {
        var call = new InboundDriver(Order(Ana, Ben)).Offered();
        return call.Fires(call.Effects.Timer(CallTimerKind.RingEscalation), 15).State;
    }

    /// <summary>A one-value store with optimistic concurrency, as Table Storage's ETag gives the real store.</summary>
    private sealed class VersionedCell(InboundCall initial)
    {
        private readonly Lock _gate = new();
        private InboundCall _value = initial;

        public InboundCall Value
        {
            get
            {
                lock (_gate)
                {
                    return _value;
                }
            }
        }

        public bool TryReplace(long expectedVersion, InboundCall next)
        {
            lock (_gate)
            {
                if (_value.Version != expectedVersion)
                {
                    return false;
                }

                _value = next;
                return true;
            }
        }
    }
}
