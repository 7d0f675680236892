using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>The result of an agent's command: refused (409), or applied with what the effects produced.</summary>
public sealed record CallCommandResult(InboundCall State, CallRefusal? Refusal, EffectResults? Effects)
{
    public bool Refused => Refusal is not null;
}

/// <summary>
/// The inbound-call shell: every input goes read → apply → write with ETag → run effects (Domain/Calls/README.md).
/// Webhooks, timers and the agent API all come through here, so the rules live in one place.
/// </summary>
public sealed class InboundCalls(
    CallStore store,
    AgentDirectory agents,
    RingOrderStore orders,
    CallEffectRunner runner,
    Outbox.PendingEffects pending,
    CallMuting muting,
    IOptions<InboundCallOptions> options,
    TimeProvider time,
    ILogger<InboundCalls> logger)
{
    public InboundCallMachine Machine { get; } = new(options.Value.ToRules());

    public Task<InboundCall?> GetAsync(CallId callId, CancellationToken ct) => store.GetAsync(callId, ct);

    /// <summary>The mute and recording kept beside the call (not part of the machine's state).</summary>
    public Task<CallMedia> GetMediaAsync(CallId callId, CancellationToken ct) => store.Media.GetAsync(callId, ct);

    /// <summary>Mute or unmute the agent's leg at the relay; the session of an inbound call is named by the call id.</summary>
    public async Task<(InboundCall Call, CallMedia Media, CallRefusal? Refusal)> SetMutedAsync(CallId callId, AgentId agent, bool muted, CancellationToken ct)
    {
        var call = await store.GetAsync(callId, ct) ?? throw new InvalidOperationException($"Call {callId} is not stored.");
        var journal = new Journal.JournalCall(callId, Journal.JournalCallDirection.Inbound, call.Business, call.Customer, call.Agent);
        var (media, refusal) = await muting.SetMutedAsync(new MuteTarget(callId, callId, call.InProgress, call.Agent, journal, store.Media), agent, muted, ct);
        return (call, media, refusal);
    }

    public async Task OfferAsync(InboundOffer offer, string metaOfferSdp, bool graphAllowed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var order = await orders.GetAsync(offer.Business, ct);
        var inputs = new EffectInputs(MetaOfferSdp: metaOfferSdp, GraphAllowed: graphAllowed);
        var change = await store.ApplyAsync(offer.CallId, async (state, token) =>
            Machine.Offer(state, offer, order, await agents.RosterAsync(token), time.GetUtcNow()), ct, InputsJson(inputs));
        logger.LogInformation("Call {CallId} offered on {BusinessNumberId}: {Phase} (written: {Written})", offer.CallId, offer.Business, change.State.Phase, change.Written);
        await RunIfWrittenAsync(change, inputs, ct);
    }

    public async Task TerminatedAsync(CallTermination termination, bool graphAllowed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(termination);
        var inputs = new EffectInputs(GraphAllowed: graphAllowed);
        var change = await store.ApplyAsync(termination.CallId, (state, _) => ValueTask.FromResult(Machine.Terminate(state, termination)), ct, InputsJson(inputs));
        logger.LogInformation("Call {CallId} terminated by Meta: {Phase} (written: {Written})", termination.CallId, change.State.Phase, change.Written);
        await RunIfWrittenAsync(change, inputs, ct);
    }

    public async Task TimerFiredAsync(CallTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var change = await store.ApplyAsync(timer.CallId, async (state, token) =>
            state.Phase == InboundCallPhase.New
                ? CallTransition.Unchanged(state)
                : Machine.TimerFired(state, timer, await agents.RosterAsync(token), time.GetUtcNow()), ct);
        logger.LogInformation("Call {CallId}: timer {TimerKind} v{Version} fired (written: {Written})", timer.CallId, timer.Kind, timer.Version, change.Written);
        await RunIfWrittenAsync(change, new EffectInputs(), ct);
    }

    /// <summary>
    /// An agent's presence or active call changed: every ringing call re-checks who it rings (Domain/Calls/README.md,
    /// <c>RosterChanged</c>), so an agent who comes back is rung and one who left stops ringing.
    /// </summary>
    public async Task RosterChangedAsync(CancellationToken ct)
    {
        foreach (var callId in await store.RingingAsync(ct))
        {
            var change = await store.ApplyAsync(callId, async (state, token) =>
                Machine.RosterChanged(state, await agents.RosterAsync(token), time.GetUtcNow()), ct);
            if (change.Written)
            {
                logger.LogInformation("Call {CallId}: ring re-planned after a roster change, ringing {Ringing}", callId, string.Join(",", change.State.Ring?.Ringing ?? []));
                await RunPendingAsync(change, new EffectInputs(), ct);
            }
        }
    }

    /// <summary>First accept wins: the loser's accept, re-applied to the winner's state after a 412, is refused.</summary>
    public async Task<CallCommandResult> AcceptAsync(CallId callId, AgentId agentId, string browserOfferSdp, CancellationToken ct)
    {
        var inputs = new EffectInputs(BrowserOfferSdp: browserOfferSdp);
        var change = await store.ApplyAsync(callId, async (state, token) =>
        {
            var agent = (await agents.FindAsync(agentId, token))?.Agent;
            return agent is null ? CallTransition.Refuse(state, CallRefusal.AgentUnknown) : Machine.Accept(state, agent, time.GetUtcNow());
        }, ct, InputsJson(inputs));
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: accept by {AgentId} refused: {Refusal}", callId, agentId, refusal);
            return new(change.State, refusal, null);
        }

        var effects = change.Written
            ? await RunPendingAsync(change, inputs, ct)
            // The winner's retry: an accept whose effects failed part-way runs them again (Graph accept included) with
            // this browser's offer; otherwise the relay repeats the same leg, so the browser gets its answer again.
            : await ResumeEffectsAsync(callId, ct, inputs) is { AgentLeg: not null } resumed
                ? resumed
                : await runner.RunAsync(change.State, [new AttachAgentToRelay(callId, agentId)], inputs, ct);
        logger.LogInformation("Call {CallId} accepted by {AgentId}", callId, agentId);
        if (effects.AcceptSent)
        {
            var connected = await store.ApplyAsync(callId, (state, _) => ValueTask.FromResult(Machine.MediaConnected(state, time.GetUtcNow())), ct);
            await RunIfWrittenAsync(connected, new EffectInputs(), ct);
            return new(connected.State, null, effects);
        }

        return new(change.State, null, effects);
    }

    /// <summary>The relay saw media flow on the Meta leg (<c>media_connected</c>); an accepted call becomes connected.</summary>
    public async Task MediaConnectedAsync(CallId callId, CancellationToken ct)
    {
        var change = await store.ApplyAsync(callId, (state, _) => ValueTask.FromResult(Machine.MediaConnected(state, time.GetUtcNow())), ct);
        logger.LogInformation("Call {CallId}: relay reports media connected (written: {Written})", callId, change.Written);
        await RunIfWrittenAsync(change, new EffectInputs(), ct);
    }

    public Task<CallCommandResult> DeclineAsync(CallId callId, AgentId agent, CancellationToken ct) =>
        CommandAsync(callId, agent, "decline", async (state, token) => Machine.Decline(state, agent, await agents.RosterAsync(token), time.GetUtcNow()), ct);

    public Task<CallCommandResult> EndAsync(CallId callId, AgentId agent, CancellationToken ct) =>
        CommandAsync(callId, agent, "end", (state, _) => ValueTask.FromResult(Machine.End(state, agent, time.GetUtcNow())), ct);

    public Task<CallCommandResult> RecordDispositionAsync(CallId callId, AgentId agent, DispositionCode code, string? note, CancellationToken ct) =>
        CommandAsync(callId, agent, "disposition", (state, _) => ValueTask.FromResult(Machine.RecordDisposition(state, agent, code, note, time.GetUtcNow())), ct);

    /// <summary>
    /// Teammates the agent on the call may offer it to now (available, not restricted, not on a call); anyone else
    /// asking gets the refusal.
    /// </summary>
    public async Task<(ImmutableArray<DirectoryAgent> Targets, CallRefusal? Refusal)> TransferTargetsAsync(CallId callId, AgentId agent, CancellationToken ct)
    {
        var call = await store.GetAsync(callId, ct);
        if (call is not { InProgress: true })
        {
            return ([], CallRefusal.CallNotInProgress);
        }

        if (call.Agent != agent)
        {
            return ([], CallRefusal.NotTheAgentOnTheCall);
        }

        return (await agents.TransferTargetsAsync(agent, ct), null);
    }

    /// <summary>
    /// The agent on the call offers it to a teammate. The teammate's eligibility is read inside the store's loop, so a
    /// teammate who took a call since the list was drawn is refused at once, and the initiator is told why.
    /// </summary>
    public async Task<CallCommandResult> StartTransferAsync(CallId callId, AgentId initiator, AgentId target, string? note, CancellationToken ct)
    {
        var inputs = new EffectInputs(TransferTarget: target);
        var change = await store.ApplyAsync(callId, async (state, token) =>
            Machine.StartTransfer(state, initiator, (await agents.FindAsync(target, token))?.Agent, note, time.GetUtcNow()), ct, InputsJson(inputs));
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: transfer by {AgentId} to {TargetId} refused: {Refusal}", callId, initiator, target, refusal);

            // A refused start still carries the initiator's notification and the timeline line (nothing was written).
            if (!change.Transition.Effects.IsEmpty)
            {
                await runner.RunAsync(change.State, change.Transition.Effects, inputs, ct);
            }

            return new(change.State, refusal, null);
        }

        logger.LogInformation("Call {CallId}: transfer offered by {AgentId} to {TargetId} (written: {Written})", callId, initiator, target, change.Written);
        var effects = await RunIfWrittenAsync(change, inputs, ct);
        return new(change.State, null, effects);
    }

    /// <summary>
    /// The teammate takes the call with their browser's offer: their leg joins silent, the relay switches the
    /// customer's audio to it and the initiator's leg goes. A retry by the same teammate gets the relay's answer again.
    /// </summary>
    public async Task<CallCommandResult> AcceptTransferAsync(CallId callId, AgentId agentId, string browserOfferSdp, CancellationToken ct)
    {
        var inputs = new EffectInputs(BrowserOfferSdp: browserOfferSdp);
        var change = await store.ApplyAsync(callId, async (state, token) =>
        {
            var agent = (await agents.FindAsync(agentId, token))?.Agent;
            return agent is null ? CallTransition.Refuse(state, CallRefusal.AgentUnknown) : Machine.AcceptTransfer(state, agent, time.GetUtcNow());
        }, ct, InputsJson(inputs));
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: transfer accept by {AgentId} refused: {Refusal}", callId, agentId, refusal);
            return new(change.State, refusal, null);
        }

        var effects = change.Written
            ? await RunIfWrittenAsync(change, inputs, ct)
            : await ResumeEffectsAsync(callId, ct, inputs) is { AgentLeg: not null } resumed
                ? resumed
                : await runner.RunAsync(change.State, [new AttachAgentToRelay(callId, agentId), new SwitchAgentLeg(callId, change.State.Transfer!.From, agentId)], inputs, ct);
        logger.LogInformation("Call {CallId}: transfer accepted by {AgentId} (written: {Written})", callId, agentId, change.Written);
        return new(change.State, null, effects);
    }

    public Task<CallCommandResult> DeclineTransferAsync(CallId callId, AgentId agent, CancellationToken ct) =>
        CommandAsync(callId, agent, "transfer decline", (state, _) => ValueTask.FromResult(Machine.DeclineTransfer(state, agent, time.GetUtcNow())), ct);

    private async Task<CallCommandResult> CommandAsync(
        CallId callId, AgentId agent, string command,
        Func<InboundCall, CancellationToken, ValueTask<CallTransition<InboundCall>>> apply, CancellationToken ct)
    {
        var change = await store.ApplyAsync(callId, apply, ct);
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: {Command} by {AgentId} refused: {Refusal}", callId, command, agent, refusal);
            return new(change.State, refusal, null);
        }

        logger.LogInformation("Call {CallId}: {Command} by {AgentId} applied (written: {Written})", callId, command, agent, change.Written);
        var effects = await RunIfWrittenAsync(change, new EffectInputs(), ct);
        return new(change.State, null, effects);
    }

    /// <summary>
    /// Runs the effects of batches of this call left pending by an earlier input that failed or died (a redelivered
    /// webhook, a retried command, the sweep timer), oldest first. <paramref name="retry"/> is what a retried command
    /// brings again (the browser's new offer) and replaces the stored offer. Returns what the last batch produced.
    /// </summary>
    public async Task<EffectResults?> ResumeEffectsAsync(CallId callId, CancellationToken ct, EffectInputs? retry = null)
    {
        EffectResults? last = null;
        foreach (var batch in await pending.ClaimDueAsync(callId, ct))
        {
            var state = CallStateJson.Deserialize<InboundCall>(batch.StateJson);
            var now = await store.GetAsync(callId, ct) ?? state;
            var stored = batch.InputsJson is { } json ? CallStateJson.Deserialize<EffectInputs>(json) : new EffectInputs();
            var inputs = retry?.BrowserOfferSdp is { } offer ? stored with { BrowserOfferSdp = offer } : stored;
            var (effects, indices) = Outbox.PendingReplay.Filter(batch, !now.IsClosed, agent => now.Agent == agent && now.InProgress);
            logger.LogWarning("Call {CallId}: running {Count} pending effects of version {Version} again ({Done} were done)", callId, effects.Length, batch.Version, batch.Done);
            last = await pending.RunLeasedAsync(callId, batch.Version, batch.Done, indices, completed => runner.RunAsync(state, effects, inputs, ct, completed), ct);
            if (effects.Any(e => e is ReleaseAgent))
            {
                await RosterChangedAsync(ct);
            }
        }

        return last;
    }

    private static string InputsJson(EffectInputs inputs) => CallStateJson.Serialize(inputs);

    /// <summary>Runs a written transition's effects under the outbox's lease (nothing to keep when there are none).</summary>
    private async Task<EffectResults> RunPendingAsync(CallChange change, EffectInputs inputs, CancellationToken ct) =>
        change.EffectsPending
            ? await pending.RunAsync(change.State.CallId, change.State.Version, CallStore.Direction, completed => runner.RunAsync(change.State, change.Transition.Effects, inputs, ct, completed), ct)
            : new EffectResults(null, false);

    private async Task<EffectResults?> RunIfWrittenAsync(CallChange change, EffectInputs inputs, CancellationToken ct)
    {
        if (!change.Written)
        {
            // A redelivered input: what an earlier attempt left pending (its lease given up or lapsed) runs now.
            await ResumeEffectsAsync(change.State.CallId, ct);
            return null;
        }

        var results = await RunPendingAsync(change, inputs, ct);

        // A released agent may take another call now: calls still ringing get a chance to ring them.
        if (change.Transition.Effects.Any(e => e is ReleaseAgent))
        {
            await RosterChangedAsync(ct);
        }

        return results;
    }
}

/// <summary><c>Calling__RingStepSeconds</c>, <c>Calling__RingBudgetSeconds</c>, <c>Calling__TransferRevertSeconds</c>, <c>Calling__EffectLeaseSeconds</c>.</summary>
public sealed class InboundCallOptions
{
    public const string Section = "Calling";

    public int RingStepSeconds { get; set; } = 15;

    public int RingBudgetSeconds { get; set; } = 45;

    public int TransferRevertSeconds { get; set; } = 30;

    /// <summary>How long a runner holds a call's pending effects before another input may run them again.</summary>
    public int EffectLeaseSeconds { get; set; } = 60;

    public CallingRules ToRules() => (CallingRules.Default with
    {
        RingStep = TimeSpan.FromSeconds(RingStepSeconds),
        RingBudget = TimeSpan.FromSeconds(RingBudgetSeconds),
        TransferRevert = TimeSpan.FromSeconds(TransferRevertSeconds),
    }).Validate();
}
