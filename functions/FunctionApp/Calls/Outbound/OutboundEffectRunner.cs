using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.Storage.Timers;
using WhatsAppCalling.WhatsApp;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// Runs an outbound call's effects in order, after the new state was stored (Domain/Calls/README.md, "Effects →
/// adapters"). Every adapter is idempotent (relay by session id, agent rows by call id), so a repeat is safe.
/// Billing is not done here: <see cref="Billing.BillingEventHandler"/> charges a connected business-initiated call
/// from Meta's <c>terminate</c> webhook, keyed by the call id, so <see cref="ChargeCall"/> is only logged.
/// </summary>
public sealed class OutboundEffectRunner(
    AgentDirectory agents,
    IAgentNotifier notifier,
    IMediaRelay relay,
    IWhatsAppClient graph,
    IDurableTimers timers,
    CallJournal journal,
    TimeProvider time,
    ILogger<OutboundEffectRunner> logger)
{
    /// <summary>Durable timer kind of outbound calls (the inbound shell uses <c>inbound-call</c>).</summary>
    public const string TimerKind = "outbound-call";

    public async Task RunAsync(OutboundCall state, OutboundRelayLink link, IEnumerable<CallEffect> effects, bool graphAllowed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(effects);
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ApplyAnswerToRelay:
                    await ApplyAnswerAsync(state, link, ct);
                    break;
                case EndRelaySession when link.SessionId is { } session:
                    await relay.EndSessionAsync(session, state.Phase.ToString().ToLowerInvariant(), ct);
                    break;
                case EndRelaySession:
                    logger.LogInformation("Call {CallId}: no relay session known yet; the placing request ends it", state.CallId);
                    break;
                case SendTerminate when graphAllowed && state.Business is { } business:
                    var result = await graph.TerminateAsync(business, state.CallId, ct);
                    if (result.IsSuccess)
                    {
                        logger.LogInformation("Call {CallId}: Graph terminate sent", state.CallId);
                    }
                    else
                    {
                        // Meta ends an unanswered or abandoned call on its own; the state is already stored.
                        logger.LogWarning("Call {CallId}: Graph terminate failed: {Error}", state.CallId, result.Error);
                    }

                    break;
                case SendTerminate:
                    logger.LogInformation("Call {CallId}: terminate skipped (stale event or no business number)", state.CallId);
                    break;
                case AssignAgent assign:
                    await agents.SetActiveCallAsync(assign.Agent, state.CallId, state.CallId, ct);
                    break;
                case ReleaseAgent release:
                    await agents.SetActiveCallAsync(release.Agent, null, state.CallId, ct);
                    break;
                case ScheduleTimer schedule:
                    await timers.ScheduleAsync(
                        new DurableTimer(TimerKind, state.CallId.Value, schedule.Timer.Version, schedule.Timer.DueAt, schedule.Timer.Kind.ToString()), ct);
                    break;
                case NotifyCallEnded ended:
                    var dispositionDue = state.DispositionStatus is { Stage: DispositionStage.Required } due && due.Agent == ended.Agent;
                    await notifier.NotifyAgentAsync(ended.Agent, new CallEndedNotification(
                        state.CallId.Value, state.EndedBy?.ToString() ?? "Meta", (int?)state.Duration?.TotalSeconds, dispositionDue) { At = time.GetUtcNow() }, ct);
                    break;
                case RecordTimeline entry:
                    await journal.TimelineAsync(new JournalCall(state.CallId, JournalCallDirection.Outbound, state.Business, state.Customer, state.Agent), entry.Entry, ct);
                    break;
                case ChargeCall charge:
                    logger.LogInformation(
                        "Call {CallId}: {Seconds} s to bill; billing charges it from Meta's terminate webhook", state.CallId, (long)charge.Duration.TotalSeconds);
                    break;
                default:
                    logger.LogInformation("Call {CallId}: {Effect} recorded", state.CallId, effect);
                    break;
            }
        }
    }

    private async Task ApplyAnswerAsync(OutboundCall state, OutboundRelayLink link, CancellationToken ct)
    {
        if (link is not { SessionId: { } session, MetaAnswerSdp: { } answer })
        {
            // Meta's answer beat Graph's reply to connect: the placing request applies it once it stored the session.
            logger.LogInformation("Call {CallId}: Meta's answer kept until the relay session is linked", state.CallId);
            return;
        }

        await relay.ApplyMetaAnswerAsync(session, answer, ct);
        logger.LogInformation("Call {CallId}: Meta's answer applied to relay session {SessionId}", state.CallId, session);
    }
}
