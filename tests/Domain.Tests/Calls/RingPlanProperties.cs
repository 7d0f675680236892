using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>The ring-order rules over random orders, rosters and declines (issue 8, Rules: ring order).</summary>
public sealed class RingPlanProperties
{
    private static readonly AgentId[] Pool = [Ana, Ben, Cy, Dee, new("eve"), new("fay")];

    private static readonly Arbitrary<(int[] Conditions, int[] OrderPicks, bool[] Declined, bool RingAll, int From)> Cases =
        (from conditions in Gen.Choose(0, 4).ArrayOf(Pool.Length)
         from picks in Gen.Choose(0, Pool.Length - 1).ArrayOf(Pool.Length)
         from declined in Gen.Elements(true, false, false, false).ArrayOf(Pool.Length)
         from ringAll in Gen.Elements(true, false)
         from start in Gen.Choose(0, Pool.Length + 1)
         select (conditions, picks, declined, ringAll, start)).ToArbitrary();

    [Fact]
    public void Only_reachable_eligible_undeclined_agents_ring_and_every_step_passed_over_had_none()
    {
        Prop.ForAll(Cases, c =>
        {
            var roster = AgentRoster.Of([.. Pool.Select((id, i) => c.Conditions[i] switch
            {
                0 => Offline(id),
                1 => Restricted(id),
                2 => OnCall(id),
                3 => Away(id),
                _ => Available(id),
            })]);
            var order = Order([.. c.OrderPicks.Select(i => Pool[i])]) with { RingAllRemaining = c.RingAll };
            var declined = Pool.Where((_, i) => c.Declined[i]).ToList();
            var plan = new RingPlan(order, CallingRules.Default);

            var round = plan.Next(c.From, T0, S(5), declined, roster);

            bool Rings(AgentId a) => !declined.Contains(a) && AgentPolicy.RingTreatmentOf(roster.Find(a)) == RingTreatment.Ring;
            var passedOver = Enumerable.Range(Math.Min(c.From, plan.StepCount), Math.Max(0, round.Step - c.From)).All(s => !plan.AgentsOfStep(s).Any(Rings));
            var ringingOk = round.Exhausted || round.Ringing.SequenceEqual(plan.AgentsOfStep(round.Step).Where(Rings));
            var notifiedOk = round.NotifiedOnly.All(a => roster.Find(a)!.IsOnCall && !declined.Contains(a) && order.Agents.Contains(a));
            return passedOver && ringingOk && notifiedOk && round.BudgetEndsAt == S(45);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
