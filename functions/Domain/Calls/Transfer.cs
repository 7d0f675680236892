using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

public enum TransferPhase
{
    /// <summary>The teammate is being rung with the note; the initiator keeps the audio meanwhile.</summary>
    Offered,
    Accepted,
    Declined,
    RevertedUnanswered,

    /// <summary>The call ended while the teammate was still being rung.</summary>
    Cancelled,
}

/// <summary>
/// One transfer of a call from <paramref name="From"/> to <paramref name="To"/>. <paramref name="Version"/> is the
/// call's version when the transfer started; the revert timer carries it, so a timer left over from an earlier transfer,
/// or one that fires after an accept, finds a different version or phase and does nothing.
/// </summary>
public sealed record TransferState(
    AgentId From,
    AgentId To,
    string? Note,
    DateTimeOffset OfferedAt,
    DateTimeOffset RevertAt,
    long Version,
    TransferPhase Phase,
    DateTimeOffset? ClosedAt = null)
{
    public bool IsPending => Phase == TransferPhase.Offered;
}

/// <summary>What a transfer input did; <see cref="AgentOnCall"/> is set when the call changed hands.</summary>
public sealed record TransferStep(TransferState? Transfer, ImmutableArray<CallEffect> Effects, CallRefusal? Refusal = null, AgentId? AgentOnCall = null)
{
    public static TransferStep Unchanged(TransferState? transfer) => new(transfer, []);

    public static TransferStep Refuse(TransferState? transfer, CallRefusal refusal) => new(transfer, [], refusal);
}

/// <summary>
/// Warm transfer between agents (issue 8, Rules; respond.io seed, call transfers). The Meta leg never changes — the
/// transfer is purely business-side (whatsapp-calling-api.md §5.7) — so a revert needs no media work: the initiator
/// never lost the audio. The call machines call this and store its <see cref="TransferState"/> inside the call, which
/// makes "one transfer at a time per call" a property of one row with one ETag.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "One machine instance per rule set; every input is a method on it.")]
public sealed class TransferMachine(CallingRules rules)
{
    public CallingRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <param name="version">The version the call will have after this transition.</param>
    public TransferStep Start(CallId call, TransferState? current, AgentId initiator, Agent? target, string? note, DateTimeOffset now, long version)
    {
        if (current is { IsPending: true })
        {
            return TransferStep.Refuse(current, CallRefusal.TransferAlreadyPending);
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: var length } && length > Rules.MaxTransferNoteLength)
        {
            return TransferStep.Refuse(current, CallRefusal.TransferNoteTooLong);
        }

        var targetId = target?.Id ?? default;
        // Eligibility is checked when the initiator asks, not when the list was drawn: the teammate may have taken
        // another call since, and the initiator must see why at once (the seed's snackbar).
        if (AgentPolicy.TransferTargetRefusal(initiator, target) is { } refusal)
        {
            return new TransferStep(
                current,
                [
                    new NotifyTransferOutcome(call, initiator, TransferOutcome.Failed, refusal),
                    new RecordTimeline(new CallTimelineEntry(call, now, CallActor.Of(initiator), CallTimelineKind.TransferFailed, $"{targetId}: {CallRefusals.Describe(refusal)}")),
                ],
                refusal);
        }

        var revertAt = now + Rules.TransferRevert;
        var transfer = new TransferState(initiator, targetId, note, now, revertAt, version, TransferPhase.Offered);
        return new TransferStep(
            transfer,
            [
                new NotifyTransferOffered(call, targetId, initiator, note),
                new ScheduleTimer(new CallTimer(call, CallTimerKind.TransferRevert, revertAt, version)),
                new RecordTimeline(new CallTimelineEntry(call, now, CallActor.Of(initiator), CallTimelineKind.TransferOffered, note is null ? $"to {targetId}" : $"to {targetId}: {note}")),
            ]);
    }

    /// <summary>The teammate accepts: the relay swaps the agent leg and the initiator is released.</summary>
    public TransferStep Accept(CallId call, TransferState? current, Agent? agent, DateTimeOffset now)
    {
        if (current is null)
        {
            return TransferStep.Refuse(current, CallRefusal.NoTransferPending);
        }

        if (current.Phase == TransferPhase.Accepted && agent?.Id == current.To)
        {
            return TransferStep.Unchanged(current);
        }

        if (!current.IsPending)
        {
            return TransferStep.Refuse(current, CallRefusal.NoTransferPending);
        }

        if (agent is null || agent.Id != current.To)
        {
            return TransferStep.Refuse(current, CallRefusal.NotTheTransferTarget);
        }

        // A teammate who took another call after the offer is refused like any busy agent; the revert timer still runs.
        if (AgentPolicy.AcceptRefusal(agent, call) is { } refusal)
        {
            return TransferStep.Refuse(current, refusal);
        }

        var accepted = current with { Phase = TransferPhase.Accepted, ClosedAt = now };
        return new TransferStep(
            accepted,
            [
                new AssignAgent(call, current.To),
                new AttachAgentToRelay(call, current.To),
                new SwitchAgentLeg(call, current.From, current.To),
                new ReleaseAgent(call, current.From),
                new NotifyTransferOutcome(call, current.From, TransferOutcome.Accepted, null),
                new NotifyTransferOutcome(call, current.To, TransferOutcome.Accepted, null),
                new RecordTimeline(new CallTimelineEntry(call, now, CallActor.Of(current.To), CallTimelineKind.TransferAccepted, $"from {current.From}")),
            ],
            AgentOnCall: current.To);
    }

    /// <summary>The teammate declines: the call reverts at once, without waiting for the timer.</summary>
    public TransferStep Decline(CallId call, TransferState? current, AgentId agent, DateTimeOffset now)
    {
        if (current is not { IsPending: true })
        {
            return TransferStep.Refuse(current, CallRefusal.NoTransferPending);
        }

        if (agent != current.To)
        {
            return TransferStep.Refuse(current, CallRefusal.NotTheTransferTarget);
        }

        return Close(call, current, TransferPhase.Declined, TransferOutcome.Declined, CallActor.Of(agent), CallTimelineKind.TransferDeclined, now);
    }

    /// <summary>The revert timer fired: a no-op unless this very transfer is still waiting and its time has come.</summary>
    public TransferStep RevertDue(CallId call, TransferState? current, CallTimer timer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.Kind != CallTimerKind.TransferRevert
            || current is not { IsPending: true }
            || current.Version != timer.Version
            || now < current.RevertAt)
        {
            return TransferStep.Unchanged(current);
        }

        return Close(call, current, TransferPhase.RevertedUnanswered, TransferOutcome.RevertedUnanswered, CallActor.System, CallTimelineKind.TransferReverted, now);
    }

    /// <summary>The call ended while the teammate was being rung; they are told the offer is gone.</summary>
    public TransferStep Cancel(CallId call, TransferState? current, DateTimeOffset now)
    {
        if (current is not { IsPending: true })
        {
            return TransferStep.Unchanged(current);
        }

        var closed = current with { Phase = TransferPhase.Cancelled, ClosedAt = now };
        return new TransferStep(
            closed,
            [
                new NotifyTransferOutcome(call, current.To, TransferOutcome.Cancelled, CallRefusal.CallNotInProgress),
                new RecordTimeline(new CallTimelineEntry(call, now, CallActor.System, CallTimelineKind.TransferCancelled, $"to {current.To}")),
            ]);
    }

    // Declined and unanswered transfers end the same way: the initiator keeps the call and both agents are told.
    private static TransferStep Close(CallId call, TransferState current, TransferPhase phase, TransferOutcome outcome, CallActor who, CallTimelineKind kind, DateTimeOffset now) =>
        new(
            current with { Phase = phase, ClosedAt = now },
            [
                new NotifyTransferOutcome(call, current.From, outcome, null),
                new NotifyTransferOutcome(call, current.To, outcome, null),
                new RecordTimeline(new CallTimelineEntry(call, now, who, kind, $"back to {current.From}")),
            ]);
}
