using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class RingPlanTests
{
    private static RingPlan Plan(RingOrder order, CallingRules? rules = null) => new(order, rules ?? CallingRules.Default);

    [Fact]
    public void The_primary_agent_rings_first_for_one_step()
    {
        var round = Plan(Order(Ana, Ben, Cy)).Next(0, T0, T0, [], AllAvailable);

        Assert.Equal<AgentId>([Ana], round.Ringing);
        Assert.Equal(0, round.Step);
        Assert.Equal(S(15), round.NextEscalationAt);
        Assert.Equal(S(45), round.BudgetEndsAt);
    }

    [Fact]
    public void Backups_ring_in_their_order_after_the_primary()
    {
        var plan = Plan(Order(Ana, Ben, Cy));

        Assert.Equal<AgentId>([Ben], plan.Next(1, T0, S(15), [], AllAvailable).Ringing);
        Assert.Equal<AgentId>([Cy], plan.Next(2, T0, S(30), [], AllAvailable).Ringing);
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("away")]
    [InlineData("restricted")]
    [InlineData("unknown")]
    public void An_agent_who_cannot_take_calls_is_skipped_without_waiting_out_their_step(string condition)
    {
        var roster = condition switch
        {
            "offline" => AllAvailable.With(Offline(Ana)),
            "away" => AllAvailable.With(Away(Ana)),
            "restricted" => AllAvailable.With(Restricted(Ana)),
            _ => AgentRoster.Of(Available(Ben)),
        };

        var round = Plan(Order(Ana, Ben)).Next(0, T0, T0, [], roster);

        Assert.Equal<AgentId>([Ben], round.Ringing);
        Assert.Empty(round.NotifiedOnly);
    }

    [Fact]
    public void A_busy_agent_is_skipped_for_ringing_but_notified()
    {
        var round = Plan(Order(Ana, Ben)).Next(0, T0, T0, [], AllAvailable.With(OnCall(Ana)));

        Assert.Equal<AgentId>([Ben], round.Ringing);
        Assert.Equal<AgentId>([Ana], round.NotifiedOnly);
    }

    [Fact]
    public void An_agent_without_the_receive_capability_is_skipped()
    {
        var cannotReceive = Available(Ana) with { Capabilities = AgentCapabilities.Full with { MayReceiveCalls = false } };

        Assert.Equal<AgentId>([Ben], Plan(Order(Ana, Ben)).Next(0, T0, T0, [], AllAvailable.With(cannotReceive)).Ringing);
    }

    [Fact]
    public void Agents_who_declined_are_not_rung_again()
    {
        Assert.Equal<AgentId>([Ben], Plan(Order(Ana, Ben)).Next(0, T0, T0, [Ana], AllAvailable).Ringing);
    }

    [Fact]
    public void Ring_all_remaining_is_a_last_step_that_rings_everyone_who_has_not_declined()
    {
        var plan = Plan(OrderWithRingAll(Ana, Ben, Cy));

        var last = plan.Next(3, T0, S(30), [Ben], AllAvailable);

        Assert.Equal(4, plan.StepCount);
        Assert.Equal<AgentId>([Ana, Cy], last.Ringing);
        Assert.Null(last.NextEscalationAt);
    }

    [Fact]
    public void No_escalation_is_due_when_the_budget_ends_before_the_step_does()
    {
        var round = Plan(Order(Ana, Ben, Cy, Dee)).Next(2, T0, S(31), [], AllAvailable);

        Assert.Equal<AgentId>([Cy], round.Ringing);
        Assert.Null(round.NextEscalationAt);
    }

    [Fact]
    public void The_last_agent_of_the_order_rings_until_the_budget_without_an_escalation()
    {
        Assert.Null(Plan(Order(Ana, Ben)).Next(1, T0, S(15), [], AllAvailable).NextEscalationAt);
    }

    [Fact]
    public void A_ring_order_may_set_its_own_step_length()
    {
        var round = Plan(Order(Ana, Ben) with { StepDuration = TimeSpan.FromSeconds(10) }).Next(0, T0, T0, [], AllAvailable);

        Assert.Equal(S(10), round.NextEscalationAt);
    }

    [Fact]
    public void When_nobody_can_be_rung_the_plan_is_exhausted_and_still_lists_busy_agents()
    {
        var roster = AgentRoster.Of(OnCall(Ana), Offline(Ben));

        var round = Plan(Order(Ana, Ben)).Next(0, T0, T0, [], roster);

        Assert.True(round.Exhausted);
        Assert.Equal(2, round.Step);
        Assert.Equal<AgentId>([Ana], round.NotifiedOnly);
    }

    [Fact]
    public void Rules_outside_Metas_accept_window_are_rejected_at_start_up()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (CallingRules.Default with { RingBudget = TimeSpan.FromSeconds(90) }).Validate());
        Assert.Same(CallingRules.Default, CallingRules.Default.Validate());
    }
}
