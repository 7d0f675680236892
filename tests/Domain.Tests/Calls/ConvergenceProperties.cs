using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>
/// Meta delivers call webhooks at least once and in no particular order — a <c>terminate</c> may beat its
/// <c>connect</c> (whatsapp-calling-api.md §1.4) — and a webhook may beat Graph's reply to our own <c>connect</c>.
/// Every machine must end in the same place whichever order and however many copies arrive (issue 8, Rules).
/// </summary>
public sealed class ConvergenceProperties
{
    private static readonly Arbitrary<int> Seeds = Gen.Choose(0, int.MaxValue - 1).ToArbitrary();

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly InboundCallMachine Inbound = new(CallingRules.Default);

    private static readonly OutboundCallMachine Outbound = new(CallingRules.Default);

    /// <summary>What must agree; the timeline and the version count may differ with the order, the outcome may not.</summary>
    private sealed record InboundSummary(InboundCallPhase Phase, MissReason? Missed, AgentId? Agent, TimeSpan? Duration, DispositionStage Disposition, bool MetaTerminated);

    private sealed record OutboundSummary(OutboundCallPhase Phase, OutboundOutcome? Outcome, AgentId? Agent, TimeSpan? Duration, DispositionStage Disposition, bool MetaTerminated);

    [Fact]
    public void An_unanswered_inbound_call_is_missed_whatever_the_order_and_copies_of_connect_and_terminate()
    {
        List<Func<InboundCall, InboundCall>> events =
        [
            s => Inbound.Offer(s, Offer(), Order(Ana, Ben), AllAvailable, S(1)).State,
            s => Inbound.Terminate(s, Hangup(20)).State,
        ];

        CheckInbound(InboundCall.New(Call), events, expected: InboundCallPhase.Missed);
    }

    [Fact]
    public void An_answered_inbound_call_ends_the_same_whatever_the_order_of_connect_copies_media_and_terminate()
    {
        var accepted = Inbound.Accept(Inbound.Offer(InboundCall.New(Call), Offer(), Order(Ana), AllAvailable, S(1)).State, Available(Ana), S(4)).State;
        List<Func<InboundCall, InboundCall>> events =
        [
            s => Inbound.Offer(s, Offer(), Order(Ana), AllAvailable, S(1)).State,
            s => Inbound.MediaConnected(s, S(5)).State,
            s => Inbound.Terminate(s, Hangup(65, pickedUp: true, duration: 60)).State,
        ];

        CheckInbound(accepted, events, expected: InboundCallPhase.Ended);
    }

    [Theory]
    [InlineData("answered", OutboundOutcome.Answered)]
    [InlineData("rejected", OutboundOutcome.Rejected)]
    [InlineData("unanswered", OutboundOutcome.Unanswered)]
    public void An_outbound_call_reaches_the_same_outcome_whatever_the_order_of_its_webhooks_and_our_placement(string world, OutboundOutcome expected)
    {
        List<Func<OutboundCall, OutboundCall>> events =
        [
            s => Outbound.Placed(s, new OutboundPlacement(Call, Ana, Business, Customer, S(0))).State,
            s => Outbound.AnswerReceived(s, S(1)).State,
            s => Outbound.CustomerRinging(s, S(2)).State,
        ];
        events.AddRange(world switch
        {
            "answered" => [s => Outbound.CustomerAnswered(s, S(6)).State, s => Outbound.Terminate(s, Hangup(66, pickedUp: true, duration: 60)).State],
            "rejected" => [s => Outbound.CustomerRejected(s, S(6)).State, s => Outbound.Terminate(s, Hangup(6)).State],
            _ => new List<Func<OutboundCall, OutboundCall>> { s => Outbound.Terminate(s, Hangup(40)).State },
        });

        var canonical = Summarize(events.Aggregate(OutboundCall.New(Call), (s, e) => e(s)));
        Assert.Equal(expected, canonical.Outcome);
        Assert.Equal(DispositionStage.Required, canonical.Disposition);

        Prop.ForAll(Seeds, seed =>
            Summarize(Redeliver(events, seed).Aggregate(OutboundCall.New(Call), (s, e) => e(s))) == canonical).Check(Runs);
    }

    [Fact]
    public void Timers_delivered_at_any_point_never_reopen_a_closed_inbound_call()
    {
        var offered = Inbound.Offer(InboundCall.New(Call), Offer(), Order(Ana, Ben, Cy), AllAvailable, S(0));
        var timers = offered.Effects.OfType<ScheduleTimer>().Select(t => t.Timer).ToList();
        List<Func<InboundCall, InboundCall>> events =
        [
            s => Inbound.Terminate(s, Hangup(20)).State,
            .. timers.Select(t => (Func<InboundCall, InboundCall>)(s => Inbound.TimerFired(s, t, AllAvailable, S(50)).State)),
        ];

        Prop.ForAll(Seeds, seed =>
        {
            var final = Redeliver(events, seed).Aggregate(offered.State, (s, e) => e(s));
            return final.Phase == InboundCallPhase.Missed && final.Ring!.Ringing.IsEmpty;
        }).Check(Runs);
    }

    private static void CheckInbound(InboundCall start, List<Func<InboundCall, InboundCall>> events, InboundCallPhase expected)
    {
        var canonical = Summarize(events.Aggregate(start, (s, e) => e(s)));
        Assert.Equal(expected, canonical.Phase);

        Prop.ForAll(Seeds, seed => Summarize(Redeliver(events, seed).Aggregate(start, (s, e) => e(s))) == canonical).Check(Runs);
    }

    private static InboundSummary Summarize(InboundCall s) =>
        new(s.Phase, s.Missed, s.Agent, s.Duration, s.DispositionStatus.Stage, s.MetaTerminated);

    private static OutboundSummary Summarize(OutboundCall s) =>
        new(s.Phase, s.Outcome, s.Agent, s.Duration, s.DispositionStatus.Stage, s.MetaTerminated);

    /// <summary>Every event one to three times, all shuffled.</summary>
    private static List<T> Redeliver<T>(List<T> events, int seed)
    {
        var random = new Random(seed);
        var deliveries = events.SelectMany(e => Enumerable.Repeat(e, random.Next(1, 4))).ToList();
        for (var i = deliveries.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (deliveries[i], deliveries[j]) = (deliveries[j], deliveries[i]);
        }

        return deliveries;
    }
}
