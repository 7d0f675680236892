namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// Why a command was not carried out. The agent console shows <see cref="CallRefusals.Describe"/> at once (the seed's
/// "snackbar"); the API maps the code to a 409 ProblemDetails.
/// </summary>
public enum CallRefusal
{
    AgentUnknown,
    AgentOffline,
    AgentAway,
    AgentRestricted,
    AgentMayNotReceiveCalls,
    AgentMayNotMakeCalls,
    AgentOnAnotherCall,
    NotOfferedToAgent,
    AlreadyDeclined,
    AlreadyTaken,
    CallNotRinging,
    CallNotInProgress,
    NotTheAgentOnTheCall,
    TransferToSelf,
    TransferAlreadyPending,
    NoTransferPending,
    NotTheTransferTarget,
    TransferNoteTooLong,
    CallNotEnded,
    DispositionNotRequired,
    DispositionAlreadyRecorded,
    UnknownDispositionCode,
    DispositionNoteTooLong,
    NotEligibleToCall,
}

public static class CallRefusals
{
    public static string Describe(CallRefusal refusal) => refusal switch
    {
        CallRefusal.AgentUnknown => "The agent is not known.",
        CallRefusal.AgentOffline => "The agent is offline.",
        CallRefusal.AgentAway => "The agent is away.",
        CallRefusal.AgentRestricted => "The agent's calling is restricted.",
        CallRefusal.AgentMayNotReceiveCalls => "The agent may not receive calls.",
        CallRefusal.AgentMayNotMakeCalls => "The agent may not make calls.",
        CallRefusal.AgentOnAnotherCall => "The agent is on another call; this is possible once that call ends.",
        CallRefusal.NotOfferedToAgent => "This call was not offered to the agent.",
        CallRefusal.AlreadyDeclined => "The agent already declined this call.",
        CallRefusal.AlreadyTaken => "Another agent already answered this call.",
        CallRefusal.CallNotRinging => "The call is no longer ringing.",
        CallRefusal.CallNotInProgress => "The call is not in progress.",
        CallRefusal.NotTheAgentOnTheCall => "Only the agent on the call may do this.",
        CallRefusal.TransferToSelf => "A call cannot be transferred to the agent who is on it.",
        CallRefusal.TransferAlreadyPending => "A transfer of this call is already waiting for an answer.",
        CallRefusal.NoTransferPending => "No transfer of this call is waiting for an answer.",
        CallRefusal.NotTheTransferTarget => "The transfer was offered to another agent.",
        CallRefusal.TransferNoteTooLong => "The transfer note is too long.",
        CallRefusal.CallNotEnded => "The call has not ended yet.",
        CallRefusal.DispositionNotRequired => "This call needs no disposition from the agent.",
        CallRefusal.DispositionAlreadyRecorded => "A disposition was already recorded for this call.",
        CallRefusal.UnknownDispositionCode => "The disposition is not one of the configured outcomes.",
        CallRefusal.DispositionNoteTooLong => "The disposition note is too long.",
        CallRefusal.NotEligibleToCall => "The customer cannot be called now.",
        _ => refusal.ToString(),
    };
}
