using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>The outcome of one input: the transition that was stored (or refused, or changed nothing).</summary>
public sealed record CallChange(InboundCall Before, CallTransition<InboundCall> Transition)
{
    public InboundCall State => Transition.State;

    public bool Written => !Transition.Refused && Transition.ChangedFrom(Before);

    /// <summary>The write also stored the transition's effects as pending (<see cref="Outbox.PendingEffects"/>).</summary>
    public bool EffectsPending => Written && !Transition.Effects.IsEmpty;
}

/// <summary>The call's recording as the relay reported it; <see cref="Location"/> is the blob without any query string.</summary>
public sealed record CallRecording(Uri Location, string ContentType, double DurationSeconds, DateTimeOffset At);

/// <summary>
/// Media facts kept beside the call's state: the relay leg the agent muted (a transfer brings a new, unmuted leg,
/// so mute belongs to the leg, not the call) and the recording, once stored.
/// </summary>
public sealed record CallMedia(string? MutedLeg, CallRecording? Recording)
{
    public static CallMedia None { get; } = new(null, null);

    public bool IsMuted(string legId) => MutedLeg == legId;
}

/// <summary>
/// Inbound calls in <see cref="AppTables.Calls"/>: PK call id, RK <c>inbound</c>, the state as JSON in <c>State</c>
/// with <c>Phase</c> and <c>Version</c> beside it for queries. <see cref="ApplyAsync"/> is the read → apply →
/// If-Match write loop of Domain/Calls/README.md: on a 412 the input is applied again to the fresh row, which is how
/// the losing one of two simultaneous accepts comes back refused.
/// </summary>
public sealed class CallStore(AppStorage storage, Outbox.PendingEffects pending)
{
    /// <summary>The mute and recording kept beside the call's state.</summary>
    public CallMediaRow Media { get; } = new(storage, InboundRow);

    public const string InboundRow = "inbound";

    /// <summary>The direction pending effects of inbound calls are filed under.</summary>
    public const string Direction = "inbound";

    private const string MetaAnswerColumn = "MetaAnswerSdp";

    private readonly OptimisticConcurrency _concurrency = new();

    public async Task<InboundCall?> GetAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var row = await table.GetEntityIfExistsAsync(callId.Value, InboundRow, ct: ct);
        return row is null ? null : Read(row, callId);
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the stored call (or <see cref="InboundCall.New"/>) and writes the new
    /// state when it changed and was not refused. <paramref name="apply"/> may run several times and must not act.
    /// </summary>
    public async Task<CallChange> ApplyAsync(
        CallId callId, Func<InboundCall, CancellationToken, ValueTask<CallTransition<InboundCall>>> apply, CancellationToken ct, string? effectInputs = null)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var table = await storage.TableAsync(AppTables.Calls, ct);
        return await _concurrency.ExecuteAsync($"{table.Name}({callId}, {InboundRow})", async token =>
        {
            var current = await table.GetEntityIfExistsAsync(callId.Value, InboundRow, ct: token);
            var before = current is null ? InboundCall.New(callId) : Read(current, callId);
            var transition = await apply(before, token);
            var change = new CallChange(before, transition);
            if (!change.Written)
            {
                return change;
            }

            // The relay's answer, the recording and the mute state live beside the state and are carried over (a 412
            // re-reads them first).
            var state = CallStateJson.Serialize(transition.State);
            var next = CallRowWrites.StateRow(current, callId.Value, InboundRow, state, transition.State.Phase.ToString(), transition.State.Version);

            var effects = change.EffectsPending ? pending.Row(callId, transition.State.Version, Direction, state, transition.Effects, effectInputs) : null;
            await CallRowWrites.WriteAsync(table, current, next, effects, token);
            return change;
        }, ct);
    }

    /// <summary>Calls ringing now (the <c>Phase</c> column), for re-ringing when an agent's presence or call changes.</summary>
    public async Task<IReadOnlyList<CallId>> RingingAsync(CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var ids = new List<CallId>();
        var query = new TableQuery(TableFilter.Compare(CallRowWrites.PhaseColumn, TableOperator.Equal, nameof(InboundCallPhase.Ringing)), [CallRowWrites.PhaseColumn]);
        await foreach (var row in table.QueryAsync(query, ct))
        {
            ids.Add(new CallId(row.PartitionKey));
        }

        return ids;
    }

    /// <summary>The relay's SDP answer to Meta's offer: sent in <c>pre_accept</c> and again, unchanged, in <c>accept</c> (§2.3).</summary>
    public async Task SaveMetaAnswerAsync(CallId callId, string sdp, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        await table.UpdateEntityAsync(new TableEntity(callId.Value, InboundRow) { [MetaAnswerColumn] = sdp }, TableClient.AnyETag, TableUpdateMode.Merge, ct);
    }

    public async Task<string?> GetMetaAnswerAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var row = await table.GetEntityIfExistsAsync(callId.Value, InboundRow, [MetaAnswerColumn], ct);
        return row?.GetString(MetaAnswerColumn);
    }


    private static InboundCall Read(TableEntity row, CallId callId)
    {
        var call = CallStateJson.Deserialize<InboundCall>(CallRowWrites.StateOf(row, callId.Value));
        return call.CallId == callId ? call : throw new InvalidOperationException($"Row {callId} holds call {call.CallId}.");
    }
}
