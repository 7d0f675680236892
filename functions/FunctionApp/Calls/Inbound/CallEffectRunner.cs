using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.WhatsApp;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>
/// What an input brought along that the effects need: Meta's offer, the browser's offer, whether Graph may be called,
/// and the teammate a transfer was asked for (a refused start stores no transfer to read it from).
/// </summary>
public sealed record EffectInputs(string? MetaOfferSdp = null, string? BrowserOfferSdp = null, bool GraphAllowed = true, AgentId? TransferTarget = null);

/// <summary>What running the effects produced for the caller: the relay's answer to the agent's browser.</summary>
public sealed record EffectResults(AgentLegSdp? AgentLeg, bool AcceptSent);

/// <summary>A Graph call failed while running a call's effects; the stored state is already written.</summary>
public sealed class CallGraphException(CallId callId, string action, string detail)
    : Exception($"Graph {action} for call {callId} failed: {detail}")
{
    public CallId CallId { get; } = callId;

    public string Action { get; } = action;
}

/// <summary>
/// Runs an inbound call's effects in order, after the new state was stored (Domain/Calls/README.md, "Effects →
/// adapters"). Every adapter is idempotent by call id, so a repeat after a failure is safe.
/// </summary>
public sealed class CallEffectRunner(
    CallStore store,
    CommonCallEffects common,
    IAgentNotifier notifier,
    IMediaRelay relay,
    IWhatsAppClient graph,
    CallJournal journal,
    Settings.INumberSettings numberSettings,
    TimeProvider time,
    ILogger<CallEffectRunner> logger)
{
    public const string TimerKind = "inbound-call";

    /// <param name="completed">Told the index of each effect once it ran, so a failure can be resumed after it.</param>
    public async Task<EffectResults> RunAsync(InboundCall state, IEnumerable<CallEffect> effects, EffectInputs inputs, CancellationToken ct, Action<int>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(inputs);
        AgentLegSdp? leg = null;
        var acceptSent = false;
        var list = effects as IReadOnlyList<CallEffect> ?? [.. effects];
        for (var index = 0; index < list.Count; index++)
        {
            var effect = list[index];
            switch (effect)
            {
                case OpenRelaySession:
                    await OpenRelayAsync(state, inputs, ct);
                    break;
                case SendPreAccept when inputs.GraphAllowed:
                    await GraphAsync(state, "pre_accept", async (number, answer) => await graph.PreAcceptAsync(number, state.CallId, answer, ct), ct);
                    break;
                case SendAccept when inputs.GraphAllowed:
                    await GraphAsync(state, "accept", async (number, answer) => await graph.AcceptAsync(number, state.CallId, answer, cancellationToken: ct), ct);
                    acceptSent = true;
                    break;
                case SendReject reject when inputs.GraphAllowed:
                    logger.LogInformation("Rejecting call {CallId}: {Reason}", state.CallId, reject.Reason);
                    await GraphAsync(state, "reject", async (number, _) => await graph.RejectAsync(number, state.CallId, ct), ct, needsAnswer: false);
                    break;
                case SendTerminate when inputs.GraphAllowed:
                    await GraphAsync(state, "terminate", async (number, _) => await graph.TerminateAsync(number, state.CallId, ct), ct, needsAnswer: false);
                    break;
                case SendPreAccept or SendAccept or SendReject or SendTerminate:
                    logger.LogInformation("Call {CallId}: {Effect} skipped, the event is stale", state.CallId, effect.GetType().Name);
                    break;
                case EndRelaySession:
                    await relay.EndSessionAsync(state.CallId, state.Phase.ToString().ToLowerInvariant(), ct);
                    break;
                default:
                    var (handled, attached) = await common.TryRunAsync(effect, ContextOf(state, inputs), list, ct);
                    leg = attached ?? leg;
                    if (!handled)
                    {
                        await NotifyAsync(state, effect, ct);
                    }

                    break;
            }

            completed?.Invoke(index);
        }

        return new EffectResults(leg, acceptSent);
    }

    private async Task NotifyAsync(InboundCall state, CallEffect effect, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        switch (effect)
        {
            case NotifyIncomingCall incoming:
                logger.LogInformation("Call {CallId} offered to {AgentId} (can accept now: {CanAcceptNow})", state.CallId, incoming.Agent, incoming.CanAcceptNow);
                await notifier.NotifyAgentAsync(incoming.Agent, new IncomingCallNotification(
                    state.CallId.Value,
                    incoming.Business.Value,
                    null,
                    Customer(incoming.Customer),
                    incoming.CanAcceptNow,
                    incoming.CanAcceptNow ? null : CallRefusals.Describe(CallRefusal.AgentOnAnotherCall),
                    state.Ring?.BudgetEndsAt ?? now) { At = now }, ct);
                break;
            case WithdrawIncomingCall { Reason: IncomingCallWithdrawal.TakenByAnotherAgent } taken:
                await notifier.NotifyAgentAsync(taken.Agent, new CallTakenNotification(state.CallId.Value, state.Agent?.Value ?? string.Empty) { At = now }, ct);
                break;
            case WithdrawIncomingCall { Reason: IncomingCallWithdrawal.RingMoved or IncomingCallWithdrawal.Declined } withdrawn:
                await notifier.NotifyAgentAsync(withdrawn.Agent, new CallWithdrawnNotification(
                    state.CallId.Value,
                    withdrawn.Reason == IncomingCallWithdrawal.Declined ? "declined" : "ringMoved",
                    [.. (state.Ring?.Ringing ?? []).Select(a => a.Value)]) { At = now }, ct);
                break;
            case WithdrawIncomingCall { Reason: IncomingCallWithdrawal.Missed } missed:
                await notifier.NotifyAgentAsync(missed.Agent, new MissedCallNotification(
                    state.CallId.Value, state.Business?.Value ?? string.Empty, Customer(state.Customer), state.Missed?.ToString() ?? "missed") { At = now }, ct);
                break;
            case RecordMissedCall missedCall:
                await journal.MissedAsync(JournalOf(state), missedCall, ct);
                break;
            default:
                logger.LogInformation("Call {CallId}: {Effect} recorded", state.CallId, effect);
                break;
        }
    }

    private async Task OpenRelayAsync(InboundCall state, EffectInputs inputs, CancellationToken ct)
    {
        if (inputs.MetaOfferSdp is not { Length: > 0 } offer)
        {
            throw new InvalidOperationException($"Call {state.CallId}: a relay session needs Meta's offer.");
        }

        var business = state.Business ?? throw new InvalidOperationException($"Call {state.CallId} has no business number.");
        var meta = await relay.CreateUserInitiatedSessionAsync(state.CallId, offer, new RelaySessionSettings(business, Recording: (await numberSettings.GetAsync(business, ct)).Recording), ct);
        await store.SaveMetaAnswerAsync(state.CallId, meta.Sdp, ct);
        logger.LogInformation("Call {CallId}: relay session opened, Meta leg {LegId}", state.CallId, meta.LegId);
    }

    private async Task GraphAsync(
        InboundCall state, string action, Func<BusinessNumberId, string, Task<WhatsApp.Errors.GraphResult>> send, CancellationToken ct, bool needsAnswer = true)
    {
        var business = state.Business ?? throw new InvalidOperationException($"Call {state.CallId} has no business number.");
        var answer = string.Empty;
        if (needsAnswer)
        {
            answer = await store.GetMetaAnswerAsync(state.CallId, ct)
                ?? throw new InvalidOperationException($"Call {state.CallId}: no relay answer stored for {action}.");
        }

        var result = await send(business, answer);
        if (!result.IsSuccess)
        {
            logger.LogWarning("Call {CallId}: Graph {Action} failed: {Error}", state.CallId, action, result.Error);

            // Only an accept has someone waiting for the answer; the other actions are not repeated by a retry of the
            // input (the state is already stored), and Meta ends an unanswered call on its own.
            if (action == "accept")
            {
                throw new CallGraphException(state.CallId, action, result.Error.ToString());
            }

            return;
        }

        logger.LogInformation("Call {CallId}: Graph {Action} sent", state.CallId, action);
    }

    private static JournalCall JournalOf(InboundCall state) =>
        new(state.CallId, JournalCallDirection.Inbound, state.Business, state.Customer, state.Agent, state.Version);

    private static NotifiedCustomer Customer(ContactKey? key) => CommonCallEffects.Customer(key);

    private static CallEffectContext ContextOf(InboundCall state, EffectInputs inputs) => new(
        state.CallId, state.Version, state.CallId, TimerKind, JournalOf(state), state.Customer, state.Transfer, state.EndedBy, state.Duration,
        state.DispositionStatus, inputs.BrowserOfferSdp, inputs.TransferTarget);
}
