using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.Storage.Timers;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>What an agent asked to dial, already validated and checked for eligibility.</summary>
public sealed record OutboundDial(AgentId Agent, BusinessNumberId Business, ContactKey Customer, PhoneNumber Callee, string BrowserOfferSdp);

/// <summary>
/// The dial went out (<see cref="AgentLeg"/> is the relay's answer for the browser), Graph refused it, or the agent
/// was already on a call (<see cref="Refusal"/>: a second dial raced the first).
/// </summary>
public sealed record OutboundPlaceResult(OutboundCall? Call, AgentLegSdp? AgentLeg, GraphError? GraphError, CallRefusal? Refusal = null);

/// <summary>The result of an agent's command on an outbound call: refused (409) or applied; a transfer accept brings the relay's answer.</summary>
public sealed record OutboundCommandResult(OutboundCall State, CallRefusal? Refusal, AgentLegSdp? AgentLeg = null);

/// <summary>
/// The outbound-call shell (issue 8, Rules: outbound call): every input goes read → apply → If-Match write → run
/// effects, like the inbound shell. A dial creates the relay session first (the relay makes the offer and is the DTLS
/// server toward Meta), joins the agent's browser to it, then sends Graph <c>connect</c> with the relay's offer;
/// Graph's call id names the stored call. Meta's webhooks for the call may arrive before that reply (§1.4), so the
/// relay session id also travels in <c>biz_opaque_callback_data</c>, which Meta echoes on every webhook of the call.
/// </summary>
public sealed class OutboundCalls(
    OutboundCallStore store,
    OutboundEffectRunner runner,
    IMediaRelay relay,
    IWhatsAppClient graph,
    InboundCalls inbound,
    AgentDirectory agents,
    CallMuting muting,
    Settings.INumberSettings numberSettings,
    IDurableTimers timers,
    Outbox.PendingEffects pending,
    IOptions<InboundCallOptions> options,
    TimeProvider time,
    ILogger<OutboundCalls> logger)
{
    /// <summary>Marks our <c>biz_opaque_callback_data</c>: the relay session id follows it.</summary>
    public const string OpaquePrefix = "relay-session:";

    public OutboundCallMachine Machine { get; } = new(options.Value.ToRules());

    public async Task<OutboundCall?> GetAsync(CallId callId, CancellationToken ct) => (await store.GetAsync(callId, ct))?.Call;

    /// <summary>Relay session, agent leg, Graph <c>connect</c>, <c>Placed</c>. On Graph's refusal the session is ended.</summary>
    public async Task<OutboundPlaceResult> PlaceAsync(OutboundDial dial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dial);
        var session = new CallId("bic-" + Guid.NewGuid().ToString("N"));

        // The agent is on this dial from now on: a second dial, or an inbound call's ring, finds them busy. The timer,
        // set first, frees them should this request die before the claim gives way to the call.
        await timers.ScheduleAsync(DialClaimTimerHandler.For(session, dial.Agent, time.GetUtcNow()), ct);
        if (!await agents.TryClaimForDialAsync(dial.Agent, session, ct))
        {
            logger.LogInformation("Outbound dial by {AgentId} refused: already on a call", dial.Agent);
            return new(null, null, null, CallRefusal.AgentOnAnotherCall);
        }

        AgentLegSdp leg;
        GraphResult<StartedCall> started;
        try
        {
            var recording = (await numberSettings.GetAsync(dial.Business, ct)).Recording;
            var offer = await relay.CreateBusinessInitiatedSessionAsync(session, new RelaySessionSettings(dial.Business, recording), ct);
            leg = await relay.AddAgentLegAsync(session, new AgentLegRequest(CommonCallEffects.LegIdOf(dial.Agent), dial.Agent, dial.BrowserOfferSdp, Active: true), ct);
            started = await graph.ConnectAsync(dial.Business, new ConnectCallRequest(Recipient.ForPhone(dial.Callee), offer.Sdp, OpaquePrefix + session.Value), ct);
        }
        catch
        {
            await relay.EndSessionAsync(session, "dial failed", CancellationToken.None);
            await agents.SetActiveCallAsync(dial.Agent, null, session, CancellationToken.None);
            throw;
        }

        if (!started.IsSuccess)
        {
            logger.LogWarning("Outbound dial by {AgentId} refused by Graph: {Error}; relay session {SessionId} ended", dial.Agent, started.Error, session);
            await relay.EndSessionAsync(session, "connect refused", ct);
            await agents.SetActiveCallAsync(dial.Agent, null, session, ct);
            return new(null, null, started.Error);
        }

        var callId = started.Value.CallId;
        var placement = new OutboundPlacement(callId, dial.Agent, dial.Business, dial.Customer, time.GetUtcNow());
        var change = await store.ApplyAsync(callId, state => Machine.Placed(state, placement), ct, new OutboundRelayLink(session, null));
        logger.LogInformation("Call {CallId} placed by {AgentId} on {BusinessNumberId}, relay session {SessionId}: {Phase}",
            callId, dial.Agent, dial.Business, session, change.State.Phase);
        await RunIfWrittenAsync(change, new OutboundEffectInputs(), ct);

        // The dial's claim on the agent gives way to the call (AssignAgent), or, when the call was over before
        // Graph's reply, is released here; a release of a claim no longer held changes nothing.
        await agents.SetActiveCallAsync(dial.Agent, null, session, ct);

        // Meta's answer or the call's end may have beaten Graph's reply; both relay calls are idempotent.
        if (change.State.AnswerApplied && change.Relay.MetaAnswerSdp is { } answer)
        {
            await relay.ApplyMetaAnswerAsync(session, answer, ct);
        }

        if (change.State.IsClosed)
        {
            await relay.EndSessionAsync(session, change.State.Phase.ToString().ToLowerInvariant(), ct);
        }

        return new(change.State, leg, null);
    }

    /// <summary>
    /// A webhook of a business-initiated call (§1.6–§1.8). A call status for a call we never placed (no row and not
    /// our opaque data) is left alone, so user-initiated calls never get an outbound row.
    /// </summary>
    public async Task EventAsync(CallEvent callEvent, DateTimeOffset receivedAt, bool graphAllowed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        var session = SessionOf(callEvent.BizOpaqueCallbackData);
        if (callEvent is CallStatusChanged && session is null && await store.GetAsync(callEvent.CallId, ct) is null)
        {
            logger.LogInformation("Call {CallId}: status {Status} for a call not placed here, ignored", callEvent.CallId, ((CallStatusChanged)callEvent).RawStatus);
            return;
        }

        var answer = callEvent is CallConnected { IsOffer: false } connect ? connect.Sdp : null;
        var inputs = new OutboundEffectInputs(graphAllowed);
        var change = await store.ApplyAsync(
            callEvent.CallId, state => CallWebhookInputs.ApplyToOutbound(Machine, state, callEvent, receivedAt), ct, new OutboundRelayLink(session, answer), InputsJson(inputs));
        logger.LogInformation("Call {CallId}: {Event} applied, phase {Phase} (written: {Written})",
            callEvent.CallId, callEvent.GetType().Name, change.State.Phase, change.Written);
        await RunIfWrittenAsync(change, inputs, ct);
    }

    public Task<OutboundCommandResult> EndAsync(CallId callId, AgentId agent, CancellationToken ct) =>
        CommandAsync(callId, agent, "end", state => Machine.End(state, agent, time.GetUtcNow()), ct);

    public Task<OutboundCommandResult> RecordDispositionAsync(CallId callId, AgentId agent, DispositionCode code, string? note, CancellationToken ct) =>
        CommandAsync(callId, agent, "disposition", state => Machine.RecordDisposition(state, agent, code, note, time.GetUtcNow()), ct);

    public async Task TimerFiredAsync(CallTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var change = await store.ApplyAsync(timer.CallId, state => Machine.TimerFired(state, timer, time.GetUtcNow()), ct);
        logger.LogInformation("Call {CallId}: timer {TimerKind} v{Version} fired (written: {Written})", timer.CallId, timer.Kind, timer.Version, change.Written);
        await RunIfWrittenAsync(change, new OutboundEffectInputs(), ct);
    }

    /// <summary>
    /// The relay saw media flow on the Meta leg (<c>media_connected</c>): the customer answered. Meta's ACCEPTED status
    /// mostly trails the media (§1.7), so this is usually what connects a placed call; the status then changes nothing.
    /// </summary>
    public async Task MediaConnectedAsync(CallId callId, CancellationToken ct)
    {
        var change = await store.ApplyAsync(callId, state => Machine.CustomerAnswered(state, time.GetUtcNow()), ct);
        logger.LogInformation("Call {CallId}: relay reports media connected, phase {Phase} (written: {Written})", callId, change.State.Phase, change.Written);
        await RunIfWrittenAsync(change, new OutboundEffectInputs(), ct);
    }

    public Task<CallMedia> GetMediaAsync(CallId callId, CancellationToken ct) => store.Media.GetAsync(callId, ct);

    /// <summary>Teammates the agent on the call may offer it to now; anyone else asking gets the refusal.</summary>
    public async Task<(ImmutableArray<DirectoryAgent> Targets, CallRefusal? Refusal)> TransferTargetsAsync(CallId callId, AgentId agent, CancellationToken ct)
    {
        var call = await GetAsync(callId, ct);
        if (call is not { Phase: OutboundCallPhase.Connected })
        {
            return ([], CallRefusal.CallNotInProgress);
        }

        return call.Agent != agent ? ([], CallRefusal.NotTheAgentOnTheCall) : (await agents.TransferTargetsAsync(agent, ct), null);
    }

    /// <summary>
    /// The agent on the call offers it to a teammate, whose eligibility is read just before the write: a teammate who
    /// took a call since the list was drawn is refused at once and the initiator told why (a refused start still
    /// carries the initiator's notification and the timeline line, with nothing written).
    /// </summary>
    public async Task<OutboundCommandResult> StartTransferAsync(CallId callId, AgentId initiator, AgentId target, string? note, CancellationToken ct)
    {
        var teammate = (await agents.FindAsync(target, ct))?.Agent;
        var inputs = new OutboundEffectInputs(TransferTarget: target);
        var change = await store.ApplyAsync(callId, state => Machine.StartTransfer(state, initiator, teammate, note, time.GetUtcNow()), ct, effectInputs: InputsJson(inputs));
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: transfer by {AgentId} to {TargetId} refused: {Refusal}", callId, initiator, target, refusal);
            if (!change.Transition.Effects.IsEmpty)
            {
                await runner.RunAsync(change.State, change.Relay, change.Transition.Effects, inputs, ct);
            }

            return new(change.State, refusal);
        }

        logger.LogInformation("Call {CallId}: transfer offered by {AgentId} to {TargetId} (written: {Written})", callId, initiator, target, change.Written);
        await RunIfWrittenAsync(change, inputs, ct);
        return new(change.State, null);
    }

    /// <summary>
    /// The teammate takes the call with their browser's offer: their leg joins the relay session silent, the
    /// customer's audio switches to it and the initiator's leg goes. A retry by the same teammate gets the answer again.
    /// </summary>
    public async Task<OutboundCommandResult> AcceptTransferAsync(CallId callId, AgentId agentId, string browserOfferSdp, CancellationToken ct)
    {
        var agent = (await agents.FindAsync(agentId, ct))?.Agent;
        var inputs = new OutboundEffectInputs(BrowserOfferSdp: browserOfferSdp);
        var change = await store.ApplyAsync(callId, state =>
            agent is null ? CallTransition.Refuse(state, CallRefusal.AgentUnknown) : Machine.AcceptTransfer(state, agent, time.GetUtcNow()), ct, effectInputs: InputsJson(inputs));
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: transfer accept by {AgentId} refused: {Refusal}", callId, agentId, refusal);
            return new(change.State, refusal);
        }

        var leg = change.Written
            ? await RunIfWrittenAsync(change, inputs, ct)
            // A retry: an accept whose effects failed part-way runs them again with this browser's offer; otherwise the
            // relay repeats the same leg and switch, so the browser gets its answer again.
            : await ResumeEffectsAsync(callId, ct, inputs) ?? await runner.RunAsync(
                change.State, change.Relay, [new AttachAgentToRelay(callId, agentId), new SwitchAgentLeg(callId, change.State.Transfer!.From, agentId)], inputs, ct);
        logger.LogInformation("Call {CallId}: transfer accepted by {AgentId} (written: {Written})", callId, agentId, change.Written);
        return new(change.State, null, leg);
    }

    public Task<OutboundCommandResult> DeclineTransferAsync(CallId callId, AgentId agent, CancellationToken ct) =>
        CommandAsync(callId, agent, "transfer decline", state => Machine.DeclineTransfer(state, agent, time.GetUtcNow()), ct);

    /// <summary>
    /// Mute or unmute the agent's leg at the relay (what the customer hears). Mute is not a lifecycle transition: it
    /// is kept beside the call, per leg, so a teammate who takes the call over starts unmuted.
    /// </summary>
    public async Task<(OutboundCall Call, CallMedia Media, CallRefusal? Refusal)> SetMutedAsync(CallId callId, AgentId agent, bool muted, CancellationToken ct)
    {
        var (call, link) = await store.GetAsync(callId, ct) ?? throw new InvalidOperationException($"Call {callId} is not stored.");
        var target = new MuteTarget(callId, link.SessionId, call.Phase == OutboundCallPhase.Connected, call.Agent, OutboundEffectRunner.JournalOf(call), store.Media);
        var (media, refusal) = await muting.SetMutedAsync(target, agent, muted, ct);
        return (call, media, refusal);
    }

    private async Task<OutboundCommandResult> CommandAsync(
        CallId callId, AgentId agent, string command, Func<OutboundCall, CallTransition<OutboundCall>> apply, CancellationToken ct)
    {
        var change = await store.ApplyAsync(callId, apply, ct);
        if (change.Transition.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: {Command} by {AgentId} refused: {Refusal}", callId, command, agent, refusal);
            return new(change.State, refusal);
        }

        logger.LogInformation("Call {CallId}: {Command} by {AgentId} applied (written: {Written})", callId, command, agent, change.Written);
        await RunIfWrittenAsync(change, new OutboundEffectInputs(), ct);
        return new(change.State, null);
    }

    /// <summary>
    /// Runs the effects of batches of this call left pending by an earlier input that failed or died, oldest first
    /// (see <see cref="Outbox.PendingEffects"/>); <paramref name="retry"/> brings a retried command's new browser offer.
    /// Returns the relay's answer for a teammate's browser if the last batch attached one.
    /// </summary>
    public async Task<AgentLegSdp?> ResumeEffectsAsync(CallId callId, CancellationToken ct, OutboundEffectInputs? retry = null)
    {
        AgentLegSdp? last = null;
        foreach (var batch in await pending.ClaimDueAsync(callId, ct))
        {
            var state = CallStateJson.Deserialize<OutboundCall>(batch.StateJson);
            var (now, link) = await store.GetAsync(callId, ct) ?? (state, OutboundRelayLink.None);
            var stored = batch.InputsJson is { } json ? CallStateJson.Deserialize<OutboundEffectInputs>(json) : new OutboundEffectInputs();
            var inputs = retry?.BrowserOfferSdp is { } offer ? stored with { BrowserOfferSdp = offer } : stored;
            var (effects, indices) = Outbox.PendingReplay.Filter(batch, !now.IsClosed, agent => now.Agent == agent);
            logger.LogWarning("Call {CallId}: running {Count} pending effects of version {Version} again ({Done} were done)", callId, effects.Length, batch.Version, batch.Done);
            last = await pending.RunLeasedAsync(callId, batch.Version, batch.Done, indices, completed => runner.RunAsync(state, link, effects, inputs, ct, completed), ct);
            if (effects.Any(e => e is AssignAgent or ReleaseAgent))
            {
                await inbound.RosterChangedAsync(ct);
            }
        }

        return last;
    }

    private static string InputsJson(OutboundEffectInputs inputs) => CallStateJson.Serialize(inputs);

    private async Task<AgentLegSdp?> RunIfWrittenAsync(OutboundChange change, OutboundEffectInputs inputs, CancellationToken ct)
    {
        if (!change.Written)
        {
            // A redelivered input: what an earlier attempt left pending (its lease given up or lapsed) runs now.
            await ResumeEffectsAsync(change.State.CallId, ct);
            return null;
        }

        var leg = change.EffectsPending
            ? await pending.RunAsync(
                change.State.CallId, change.State.Version, OutboundCallStore.Direction,
                completed => runner.RunAsync(change.State, change.Relay, change.Transition.Effects, inputs, ct, completed), ct)
            : null;

        // An agent who started or left a call changes who inbound calls may ring: they re-plan their rings.
        if (change.Transition.Effects.Any(e => e is AssignAgent or ReleaseAgent))
        {
            await inbound.RosterChangedAsync(ct);
        }

        return leg;
    }

    private static CallId? SessionOf(string? opaque) =>
        opaque is { Length: > 0 } text && text.StartsWith(OpaquePrefix, StringComparison.Ordinal) && text.Length > OpaquePrefix.Length
            ? new CallId(text[OpaquePrefix.Length..])
            : null;
}
