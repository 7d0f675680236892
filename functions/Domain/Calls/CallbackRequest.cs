using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

public enum CallbackStage
{
    Open,
    Claimed,
    Completed,
}

public enum CallbackRefusal
{
    ClaimedByAnotherAgent,
    NotClaimedByAgent,
    AlreadyCompleted,
}

/// <summary>
/// A follow-up item: a missed call, or the customer's callback request after one (the automatic permission grant,
/// whatsapp-calling-api.md §1.10; respond.io seed, missed calls). One agent claims it so two do not call back, then
/// completes it (issue 8, Rules: "an agent can claim and complete").
/// </summary>
public sealed record CallbackRequest(
    BusinessNumberId Business,
    ContactKey Customer,
    CallId? MissedCall,
    DateTimeOffset RequestedAt,
    CallbackStage Stage = CallbackStage.Open,
    AgentId? ClaimedBy = null,
    DateTimeOffset? ClaimedAt = null,
    DateTimeOffset? CompletedAt = null,
    DateTimeOffset? CallbackRequestedAt = null,
    string? Note = null)
{
    /// <summary>The customer asked to be called back (the automatic permission grant after their call).</summary>
    public bool CallbackRequested => CallbackRequestedAt is not null;

    /// <summary>The missed call itself becomes a follow-up item, so it shows even when callbacks are off.</summary>
    public static CallbackRequest FromMissedCall(RecordMissedCall missed)
    {
        ArgumentNullException.ThrowIfNull(missed);
        if (missed.Customer is not { } customer)
        {
            throw new ArgumentException("A missed call without a known customer cannot be followed up.", nameof(missed));
        }

        return new(missed.Business, customer, missed.CallId, missed.At);
    }

    /// <summary>
    /// The customer's callback request lands on this item (the missed call it follows, or a request of its own). The
    /// first request time is kept, so a redelivered grant changes nothing; a completed item stays completed, because
    /// someone already followed up.
    /// </summary>
    public CallbackRequest RequestCallback(DateTimeOffset at) =>
        CallbackRequestedAt is not null || Stage == CallbackStage.Completed ? this : this with { CallbackRequestedAt = at };

    /// <summary>Claims the item; claiming it again as the same agent is harmless.</summary>
    public (CallbackRequest Request, CallbackRefusal? Refusal) Claim(AgentId agent, DateTimeOffset now) => Stage switch
    {
        CallbackStage.Completed => (this, CallbackRefusal.AlreadyCompleted),
        CallbackStage.Claimed when ClaimedBy == agent => (this, null),
        CallbackStage.Claimed => (this, CallbackRefusal.ClaimedByAnotherAgent),
        _ => (this with { Stage = CallbackStage.Claimed, ClaimedBy = agent, ClaimedAt = now }, null),
    };

    /// <summary>Completes the item, with the agent's optional note; only the agent who claimed it may.</summary>
    public (CallbackRequest Request, CallbackRefusal? Refusal) Complete(AgentId agent, DateTimeOffset now, string? note = null) => Stage switch
    {
        CallbackStage.Completed => (this, CallbackRefusal.AlreadyCompleted),
        CallbackStage.Claimed when ClaimedBy == agent => (this with { Stage = CallbackStage.Completed, CompletedAt = now, Note = note }, null),
        _ => (this, CallbackRefusal.NotClaimedByAgent),
    };
}
