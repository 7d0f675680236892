using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>What an agent asked to dial, already validated and checked for eligibility.</summary>
public sealed record OutboundDial(AgentId Agent, BusinessNumberId Business, ContactKey Customer, PhoneNumber Callee, string BrowserOfferSdp);

/// <summary>The dial went out (<see cref="AgentLeg"/> is the relay's answer for the browser) or Graph refused it.</summary>
public sealed record OutboundPlaceResult(OutboundCall? Call, AgentLegSdp? AgentLeg, GraphError? GraphError);

/// <summary>The result of an agent's command on an outbound call: refused (409) or applied.</summary>
public sealed record OutboundCommandResult(OutboundCall State, CallRefusal? Refusal);

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
        var offer = await relay.CreateBusinessInitiatedSessionAsync(session, new RelaySessionSettings(dial.Business, Recording: false), ct);
        AgentLegSdp leg;
        GraphResult<StartedCall> started;
        try
        {
            leg = await relay.AddAgentLegAsync(session, new AgentLegRequest(CallEffectRunner.LegIdOf(dial.Agent), dial.Agent, dial.BrowserOfferSdp, Active: true), ct);
            started = await graph.ConnectAsync(dial.Business, new ConnectCallRequest(Recipient.ForPhone(dial.Callee), offer.Sdp, OpaquePrefix + session.Value), ct);
        }
        catch
        {
            await relay.EndSessionAsync(session, "dial failed", CancellationToken.None);
            throw;
        }

        if (!started.IsSuccess)
        {
            logger.LogWarning("Outbound dial by {AgentId} refused by Graph: {Error}; relay session {SessionId} ended", dial.Agent, started.Error, session);
            await relay.EndSessionAsync(session, "connect refused", ct);
            return new(null, null, started.Error);
        }

        var callId = started.Value.CallId;
        var placement = new OutboundPlacement(callId, dial.Agent, dial.Business, dial.Customer, time.GetUtcNow());
        var change = await store.ApplyAsync(callId, state => Machine.Placed(state, placement), ct, new OutboundRelayLink(session, null));
        logger.LogInformation("Call {CallId} placed by {AgentId} on {BusinessNumberId}, relay session {SessionId}: {Phase}",
            callId, dial.Agent, dial.Business, session, change.State.Phase);
        await RunIfWrittenAsync(change, graphAllowed: true, ct);

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
        var change = await store.ApplyAsync(
            callEvent.CallId, state => CallWebhookInputs.ApplyToOutbound(Machine, state, callEvent, receivedAt), ct, new OutboundRelayLink(session, answer));
        logger.LogInformation("Call {CallId}: {Event} applied, phase {Phase} (written: {Written})",
            callEvent.CallId, callEvent.GetType().Name, change.State.Phase, change.Written);
        await RunIfWrittenAsync(change, graphAllowed, ct);
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
        await RunIfWrittenAsync(change, graphAllowed: true, ct);
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
        await RunIfWrittenAsync(change, graphAllowed: true, ct);
        return new(change.State, null);
    }

    private async Task RunIfWrittenAsync(OutboundChange change, bool graphAllowed, CancellationToken ct)
    {
        if (!change.Written)
        {
            return;
        }

        await runner.RunAsync(change.State, change.Relay, change.Transition.Effects, graphAllowed, ct);

        // An agent who started or left a call changes who inbound calls may ring: they re-plan their rings.
        if (change.Transition.Effects.Any(e => e is AssignAgent or ReleaseAgent))
        {
            await inbound.RosterChangedAsync(ct);
        }
    }

    private static CallId? SessionOf(string? opaque) =>
        opaque is { Length: > 0 } text && text.StartsWith(OpaquePrefix, StringComparison.Ordinal) && text.Length > OpaquePrefix.Length
            ? new CallId(text[OpaquePrefix.Length..])
            : null;
}
