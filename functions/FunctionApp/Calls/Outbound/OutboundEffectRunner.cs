using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.WhatsApp;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// What an input to a placed call brought along for its effects: whether Graph may be called (not for stale
/// webhooks), the browser's offer of a teammate taking a transfer, and the teammate a transfer was asked for.
/// </summary>
public sealed record OutboundEffectInputs(bool GraphAllowed = true, string? BrowserOfferSdp = null, AgentId? TransferTarget = null);

/// <summary>
/// Runs an outbound call's effects in order, after the new state was stored (Domain/Calls/README.md, "Effects →
/// adapters"). What inbound calls share (agents, timers, agent legs and transfers, timeline, call-ended and transfer
/// notifications) goes through <see cref="CommonCallEffects"/> against the relay session linked to the call; this
/// runner keeps Meta's answer, the session's end, Graph terminate and the dial's progress. Billing is not done here:
/// <see cref="Billing.BillingEventHandler"/> charges a connected business-initiated call from Meta's <c>terminate</c>
/// webhook, keyed by the call id, so <see cref="ChargeCall"/> is only logged.
/// </summary>
public sealed class OutboundEffectRunner(
    CommonCallEffects common,
    IAgentNotifier notifier,
    IMediaRelay relay,
    IWhatsAppClient graph,
    TimeProvider time,
    ILogger<OutboundEffectRunner> logger)
{
    /// <summary>Durable timer kind of outbound calls (the inbound shell uses <c>inbound-call</c>).</summary>
    public const string TimerKind = "outbound-call";

    /// <summary>Runs <paramref name="effects"/>; returns the relay's answer for a teammate's browser when one joined.</summary>
    /// <param name="completed">Told the index of each effect once it ran, so a failure can be resumed after it.</param>
    public async Task<AgentLegSdp?> RunAsync(
        OutboundCall state, OutboundRelayLink link, IEnumerable<CallEffect> effects, OutboundEffectInputs inputs, CancellationToken ct, Action<int>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(inputs);
        AgentLegSdp? leg = null;
        var list = effects as IReadOnlyList<CallEffect> ?? [.. effects];
        for (var index = 0; index < list.Count; index++)
        {
            var effect = list[index];
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
                case SendTerminate when inputs.GraphAllowed && state.Business is { } business:
                    await TerminateAsync(state, business, ct);
                    break;
                case SendTerminate:
                    logger.LogInformation("Call {CallId}: terminate skipped (stale event or no business number)", state.CallId);
                    break;
                case NotifyPlacedCallProgress progress:
                    logger.LogInformation("Call {CallId}: {AgentId}'s dial is {Phase}", state.CallId, progress.Agent, progress.Phase);
                    await notifier.NotifyAgentAsync(progress.Agent, new PlacedCallProgressNotification(state.CallId.Value, progress.Phase.ToString()) { At = time.GetUtcNow() }, ct);
                    break;
                case ChargeCall charge:
                    logger.LogInformation(
                        "Call {CallId}: {Seconds} s to bill; billing charges it from Meta's terminate webhook", state.CallId, (long)charge.Duration.TotalSeconds);
                    break;
                default:
                    var (handled, attached) = await common.TryRunAsync(effect, ContextOf(state, link, inputs), list, ct);
                    leg = attached ?? leg;
                    if (!handled)
                    {
                        logger.LogInformation("Call {CallId}: {Effect} recorded", state.CallId, effect);
                    }

                    break;
            }

            completed?.Invoke(index);
        }

        return leg;
    }

    /// <summary>The facts the shared effects need, with the relay session the call was placed on.</summary>
    public static CallEffectContext ContextOf(OutboundCall state, OutboundRelayLink link, OutboundEffectInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(inputs);
        return new(
            state.CallId, state.Version, link.SessionId, TimerKind, JournalOf(state), state.Customer, state.Transfer, state.EndedBy, state.Duration,
            state.DispositionStatus, inputs.BrowserOfferSdp, inputs.TransferTarget);
    }

    public static JournalCall JournalOf(OutboundCall state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.CallId, JournalCallDirection.Outbound, state.Business, state.Customer, state.Agent);
    }

    private async Task TerminateAsync(OutboundCall state, BusinessNumberId business, CancellationToken ct)
    {
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
