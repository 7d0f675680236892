using WhatsAppCalling.Domain.Webhooks;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// Turns parsed call webhooks (<see cref="CallEvent"/>) into the machines' own inputs, so the machines stay free of
/// the wire model. Meta's <c>timestamp</c> is the event time; <paramref name="receivedAt"/> stands in when it is missing.
/// </summary>
public static class CallWebhookInputs
{
    /// <summary>A user-initiated <c>connect</c> (SDP offer, §1.5) with the shell's admission verdict; null for other connects.</summary>
    public static InboundOffer? ToInboundOffer(CallConnected connect, CallAdmission admission, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(connect);
        if (!connect.IsOffer || connect.Direction == CallDirection.BusinessInitiated || connect.BusinessNumberId is not { } business)
        {
            return null;
        }

        return new InboundOffer(connect.CallId, business, connect.ContactKey, connect.Timestamp ?? receivedAt, admission);
    }

    /// <summary><c>terminate</c> (§1.8): picked up when Meta sent a start time or a positive duration.</summary>
    public static CallTermination ToTermination(CallTerminated terminated, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(terminated);
        return new CallTermination(
            terminated.CallId,
            terminated.EndTime ?? terminated.Timestamp ?? receivedAt,
            terminated.WasPickedUp,
            terminated.WasPickedUp ? terminated.Duration ?? DurationFrom(terminated) : null,
            terminated.BusinessNumberId,
            terminated.ContactKey);
    }

    /// <summary>
    /// Applies any webhook of a business-initiated call (§1.6–§1.8). Events of the other direction, unknown statuses
    /// and unknown events change nothing.
    /// </summary>
    public static CallTransition<OutboundCall> ApplyToOutbound(OutboundCallMachine machine, OutboundCall state, CallEvent callEvent, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(callEvent);
        var at = callEvent.Timestamp ?? receivedAt;
        return callEvent switch
        {
            CallConnected { IsOffer: false } => machine.AnswerReceived(state, at),
            CallStatusChanged { Status: CallStatus.Ringing } => machine.CustomerRinging(state, at),
            CallStatusChanged { Status: CallStatus.Accepted } => machine.CustomerAnswered(state, at),
            CallStatusChanged { Status: CallStatus.Rejected } => machine.CustomerRejected(state, at),
            CallTerminated terminated => machine.Terminate(state, ToTermination(terminated, receivedAt)),
            _ => CallTransition.Unchanged(state),
        };
    }

    private static TimeSpan? DurationFrom(CallTerminated terminated) =>
        terminated is { StartTime: { } start, EndTime: { } end } && end >= start ? end - start : null;
}
