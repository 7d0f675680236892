using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Integration;

namespace WhatsAppCalling.FunctionApp.Tests.Integration;

/// <summary>
/// The journal → integration event mapping, fed with what the real call machines emit, so "each fact once" is
/// checked against the machines' actual timelines rather than hand-written lines.
/// </summary>
public sealed class CallIntegrationEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly BusinessNumberId Business = new("106540352242922");
    private static readonly ContactKey Customer = ContactKey.ForPhone(PhoneNumber.Parse("+447700900555"));
    private static readonly CallId Call = new("wacid.HBgLNDQ3NzAwOTAwNTU1FQIAEhgg");
    private static readonly Agent Ana = new(new AgentId("ana"), AgentPresence.Available, AgentCapabilities.Full);
    private static readonly Agent Ben = new(new AgentId("ben"), AgentPresence.Available, AgentCapabilities.Full);
    private static readonly AgentRoster Roster = AgentRoster.Of(Ana, Ben);

    [Fact]
    public void An_answered_inbound_call_publishes_started_answered_ended_once_each_with_the_facts()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = InboundCall.New(Call);
        state = Run(machine.Offer(state, new InboundOffer(Call, Business, Customer, T0, CallAdmission.Admitted), RingOrder.Of(Business, [Ana.Id]), Roster, T0), events);
        state = Run(machine.Accept(state, Ana, T0.AddSeconds(4)), events);
        state = Run(machine.MediaConnected(state, T0.AddSeconds(5)), events);
        // Meta's terminate, then the same terminate again (a redelivered webhook), then a late media report.
        var terminate = new CallTermination(Call, T0.AddSeconds(70), true, TimeSpan.FromSeconds(65), Business, Customer);
        state = Run(machine.Terminate(state, terminate), events);
        state = Run(machine.Terminate(state, terminate), events);
        Run(machine.MediaConnected(state, T0.AddSeconds(71)), events);

        Assert.Equal([IntegrationEventTypes.Started, IntegrationEventTypes.Answered, IntegrationEventTypes.Ended], events.Select(e => e.Type).ToArray());
        Assert.All(events, e =>
        {
            Assert.Equal(Call.Value, e.Subject);
            Assert.Equal("inbound", e.Data.Direction);
            Assert.Equal(Business.Value, e.Data.BusinessNumberId);
            Assert.Equal(Customer.Value, e.Data.Customer);
            Assert.Equal("+447700900555", e.Data.CustomerPhone);
        });
        Assert.Equal("ana", events[1].Data.AgentId);
        Assert.Equal(T0.AddSeconds(5), events[1].Time);
        var ended = events[2];
        Assert.Equal("completed", ended.Data.Outcome);
        Assert.Equal(65, ended.Data.DurationSeconds);
        Assert.Equal($"{Call}:ended", ended.Id);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void An_accept_Meta_never_confirmed_is_not_an_answer()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = Run(machine.Offer(InboundCall.New(Call), new InboundOffer(Call, Business, Customer, T0, CallAdmission.Admitted), RingOrder.Of(Business, [Ana.Id]), Roster, T0), events);
        Run(machine.Accept(state, Ana, T0.AddSeconds(4)), events);

        Assert.Equal([IntegrationEventTypes.Started], events.Select(e => e.Type).ToArray());
    }

    [Fact]
    public void A_call_nobody_answers_is_missed_once_and_never_ended()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = Run(machine.Offer(InboundCall.New(Call), new InboundOffer(Call, Business, Customer, T0, CallAdmission.Admitted), RingOrder.Of(Business, [Ana.Id]), Roster, T0), events);
        var hangUp = new CallTermination(Call, T0.AddSeconds(20), false, null, Business, Customer);
        state = Run(machine.Terminate(state, hangUp), events);
        Run(machine.Terminate(state, hangUp), events);

        Assert.Equal([IntegrationEventTypes.Started, IntegrationEventTypes.Missed], events.Select(e => e.Type).ToArray());
        Assert.Equal(nameof(MissReason.EndedWhileRinging), events[1].Data.Reason);
        Assert.Equal($"{Call}:missed", events[1].Id);
    }

    [Fact]
    public void An_accepted_transfer_is_one_event_naming_the_new_agent()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = Run(machine.Offer(InboundCall.New(Call), new InboundOffer(Call, Business, Customer, T0, CallAdmission.Admitted), RingOrder.Of(Business, [Ana.Id]), Roster, T0), events);
        state = Run(machine.Accept(state, Ana, T0.AddSeconds(3)), events);
        state = Run(machine.MediaConnected(state, T0.AddSeconds(4)), events);
        state = Run(machine.StartTransfer(state, Ana.Id, Ben, "billing question", T0.AddSeconds(30)), events);
        Run(machine.AcceptTransfer(state, Ben, T0.AddSeconds(35)), events);

        var transferred = Assert.Single(events, e => e.Type == IntegrationEventTypes.Transferred);
        Assert.Equal("ben", transferred.Data.AgentId);
        Assert.StartsWith($"{Call}:transferred:", transferred.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outbound_call_unanswered_then_relabelled_rejected_ends_once_by_id()
    {
        var machine = new OutboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = RunOut(machine.Placed(OutboundCall.New(Call), new OutboundPlacement(Call, Ana.Id, Business, Customer, T0)), events);
        state = RunOut(machine.Terminate(state, new CallTermination(Call, T0.AddSeconds(30), false, null)), events);
        RunOut(machine.CustomerRejected(state, T0.AddSeconds(31)), events);

        Assert.Equal(IntegrationEventTypes.Started, events[0].Type);
        Assert.Equal("outbound", events[0].Data.Direction);
        Assert.Equal("ana", events[0].Data.AgentId);
        // Two timeline lines say the call ended; both carry the one "ended" id, so the second is dropped downstream.
        var ends = events.Where(e => e.Type == IntegrationEventTypes.Ended).ToList();
        Assert.NotEmpty(ends);
        Assert.Single(ends.Select(e => e.Id).Distinct());
        Assert.Equal("unanswered", ends[0].Data.Outcome);
    }

    [Fact]
    public void An_answered_outbound_call_is_answered_when_the_customer_picks_up()
    {
        var machine = new OutboundCallMachine(CallingRules.Default);
        var events = new List<IntegrationEvent>();
        var state = RunOut(machine.Placed(OutboundCall.New(Call), new OutboundPlacement(Call, Ana.Id, Business, Customer, T0)), events);
        state = RunOut(machine.AnswerReceived(state, T0.AddSeconds(2)), events);
        state = RunOut(machine.CustomerAnswered(state, T0.AddSeconds(9)), events);
        RunOut(machine.Terminate(state, new CallTermination(Call, T0.AddSeconds(70), true, TimeSpan.FromSeconds(61))), events);

        Assert.Equal([IntegrationEventTypes.Started, IntegrationEventTypes.Answered, IntegrationEventTypes.Ended], events.Select(e => e.Type).ToArray());
        Assert.Equal(T0.AddSeconds(9), events[1].Time);
        Assert.Equal(61, events[2].Data.DurationSeconds);
    }

    /// <summary>
    /// Any order and repetition of webhooks, accepts and hang-ups: per call at most one distinct id for started,
    /// answered, ended and missed; an answer always follows a start; and a call is never both missed and answered.
    /// </summary>
    [Fact]
    public void Whatever_the_order_of_inputs_each_fact_has_one_id()
    {
        var machine = new InboundCallMachine(CallingRules.Default);
        var steps = Gen.Choose(0, 5).ListOf().Select(l => l.Take(14).ToList()).ToArbitrary();
        Prop.ForAll(steps, walk =>
        {
            var events = new List<IntegrationEvent>();
            var state = InboundCall.New(Call);
            var now = T0;
            foreach (var step in walk)
            {
                now = now.AddSeconds(3);
                var transition = step switch
                {
                    0 => machine.Offer(state, new InboundOffer(Call, Business, Customer, now, CallAdmission.Admitted), RingOrder.Of(Business, [Ana.Id, Ben.Id]), Roster, now),
                    1 => machine.Accept(state, Ana, now),
                    2 => machine.MediaConnected(state, now),
                    3 => machine.Terminate(state, new CallTermination(Call, now, state.AcceptedAt is not null, TimeSpan.FromSeconds(7), Business, Customer)),
                    4 => machine.Decline(state, Ana.Id, Roster, now),
                    _ => machine.End(state, Ana.Id, now),
                };
                state = Run(transition, events);
            }

            var byType = events.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Select(e => e.Id).Distinct().Count());
            var once = byType.Where(p => p.Key != IntegrationEventTypes.Transferred).All(p => p.Value == 1);
            var answeredAfterStart = !byType.ContainsKey(IntegrationEventTypes.Answered) || byType.ContainsKey(IntegrationEventTypes.Started);
            var notBoth = !(byType.ContainsKey(IntegrationEventTypes.Missed) && byType.ContainsKey(IntegrationEventTypes.Answered));
            return once && answeredAfterStart && notBoth;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void A_billed_event_carries_the_charge_and_a_stable_id()
    {
        var charge = new CallCharge(3, new Money(0.0378m), new Money(0.0567m), 0m, Market.Parse("United Kingdom"), Market.Parse("United Kingdom"), "card-1", false);
        var first = CallIntegrationEvents.Billed(Call, JournalCallDirection.Outbound, Business, Customer, charge, T0);
        var again = CallIntegrationEvents.Billed(Call, JournalCallDirection.Outbound, Business, Customer, charge, T0.AddMinutes(5));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(0.0567m, first.Data.AmountUsd);
        Assert.Equal(3, first.Data.Pulses);
        Assert.Equal(0.0378m, first.Data.PerMinuteRateUsd);
        Assert.Equal("United Kingdom", first.Data.Market);
        var json = System.Text.Json.JsonDocument.Parse(first.ToJson()).RootElement;
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("com.whatsappcalling.call.billed", json.GetProperty("type").GetString());
        Assert.Equal(Call.Value, json.GetProperty("subject").GetString());
        Assert.Equal(0.0567m, json.GetProperty("data").GetProperty("amountUsd").GetDecimal());
        Assert.False(json.GetProperty("data").TryGetProperty("agentId", out _));
        Assert.Equal(first, IntegrationEvent.FromJson(first.ToJson()) with { Data = first.Data });
    }

    [Fact]
    public void An_id_longer_than_Service_Bus_allows_is_hashed_the_same_way_every_time()
    {
        var longCall = "wacid." + new string('A', 140);
        var id = IntegrationEvent.IdOf(longCall, IntegrationEventTypes.Ended);
        Assert.Equal(64, id.Length);
        Assert.Equal(id, IntegrationEvent.IdOf(longCall, IntegrationEventTypes.Ended));
        Assert.NotEqual(id, IntegrationEvent.IdOf(longCall, IntegrationEventTypes.Started));
    }

    private static InboundCall Run(CallTransition<InboundCall> transition, List<IntegrationEvent> events)
    {
        var s = transition.State;
        Collect(transition.Effects, new JournalCall(s.CallId, JournalCallDirection.Inbound, s.Business, s.Customer, s.Agent), events);
        return s;
    }

    private static OutboundCall RunOut(CallTransition<OutboundCall> transition, List<IntegrationEvent> events)
    {
        var s = transition.State;
        Collect(transition.Effects, new JournalCall(s.CallId, JournalCallDirection.Outbound, s.Business, s.Customer, s.Agent), events);
        return s;
    }

    private static void Collect(ImmutableArray<CallEffect> effects, JournalCall call, List<IntegrationEvent> events)
    {
        foreach (var effect in effects)
        {
            var evt = effect switch
            {
                RecordTimeline line => CallIntegrationEvents.FromTimeline(call, line.Entry),
                RecordMissedCall missed => CallIntegrationEvents.FromMissed(call, missed),
                _ => null,
            };
            if (evt is not null)
            {
                events.Add(evt);
            }
        }
    }
}
