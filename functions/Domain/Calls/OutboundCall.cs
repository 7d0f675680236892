using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>The life of a business-initiated call (whatsapp-calling-api.md §1.6–§1.8, §2.1).</summary>
public enum OutboundCallPhase
{
    /// <summary>A call id we have heard nothing about yet (a webhook may beat Graph's reply to <c>connect</c>).</summary>
    New,

    /// <summary><c>connect</c> with the relay's offer was accepted by Graph; Meta's answer may or may not be applied.</summary>
    Connecting,

    /// <summary>Status RINGING: the customer's phone rings.</summary>
    Ringing,

    /// <summary>Status ACCEPTED or media up: the customer picked up.</summary>
    Connected,

    /// <summary>Answered and over.</summary>
    Ended,

    /// <summary>The customer declined (status REJECTED, §1.7).</summary>
    Rejected,

    /// <summary>Ended without pickup: nobody answered, Meta gave up, or the agent hung up first.</summary>
    Unanswered,
}

/// <summary>
/// How a finished outbound call went, for the consent module's unanswered streak (whatsapp-calling-api.md §3.5:
/// 2 → nudge, 4 → revocation) and for reports.
/// </summary>
public enum OutboundOutcome
{
    Answered,
    Rejected,
    Unanswered,
}

/// <summary>
/// The other modules' verdict on calling this customer now: consent (permission, limits) and billing (minimum
/// balance, market). The reasons are theirs, shown to the agent as they are.
/// </summary>
public sealed record OutboundVerdict(bool Allowed, ImmutableArray<string> Reasons)
{
    public static OutboundVerdict Allow { get; } = new(true, []);

    public static OutboundVerdict Deny(params string[] reasons) => new(false, [.. reasons]);
}

/// <summary>Whether a dial-out may start, and why not (issue 8, Rules: eligibility is "checked and explained").</summary>
public sealed record OutboundDecision(CallRefusal? Refusal, ImmutableArray<string> Reasons)
{
    public bool MayDial => Refusal is null;
}

/// <summary>Graph accepted our <c>connect</c> and returned the call id (§2.1).</summary>
public sealed record OutboundPlacement(CallId CallId, AgentId Agent, BusinessNumberId Business, ContactKey Customer, DateTimeOffset At);

/// <summary>The stored state of one outbound call; <see cref="Version"/> grows by one on every change.</summary>
public sealed record OutboundCall(
    CallId CallId,
    long Version,
    OutboundCallPhase Phase,
    AgentId? Agent = null,
    BusinessNumberId? Business = null,
    ContactKey? Customer = null,
    DateTimeOffset? PlacedAt = null,
    bool AnswerApplied = false,
    bool RejectedSeen = false,
    DateTimeOffset? RingingAt = null,
    DateTimeOffset? ConnectedAt = null,
    DateTimeOffset? EndedAt = null,
    TimeSpan? Duration = null,
    CallActor? EndedBy = null,
    bool MetaTerminated = false,
    TransferState? Transfer = null,
    DispositionStatus? Disposition = null)
{
    public static OutboundCall New(CallId callId) => new(callId, 0, OutboundCallPhase.New);

    public bool IsClosed => Phase is OutboundCallPhase.Ended or OutboundCallPhase.Rejected or OutboundCallPhase.Unanswered;

    public bool IsDialling => Phase is OutboundCallPhase.New or OutboundCallPhase.Connecting or OutboundCallPhase.Ringing;

    public OutboundOutcome? Outcome => Phase switch
    {
        OutboundCallPhase.Ended => OutboundOutcome.Answered,
        OutboundCallPhase.Rejected => OutboundOutcome.Rejected,
        OutboundCallPhase.Unanswered => OutboundOutcome.Unanswered,
        _ => null,
    };

    public DispositionStatus DispositionStatus => Disposition ?? DispositionStatus.NotRequired;
}
