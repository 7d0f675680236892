using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The life of a user-initiated call. <see cref="New"/> is the state of a call id we have heard nothing about, so a
/// <c>terminate</c> arriving before its <c>connect</c> (whatsapp-calling-api.md §1.4) has a state to land on.
/// </summary>
public enum InboundCallPhase
{
    New,

    /// <summary>Closed by us at <c>connect</c>: calling off, balance under the minimum, or outside business hours.</summary>
    Rejected,

    /// <summary>Pre-accepted and ringing agents per the ring order.</summary>
    Ringing,

    /// <summary>One agent won; <c>accept</c> is being sent.</summary>
    Accepted,
    Connected,
    Ended,
    Missed,
}

/// <summary>The shell's verdict on a <c>connect</c> before anyone rings (issue 8, Rules: inbound call).</summary>
public enum CallAdmission
{
    Admitted,
    CallingDisabled,

    /// <summary>Billing's $10 minimum-balance check failed (respond.io seed, receiving calls).</summary>
    BalanceBelowMinimum,
    OutsideBusinessHours,
}

public enum MissReason
{
    /// <summary>Nobody answered within <see cref="CallingRules.RingBudget"/>.</summary>
    RingBudgetSpent,

    /// <summary>Meta ended the call while it rang: the caller hung up or Meta's own accept window ran out (§0).</summary>
    EndedWhileRinging,

    /// <summary>Every agent who could take the call declined it.</summary>
    AllAgentsDeclined,

    /// <summary>No agent of the ring order could be rung or even notified.</summary>
    NoAgentAvailable,
}

/// <summary><c>connect</c> of a user-initiated call (§1.5), with the shell's admission verdict.</summary>
public sealed record InboundOffer(CallId CallId, BusinessNumberId Business, ContactKey? Customer, DateTimeOffset At, CallAdmission Admission);

/// <summary><c>terminate</c> of either direction (§1.8). Meta's duration is the billed one.</summary>
public sealed record CallTermination(
    CallId CallId,
    DateTimeOffset At,
    bool PickedUp,
    TimeSpan? Duration,
    BusinessNumberId? Business = null,
    ContactKey? Customer = null);

/// <summary>The ring in progress. <see cref="StepVersion"/> is what the current escalation timer carries.</summary>
public sealed record InboundRing(
    RingOrder Order,
    int Step,
    DateTimeOffset StartedAt,
    DateTimeOffset BudgetEndsAt,
    long StartVersion,
    long StepVersion,
    ImmutableArray<AgentId> Ringing,
    ImmutableArray<AgentId> NotifiedOnly,
    ImmutableArray<AgentId> Offered,
    ImmutableArray<AgentId> Declined)
{
    /// <summary>Everyone who currently sees the call in their console.</summary>
    public IEnumerable<AgentId> Showing => Ringing.Concat(NotifiedOnly.Except(Ringing));
}

/// <summary>
/// The stored state of one inbound call. Immutable; <see cref="Version"/> grows by one on every change and is what
/// durable timers carry, while the store's ETag guards concurrent writers (README.md).
/// </summary>
public sealed record InboundCall(
    CallId CallId,
    long Version,
    InboundCallPhase Phase,
    BusinessNumberId? Business = null,
    ContactKey? Customer = null,
    DateTimeOffset? OfferedAt = null,
    CallAdmission? RejectedFor = null,
    InboundRing? Ring = null,
    AgentId? Agent = null,
    DateTimeOffset? AcceptedAt = null,
    DateTimeOffset? ConnectedAt = null,
    DateTimeOffset? EndedAt = null,
    TimeSpan? Duration = null,
    CallActor? EndedBy = null,
    MissReason? Missed = null,
    bool MetaTerminated = false,
    TransferState? Transfer = null,
    DispositionStatus? Disposition = null)
{
    public static InboundCall New(CallId callId) => new(callId, 0, InboundCallPhase.New);

    public bool InProgress => Phase is InboundCallPhase.Accepted or InboundCallPhase.Connected;

    public bool IsClosed => Phase is InboundCallPhase.Ended or InboundCallPhase.Missed or InboundCallPhase.Rejected;

    public DispositionStatus DispositionStatus => Disposition ?? DispositionStatus.NotRequired;
}
