using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

public enum CallTimerKind
{
    /// <summary>The current ring step has had its time; ring the next one.</summary>
    RingEscalation,

    /// <summary>The whole ring budget is spent; the call is missed.</summary>
    RingBudget,

    /// <summary>A transfer was not answered in time; the call stays with the initiator.</summary>
    TransferRevert,
}

/// <summary>
/// A durable timer (architecture.md, decision 3): the shell fires it at <paramref name="DueAt"/> and hands it back;
/// it is a no-op unless <paramref name="Version"/> still matches what it was set for.
/// </summary>
public sealed record CallTimer(CallId CallId, CallTimerKind Kind, DateTimeOffset DueAt, long Version);

public enum IncomingCallWithdrawal
{
    /// <summary>The ring moved to another step; the call may still come back in a "ring all" step.</summary>
    RingMoved,
    TakenByAnotherAgent,
    Missed,
    Declined,
}

public enum TransferOutcome
{
    Accepted,
    Declined,
    RevertedUnanswered,
    Failed,
    Cancelled,
}

/// <summary>
/// A command for the shell, produced by a transition. The shell runs them in order after it stored the new state
/// (see README.md); each is safe to repeat because a stored state is only ever produced once per version.
/// </summary>
public abstract record CallEffect(CallId CallId);

// Agent notifications (SignalR, issue 8 "What to build" 3).
public sealed record NotifyIncomingCall(CallId CallId, AgentId Agent, ContactKey? Customer, BusinessNumberId Business, bool CanAcceptNow) : CallEffect(CallId);

public sealed record WithdrawIncomingCall(CallId CallId, AgentId Agent, IncomingCallWithdrawal Reason) : CallEffect(CallId);

public sealed record NotifyCallEnded(CallId CallId, AgentId Agent) : CallEffect(CallId);

/// <summary>A call the agent placed moved on (connecting, ringing the customer, answered): their dialling card follows it.</summary>
public sealed record NotifyPlacedCallProgress(CallId CallId, AgentId Agent, OutboundCallPhase Phase) : CallEffect(CallId);

public sealed record NotifyTransferOffered(CallId CallId, AgentId Target, AgentId From, string? Note) : CallEffect(CallId);

/// <summary>Tells <paramref name="Agent"/> how a transfer ended; <paramref name="Reason"/> is what the snackbar shows.</summary>
public sealed record NotifyTransferOutcome(CallId CallId, AgentId Agent, TransferOutcome Outcome, CallRefusal? Reason) : CallEffect(CallId);

// Graph API call actions (whatsapp-calling-api.md §2).
public sealed record SendPreAccept(CallId CallId) : CallEffect(CallId);

public sealed record SendAccept(CallId CallId, AgentId Agent) : CallEffect(CallId);

public sealed record SendReject(CallId CallId, string Reason) : CallEffect(CallId);

public sealed record SendTerminate(CallId CallId) : CallEffect(CallId);

// Relay control API (architecture.md, the relay's contract).
/// <summary>Create the relay session from Meta's offer (the SDP is in the connect webhook the shell holds).</summary>
public sealed record OpenRelaySession(CallId CallId) : CallEffect(CallId);

/// <summary>Outbound: Meta's SDP answer from the connect webhook goes to the relay (§1.6).</summary>
public sealed record ApplyAnswerToRelay(CallId CallId) : CallEffect(CallId);

public sealed record AttachAgentToRelay(CallId CallId, AgentId Agent) : CallEffect(CallId);

/// <summary>Transfer: the relay swaps the active agent leg; the Meta leg stays as it is (§5.7).</summary>
public sealed record SwitchAgentLeg(CallId CallId, AgentId From, AgentId To) : CallEffect(CallId);

public sealed record EndRelaySession(CallId CallId) : CallEffect(CallId);

// Agent assignment: the row that makes an agent "on a call" (issue 8, Rules).
public sealed record AssignAgent(CallId CallId, AgentId Agent) : CallEffect(CallId);

public sealed record ReleaseAgent(CallId CallId, AgentId Agent) : CallEffect(CallId);

// Timers, records, billing.
public sealed record ScheduleTimer(CallTimer Timer) : CallEffect(Timer.CallId);

public sealed record RecordTimeline(CallTimelineEntry Entry) : CallEffect(Entry.CallId);

/// <summary>A missed inbound call becomes a contact event so someone can follow up (respond.io seed, missed calls).</summary>
public sealed record RecordMissedCall(CallId CallId, BusinessNumberId Business, ContactKey? Customer, DateTimeOffset At, MissReason Reason) : CallEffect(CallId);

public sealed record RequestDisposition(CallId CallId, AgentId Agent) : CallEffect(CallId);

/// <summary>Hand the ended call to billing (idempotent by call id; user-initiated calls are free, §6.1).</summary>
public sealed record ChargeCall(CallId CallId, bool BusinessInitiated, TimeSpan Duration) : CallEffect(CallId);
