using System.Collections.Immutable;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Tests.Calls;

/// <summary>Shared names and builders for the call tests; times are seconds after <see cref="T0"/>.</summary>
internal static class CallScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static readonly BusinessNumberId Business = new("106540352242922");

    public static readonly ContactKey Customer = ContactKey.ForPhone(PhoneNumber.Parse("+4915112345678"));

    public static readonly CallId Call = new("wacid.HBgLMTIzNDU2Nzg5MDEVAgARGBI");

    public static readonly AgentId Ana = new("ana");
    public static readonly AgentId Ben = new("ben");
    public static readonly AgentId Cy = new("cy");
    public static readonly AgentId Dee = new("dee");

    public static DateTimeOffset S(double seconds) => T0.AddSeconds(seconds);

    public static Agent Available(AgentId id) => new(id, AgentPresence.Available, AgentCapabilities.Full);

    public static Agent Offline(AgentId id) => Available(id) with { Presence = AgentPresence.Offline };

    public static Agent Away(AgentId id) => Available(id) with { Presence = AgentPresence.Away };

    public static Agent Restricted(AgentId id) => Available(id) with { Capabilities = AgentCapabilities.Full with { Restricted = true } };

    public static Agent OnCall(AgentId id, string call = "wacid.other") => Available(id) with { ActiveCall = new CallId(call) };

    public static AgentRoster AllAvailable { get; } = AgentRoster.Of(Available(Ana), Available(Ben), Available(Cy), Available(Dee));

    public static RingOrder Order(params AgentId[] agents) => RingOrder.Of(Business, agents);

    public static RingOrder OrderWithRingAll(params AgentId[] agents) => Order(agents) with { RingAllRemaining = true };

    public static InboundOffer Offer(CallAdmission admission = CallAdmission.Admitted, double at = 0) => new(Call, Business, Customer, S(at), admission);

    public static CallTermination Hangup(double at, bool pickedUp = false, double? duration = null) =>
        new(Call, S(at), pickedUp, duration is { } d ? TimeSpan.FromSeconds(d) : null, Business, Customer);

    public static IEnumerable<T> Of<T>(this ImmutableArray<CallEffect> effects) => effects.OfType<T>();

    public static CallTimer Timer(this ImmutableArray<CallEffect> effects, CallTimerKind kind) =>
        effects.OfType<ScheduleTimer>().Select(t => t.Timer).Single(t => t.Kind == kind);

    public static IEnumerable<CallTimelineKind> Timeline(this ImmutableArray<CallEffect> effects) =>
        effects.OfType<RecordTimeline>().Select(t => t.Entry.What);

    public static IEnumerable<AgentId> Rung(this ImmutableArray<CallEffect> effects) =>
        effects.OfType<NotifyIncomingCall>().Where(n => n.CanAcceptNow).Select(n => n.Agent);

    public static IEnumerable<AgentId> NotifiedOnly(this ImmutableArray<CallEffect> effects) =>
        effects.OfType<NotifyIncomingCall>().Where(n => !n.CanAcceptNow).Select(n => n.Agent);
}

/// <summary>Drives one inbound call step by step and remembers the last transition's effects.</summary>
internal sealed class InboundDriver(RingOrder order, AgentRoster? roster = null, CallingRules? rules = null)
{
    public InboundCallMachine Machine { get; } = new(rules ?? CallingRules.Default);

    public AgentRoster Roster { get; set; } = roster ?? CallScenario.AllAvailable;

    public InboundCall State { get; private set; } = InboundCall.New(CallScenario.Call);

    public CallTransition<InboundCall> Last { get; private set; } = CallTransition.Unchanged(InboundCall.New(CallScenario.Call));

    public ImmutableArray<CallEffect> Effects => Last.Effects;

    public InboundDriver Offered(double at = 0, CallAdmission admission = CallAdmission.Admitted) =>
        Apply(Machine.Offer(State, CallScenario.Offer(admission, at), order, Roster, CallScenario.S(at)));

    public InboundDriver Declines(AgentId agent, double at) => Apply(Machine.Decline(State, agent, Roster, CallScenario.S(at)));

    public InboundDriver Accepts(AgentId agent, double at) =>
        Apply(Machine.Accept(State, Roster.Find(agent) ?? CallScenario.Offline(agent), CallScenario.S(at)));

    public InboundDriver RosterChanges(AgentRoster roster, double at)
    {
        Roster = roster;
        return Apply(Machine.RosterChanged(State, roster, CallScenario.S(at)));
    }

    public InboundDriver Connected(double at) => Apply(Machine.MediaConnected(State, CallScenario.S(at)));

    public InboundDriver Fires(CallTimer timer, double at) => Apply(Machine.TimerFired(State, timer, Roster, CallScenario.S(at)));

    public InboundDriver Terminated(double at, bool pickedUp = false, double? duration = null) =>
        Apply(Machine.Terminate(State, CallScenario.Hangup(at, pickedUp, duration)));

    public InboundDriver Ends(AgentId agent, double at) => Apply(Machine.End(State, agent, CallScenario.S(at)));

    public InboundDriver Transfers(AgentId from, AgentId to, double at, string? note = null) =>
        Apply(Machine.StartTransfer(State, from, Roster.Find(to), note, CallScenario.S(at)));

    public InboundDriver AcceptsTransfer(AgentId agent, double at) =>
        Apply(Machine.AcceptTransfer(State, Roster.Find(agent) ?? CallScenario.Offline(agent), CallScenario.S(at)));

    public InboundDriver DeclinesTransfer(AgentId agent, double at) => Apply(Machine.DeclineTransfer(State, agent, CallScenario.S(at)));

    public InboundDriver Dispositions(AgentId agent, DispositionCode code, double at, string? note = null) =>
        Apply(Machine.RecordDisposition(State, agent, code, note, CallScenario.S(at)));

    /// <summary>An accepted call with media up, handled by <paramref name="agent"/>; the roster marks them on the call.</summary>
    public InboundDriver OnCallWith(AgentId agent, double at = 5)
    {
        Offered().Accepts(agent, at).Connected(at + 1);
        Roster = Roster.With((Roster.Find(agent) ?? CallScenario.Available(agent)) with { ActiveCall = CallScenario.Call });
        return this;
    }

    public InboundDriver Apply(CallTransition<InboundCall> transition)
    {
        Last = transition;
        State = transition.State;
        return this;
    }
}
