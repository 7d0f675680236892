using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>The outcome of one input to an outbound call: the transition that was stored (or refused, or changed nothing).</summary>
public sealed record OutboundChange(OutboundCall Before, CallTransition<OutboundCall> Transition, OutboundRelayLink Relay)
{
    public OutboundCall State => Transition.State;

    public bool Written => !Transition.Refused && Transition.ChangedFrom(Before);

    /// <summary>The write also stored the transition's effects as pending (<see cref="Outbox.PendingEffects"/>).</summary>
    public bool EffectsPending => Written && !Transition.Effects.IsEmpty;
}

/// <summary>
/// Where the call's media lives and what Meta answered: the relay session was created before Meta gave the call an
/// id, so it has an id of its own (<see cref="SessionId"/>); Meta's SDP answer waits here when it beats Graph's reply.
/// </summary>
public sealed record OutboundRelayLink(CallId? SessionId, string? MetaAnswerSdp)
{
    public static OutboundRelayLink None { get; } = new(null, null);

    /// <summary>This link with the other's values filled in where this one has none (a column is never unset).</summary>
    public OutboundRelayLink Merge(OutboundRelayLink? other) =>
        other is null ? this : new(SessionId ?? other.SessionId, MetaAnswerSdp ?? other.MetaAnswerSdp);
}

/// <summary>
/// Outbound calls in <see cref="AppTables.Calls"/>: PK Meta's call id, RK <c>outbound</c> (the inbound rows use
/// <c>inbound</c>), the state as JSON in <c>State</c> with <c>Phase</c> and <c>Version</c> beside it, and the relay
/// link in <c>RelaySession</c> / <c>MetaAnswerSdp</c>. <see cref="ApplyAsync"/> is the read → apply → If-Match write
/// loop of Domain/Calls/README.md; on a 412 the input is applied again to the fresh row. The mute and recording
/// columns (<see cref="CallMediaColumns"/>) live in the same row. A second row, PK the relay session id and RK
/// <c>outbound-session</c>, leads the relay's events (which name the session) back to the call.
/// </summary>
public sealed class OutboundCallStore(AppStorage storage, Outbox.PendingEffects pending)
{
    /// <summary>The mute and recording kept beside the call's state.</summary>
    public CallMediaRow Media { get; } = new(storage, OutboundRow);

    public const string OutboundRow = "outbound";
    public const string SessionRow = "outbound-session";

    /// <summary>The direction pending effects of placed calls are filed under.</summary>
    public const string Direction = "outbound";

    private const string SessionColumn = "RelaySession";
    private const string MetaAnswerColumn = "MetaAnswerSdp";
    private const string CallIdColumn = "CallId";

    private readonly OptimisticConcurrency _concurrency = new();

    public async Task<(OutboundCall Call, OutboundRelayLink Relay)?> GetAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var row = await table.GetEntityIfExistsAsync(callId.Value, OutboundRow, ct: ct);
        return row is null ? null : (Read(row, callId), LinkOf(row));
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the stored call (or <see cref="OutboundCall.New"/>) and writes the new state
    /// when it changed and was not refused, with <paramref name="link"/> merged into the stored relay link.
    /// <paramref name="apply"/> may run several times and must not act.
    /// </summary>
    public async Task<OutboundChange> ApplyAsync(
        CallId callId, Func<OutboundCall, CallTransition<OutboundCall>> apply, CancellationToken ct, OutboundRelayLink? link = null, string? effectInputs = null)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var linkedNow = false;
        var change = await _concurrency.ExecuteAsync($"{table.Name}({callId}, {OutboundRow})", async token =>
        {
            var current = await table.GetEntityIfExistsAsync(callId.Value, OutboundRow, ct: token);
            var before = current is null ? OutboundCall.New(callId) : Read(current, callId);
            var stored = current is null ? OutboundRelayLink.None : LinkOf(current);
            var transition = apply(before);
            var result = new OutboundChange(before, transition, stored.Merge(link));
            linkedNow = stored.SessionId is null && result.Relay.SessionId is not null;
            if (!result.Written)
            {
                return result;
            }

            // Mute and recording live beside the state and are carried over (a 412 re-reads them first).
            var state = CallStateJson.Serialize(transition.State);
            var next = CallRowWrites.StateRow(current, callId.Value, OutboundRow, state, transition.State.Phase.ToString(), transition.State.Version);

            if (result.Relay.SessionId is { } session)
            {
                next[SessionColumn] = session.Value;
            }

            if (result.Relay.MetaAnswerSdp is { } answer)
            {
                next[MetaAnswerColumn] = answer;
            }

            var effects = result.EffectsPending ? pending.Row(callId, transition.State.Version, Direction, state, transition.Effects, effectInputs) : null;
            await CallRowWrites.WriteAsync(table, current, next, effects, token);
            return result;
        }, ct);

        // Written after the call's row, so an event that finds the session's row always finds the call; a repeat
        // writes the same row. Only a written change stored the link, so only then is it indexed.
        if (linkedNow && change is { Written: true, Relay.SessionId: { } linked })
        {
            await table.UpsertEntityAsync(new TableEntity(linked.Value, SessionRow) { [CallIdColumn] = callId.Value }, ct: ct);
        }

        return change;
    }

    /// <summary>The placed call whose media runs in relay session <paramref name="session"/>, if one is linked.</summary>
    public async Task<CallId?> FindBySessionAsync(CallId session, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var row = await table.GetEntityIfExistsAsync(session.Value, SessionRow, [CallIdColumn], ct);
        return row?.GetString(CallIdColumn) is { Length: > 0 } id ? new CallId(id) : null;
    }


    private static OutboundRelayLink LinkOf(TableEntity row) =>
        new(row.GetString(SessionColumn) is { Length: > 0 } session ? new CallId(session) : null, row.GetString(MetaAnswerColumn));

    private static OutboundCall Read(TableEntity row, CallId callId)
    {
        var call = CallStateJson.Deserialize<OutboundCall>(CallRowWrites.StateOf(row, callId.Value));
        return call.CallId == callId ? call : throw new InvalidOperationException($"Row {callId} holds call {call.CallId}.");
    }
}
