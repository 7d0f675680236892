using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

public enum CallActorKind
{
    Customer,
    Agent,

    /// <summary>Our own rules: ring escalation, budgets, admission checks.</summary>
    System,

    /// <summary>Meta ended or changed the call (a webhook).</summary>
    Meta,
}

/// <summary>Who caused a change on a call's timeline.</summary>
public readonly record struct CallActor(CallActorKind Kind, AgentId? Agent = null)
{
    public static CallActor Customer { get; } = new(CallActorKind.Customer);

    public static CallActor System { get; } = new(CallActorKind.System);

    public static CallActor Meta { get; } = new(CallActorKind.Meta);

    public static CallActor Of(AgentId agent) => new(CallActorKind.Agent, agent);

    public override string ToString() => Agent is { } id ? $"agent:{id}" : Kind.ToString();
}

public enum CallTimelineKind
{
    Offered,
    Rejected,
    Ringing,
    RingEscalated,
    Declined,
    Accepted,
    Connected,
    Ended,
    Missed,
    Placed,

    /// <summary>Outbound: Meta's SDP answer reached the relay (§1.6).</summary>
    AnswerApplied,

    /// <summary>Meta's <c>terminate</c> confirmed a call we had already closed; carries Meta's figures.</summary>
    TerminateConfirmed,
    CustomerRinging,
    CustomerRejected,
    Unanswered,
    TransferOffered,
    TransferFailed,
    TransferAccepted,
    TransferDeclined,
    TransferReverted,
    TransferCancelled,
    DispositionRecorded,

    /// <summary>The relay saw a leg stop carrying media (consent expired, DTLS closed, no packets).</summary>
    MediaLost,

    /// <summary>The relay stored the call's recording.</summary>
    RecordingReady,

    /// <summary>The agent muted or unmuted their leg at the relay.</summary>
    Muted,
}

/// <summary>
/// One line of a call's timeline: who did what, when (issue 8, Rules: "a call's state changes are recorded on its
/// timeline with who and when"). <paramref name="Detail"/> carries the reason or note a reader needs.
/// </summary>
public sealed record CallTimelineEntry(CallId CallId, DateTimeOffset At, CallActor Who, CallTimelineKind What, string? Detail = null);
