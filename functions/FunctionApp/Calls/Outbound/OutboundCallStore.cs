using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>The outcome of one input to an outbound call: the transition that was stored (or refused, or changed nothing).</summary>
public sealed record OutboundChange(OutboundCall Before, CallTransition<OutboundCall> Transition, OutboundRelayLink Relay)
{
    public OutboundCall State => Transition.State;

    public bool Written => !Transition.Refused && Transition.ChangedFrom(Before);
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
/// loop of Domain/Calls/README.md; on a 412 the input is applied again to the fresh row.
/// </summary>
public sealed class OutboundCallStore(AppStorage storage)
{
    public const string OutboundRow = "outbound";

    private const string StateColumn = "State";
    private const string PhaseColumn = "Phase";
    private const string VersionColumn = "Version";
    private const string SessionColumn = "RelaySession";
    private const string MetaAnswerColumn = "MetaAnswerSdp";

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
        CallId callId, Func<OutboundCall, CallTransition<OutboundCall>> apply, CancellationToken ct, OutboundRelayLink? link = null)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var table = await storage.TableAsync(AppTables.Calls, ct);
        OutboundChange? change = null;
        await _concurrency.UpdateAsync(table, callId.Value, OutboundRow, current =>
        {
            var before = current is null ? OutboundCall.New(callId) : Read(current, callId);
            var stored = current is null ? OutboundRelayLink.None : LinkOf(current);
            var transition = apply(before);
            change = new OutboundChange(before, transition, stored.Merge(link));
            if (!change.Written)
            {
                return null;
            }

            var next = new TableEntity(callId.Value, OutboundRow)
            {
                [StateColumn] = CallStateJson.Serialize(transition.State),
                [PhaseColumn] = transition.State.Phase.ToString(),
                [VersionColumn] = transition.State.Version,
            };
            if (change.Relay.SessionId is { } session)
            {
                next[SessionColumn] = session.Value;
            }

            if (change.Relay.MetaAnswerSdp is { } answer)
            {
                next[MetaAnswerColumn] = answer;
            }

            return next;
        }, ct);
        return change ?? throw new InvalidOperationException($"The outbound call {callId} was not applied.");
    }

    private static OutboundRelayLink LinkOf(TableEntity row) =>
        new(row.GetString(SessionColumn) is { Length: > 0 } session ? new CallId(session) : null, row.GetString(MetaAnswerColumn));

    private static OutboundCall Read(TableEntity row, CallId callId)
    {
        var call = CallStateJson.Deserialize<OutboundCall>(row.GetString(StateColumn) ?? throw new InvalidOperationException($"Call {callId} has no state."));
        return call.CallId == callId ? call : throw new InvalidOperationException($"Row {callId} holds call {call.CallId}.");
    }
}
