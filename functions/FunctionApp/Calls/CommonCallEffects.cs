using System.Globalization;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// The facts of a call, inbound or placed, that the effects both directions share need: who is on it, its transfer,
/// how it ended, and where its media lives (<see cref="RelaySession"/>: the call id for inbound calls, the relay's own
/// session id for placed ones, unknown until Graph's reply is linked).
/// </summary>
public sealed record CallEffectContext(
    CallId CallId,
    long Version,
    CallId? RelaySession,
    string TimerKind,
    JournalCall Journal,
    ContactKey? Customer,
    TransferState? Transfer,
    CallActor? EndedBy,
    TimeSpan? Duration,
    DispositionStatus Disposition,
    string? BrowserOfferSdp = null,
    AgentId? TransferTarget = null);

/// <summary>
/// Effects that mean the same on inbound and placed calls (Domain/Calls/README.md, "Effects → adapters"): the agent
/// rows, durable timers, the agent legs at the relay (attach, transfer switch), the timeline, and the notifications of
/// an ended call and of transfers. Each runner hands its effect here first and keeps only what is its own
/// (Graph actions, Meta's leg, billing). Every adapter is idempotent, so a repeat is safe.
/// </summary>
public sealed class CommonCallEffects(
    AgentDirectory agents,
    IAgentNotifier notifier,
    IMediaRelay relay,
    IDurableTimers timers,
    CallJournal journal,
    TimeProvider time,
    ILogger<CommonCallEffects> logger)
{
    /// <summary>The relay's leg id for an agent: the agent id with anything outside the allowed characters replaced.</summary>
    public static string LegIdOf(AgentId agent)
    {
        var chars = agent.Value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').Take(60).ToArray();
        return "a-" + new string(chars);
    }

    /// <summary>
    /// Runs <paramref name="effect"/> if it is a shared one; <c>Handled</c> is false for effects the caller owns.
    /// <paramref name="batch"/> is the whole list the effect came in (a transfer target joins silent when a switch follows).
    /// </summary>
    public async Task<(bool Handled, AgentLegSdp? Leg)> TryRunAsync(CallEffect effect, CallEffectContext call, IReadOnlyList<CallEffect> batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(effect);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(batch);
        switch (effect)
        {
            case AssignAgent assign:
                await agents.SetActiveCallAsync(assign.Agent, call.CallId, call.CallId, ct);
                return (true, null);
            case ReleaseAgent release:
                await agents.SetActiveCallAsync(release.Agent, null, call.CallId, ct);
                return (true, null);
            case ScheduleTimer schedule:
                await timers.ScheduleAsync(
                    new DurableTimer(call.TimerKind, call.CallId.Value, schedule.Timer.Version, schedule.Timer.DueAt, schedule.Timer.Kind.ToString()), ct);
                return (true, null);
            case AttachAgentToRelay attach:
                var silent = batch.Any(e => e is SwitchAgentLeg s && s.To == attach.Agent);
                return (true, await AttachAsync(call, attach.Agent, active: !silent, ct));
            case SwitchAgentLeg transfer:
                await SwitchAsync(call, transfer, ct);
                return (true, null);
            case RecordTimeline entry:
                await journal.TimelineAsync(call.Journal, entry.Entry, ct);
                return (true, null);
            case NotifyCallEnded ended:
                var dispositionDue = call.Disposition is { Stage: DispositionStage.Required } due && due.Agent == ended.Agent;
                await notifier.NotifyAgentAsync(ended.Agent, new CallEndedNotification(
                    call.CallId.Value, EndedByOf(call.EndedBy), (int?)call.Duration?.TotalSeconds, dispositionDue) { At = time.GetUtcNow() }, ct);
                return (true, null);
            case NotifyTransferOffered offered:
                logger.LogInformation("Call {CallId}: transfer offered to {AgentId} by {FromAgentId}", call.CallId, offered.Target, offered.From);
                await notifier.NotifyAgentAsync(offered.Target, new TransferOfferedNotification(
                    call.CallId.Value, TransferIdOf(call), offered.From.Value, Customer(call.Customer), offered.Note,
                    call.Transfer?.RevertAt ?? time.GetUtcNow()) { At = time.GetUtcNow() }, ct);
                return (true, null);
            case NotifyTransferOutcome outcome:
                await NotifyTransferOutcomeAsync(call, outcome, ct);
                return (true, null);
            default:
                return (false, null);
        }
    }

    /// <summary>
    /// Who ended a call as the API says it (docs/API.md): <c>customer</c>, the agent's id, <c>system</c> (our rules,
    /// e.g. the ring budget), or <c>meta</c> when Meta's <c>terminate</c> does not say which side hung up.
    /// </summary>
    public static string EndedByOf(CallActor? who) => who switch
    {
        { Agent: { } agent } => agent.Value,
        { Kind: CallActorKind.Customer } => "customer",
        { Kind: CallActorKind.System } => "system",
        _ => "meta",
    };

    /// <summary>The customer as a console shows them.</summary>
    public static NotifiedCustomer Customer(ContactKey? key) => new(key?.Value ?? string.Empty, key?.Phone?.ToString(), null);

    /// <summary>
    /// How a transfer ended, as the console's banners need it (docs/API.md, "Notifications"): accepted to both, a
    /// decline, timeout or cancellation as <c>transferReverted</c>, a refused start as <c>transferFailed</c>.
    /// </summary>
    private async Task NotifyTransferOutcomeAsync(CallEffectContext call, NotifyTransferOutcome outcome, CancellationToken ct)
    {
        logger.LogInformation("Call {CallId}: transfer {Outcome}, telling {AgentId}", call.CallId, outcome.Outcome, outcome.Agent);
        var now = time.GetUtcNow();
        var transfer = call.Transfer;
        AgentNotification notification = outcome.Outcome switch
        {
            TransferOutcome.Failed => new TransferFailedNotification(
                call.CallId.Value, (call.Version + 1).ToString(CultureInfo.InvariantCulture), call.TransferTarget?.Value ?? string.Empty,
                outcome.Reason?.ToString() ?? "failed", outcome.Reason is { } reason ? CallRefusals.Describe(reason) : "The transfer failed.") { At = now },
            TransferOutcome.Accepted => new TransferAcceptedNotification(
                call.CallId.Value, TransferIdOf(call), transfer?.From.Value ?? string.Empty, transfer?.To.Value ?? string.Empty) { At = now },
            _ => new TransferRevertedNotification(
                call.CallId.Value, TransferIdOf(call), transfer?.From.Value ?? string.Empty, transfer?.To.Value ?? string.Empty,
                outcome.Outcome switch
                {
                    TransferOutcome.Declined => "declined",
                    TransferOutcome.RevertedUnanswered => "timeout",
                    _ => "cancelled",
                }) { At = now },
        };
        await notifier.NotifyAgentAsync(outcome.Agent, notification, ct);
    }

    /// <summary>A transfer is named by the call's version when it started (what its revert timer carries).</summary>
    private static string TransferIdOf(CallEffectContext call) =>
        call.Transfer?.Version.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private async Task<AgentLegSdp> AttachAsync(CallEffectContext call, AgentId agent, bool active, CancellationToken ct)
    {
        var offer = call.BrowserOfferSdp ?? throw new InvalidOperationException($"Call {call.CallId}: attaching {agent} needs the browser's offer.");
        var session = SessionOf(call);
        var leg = await relay.AddAgentLegAsync(session, new AgentLegRequest(LegIdOf(agent), agent, offer, active), ct);
        logger.LogInformation("Call {CallId}: agent {AgentId} joined relay session {SessionId} as leg {LegId} (active: {Active})",
            call.CallId, agent, session, leg.LegId, active);
        return leg;
    }

    /// <summary>
    /// Transfer accepted (docs/RELAY-API.md, "switch the active agent leg"): the customer's audio moves to the
    /// teammate's leg, then the initiator's now silent leg is removed. Both requests are idempotent.
    /// </summary>
    private async Task SwitchAsync(CallEffectContext call, SwitchAgentLeg transfer, CancellationToken ct)
    {
        var session = SessionOf(call);
        var switched = await relay.SwitchActiveLegAsync(session, LegIdOf(transfer.To), ct);
        await relay.RemoveAgentLegAsync(session, LegIdOf(transfer.From), ct);
        logger.LogInformation("Call {CallId}: relay switched from leg {PreviousLegId} to {LegId}; {AgentId}'s leg removed",
            call.CallId, switched.PreviousLegId, switched.ActiveLegId, transfer.From);
    }

    private static CallId SessionOf(CallEffectContext call) =>
        call.RelaySession ?? throw new InvalidOperationException($"Call {call.CallId}: no relay session is linked to the call.");
}
