using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The ring order of one business number (issue 8, Rules; crm seed, "Ring WhatsApp Calls To"): the primary agent
/// first, then the backups in order, each for <see cref="StepDuration"/> (default: <see cref="CallingRules.RingStep"/>),
/// and optionally a last step that rings everyone who has not declined.
/// </summary>
public sealed record RingOrder(BusinessNumberId Business, ImmutableArray<AgentId> Agents, bool RingAllRemaining = false, TimeSpan? StepDuration = null)
{
    public AgentId? Primary => Agents.IsDefaultOrEmpty ? null : Agents[0];

    public static RingOrder Of(BusinessNumberId business, params AgentId[] agents) => new(business, [.. agents.Distinct()]);
}

/// <summary>
/// Who the call reaches in one step: <see cref="Ringing"/> may accept now, <see cref="NotifiedOnly"/> are busy agents
/// who see the call but cannot take it until their own call ends. <see cref="Step"/> equals the step count when no step
/// is left with someone to ring (<see cref="Exhausted"/>). <see cref="NextEscalationAt"/> is null when the budget ends
/// first or when this is the last step.
/// </summary>
public sealed record RingRound(
    int Step,
    ImmutableArray<AgentId> Ringing,
    ImmutableArray<AgentId> NotifiedOnly,
    DateTimeOffset? NextEscalationAt,
    DateTimeOffset BudgetEndsAt)
{
    public bool Exhausted => Ringing.IsEmpty;
}

/// <summary>
/// Turns a <see cref="RingOrder"/> into steps and decides, for a moment and a roster snapshot, who rings next.
/// Steps whose agents are offline, away, restricted or busy are passed over at once rather than waited out: a
/// contact-centre caller should not hear 15 s of ringing nobody can answer.
/// </summary>
public sealed class RingPlan
{
    private readonly ImmutableArray<ImmutableArray<AgentId>> _steps;

    public RingPlan(RingOrder order, CallingRules rules)
    {
        Order = order ?? throw new ArgumentNullException(nameof(order));
        ArgumentNullException.ThrowIfNull(rules);
        StepDuration = order.StepDuration ?? rules.RingStep;
        Budget = rules.RingBudget;
        var agents = order.Agents.IsDefault ? [] : order.Agents;
        var steps = agents.Select(a => ImmutableArray.Create(a)).ToList();
        if (order.RingAllRemaining && agents.Length > 1)
        {
            steps.Add(agents);
        }

        _steps = [.. steps];
    }

    public RingOrder Order { get; }

    public TimeSpan StepDuration { get; }

    public TimeSpan Budget { get; }

    public int StepCount => _steps.Length;

    public ImmutableArray<AgentId> AgentsOfStep(int step) => _steps[step];

    public DateTimeOffset BudgetEndsAt(DateTimeOffset ringStartedAt) => ringStartedAt + Budget;

    public bool Contains(AgentId agent) => Order.Agents.Contains(agent);

    /// <summary>
    /// The first step at or after <paramref name="fromStep"/> with an agent to ring who has not declined, starting at
    /// <paramref name="now"/>. Busy agents of every step reached (including the steps passed over) are notified.
    /// </summary>
    public RingRound Next(int fromStep, DateTimeOffset ringStartedAt, DateTimeOffset now, IReadOnlyCollection<AgentId> declined, AgentRoster roster)
    {
        ArgumentNullException.ThrowIfNull(declined);
        ArgumentNullException.ThrowIfNull(roster);
        var budgetEnd = BudgetEndsAt(ringStartedAt);
        var notified = ImmutableArray.CreateBuilder<AgentId>();
        for (var step = Math.Max(0, fromStep); step < _steps.Length; step++)
        {
            var ringing = ImmutableArray.CreateBuilder<AgentId>();
            foreach (var agent in _steps[step].Where(a => !declined.Contains(a)))
            {
                switch (AgentPolicy.RingTreatmentOf(roster.Find(agent)))
                {
                    case RingTreatment.Ring:
                        ringing.Add(agent);
                        break;
                    case RingTreatment.NotifyOnly when !notified.Contains(agent):
                        notified.Add(agent);
                        break;
                }
            }

            if (ringing.Count > 0)
            {
                var escalation = now + StepDuration;
                var hasLaterStep = step < _steps.Length - 1;
                return new RingRound(
                    step,
                    ringing.ToImmutable(),
                    notified.ToImmutable(),
                    hasLaterStep && escalation < budgetEnd ? escalation : null,
                    budgetEnd);
            }
        }

        return new RingRound(_steps.Length, [], notified.ToImmutable(), null, budgetEnd);
    }
}
