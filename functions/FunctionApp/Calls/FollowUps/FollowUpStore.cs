using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Timelines;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>What a write did: the item before (null when new) and after; <see cref="Changed"/> false for a repeat.</summary>
public sealed record FollowUpChange(FollowUp? Before, FollowUp? After)
{
    public bool Changed => After is not null && After != Before;

    /// <summary>The item just became something agents should hear about: listed for the first time, or a callback now requested.</summary>
    public bool IsNews => After is { Visible: true } after
        && (Before is not { Visible: true } || (after.Request.CallbackRequested && !Before.Request.CallbackRequested));
}

/// <summary>The outcome of an agent's claim or complete: unknown item, refused with the domain's reason, or done.</summary>
public sealed record FollowUpCommand(FollowUp? Item, CallbackRefusal? Refusal)
{
    public bool Found => Item is not null;
}

/// <summary>
/// Follow-up items in <see cref="AppTables.FollowUps"/>: PK <c>follow-up</c>, RK item id, the item as columns
/// (<c>Stage</c>, <c>Visible</c> and <c>Business</c> are what the list filters on). Every change is an ETag
/// read–modify–write, so of two agents claiming at once the second is re-applied to the first one's claim and comes
/// back refused (<see cref="CallbackRefusal.ClaimedByAnotherAgent"/>). One partition keeps point reads by id cheap;
/// the list is a filtered read of it, fine for a contact centre's volume of follow-ups.
/// </summary>
public sealed class FollowUpStore(AppStorage storage)
{
    public const string Partition = "follow-up";
    public const string CallbackPrefix = "callback.";

    private readonly OptimisticConcurrency _concurrency = new();

    public async Task<FollowUp?> GetAsync(string id, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.FollowUps, ct);
        var row = await table.GetEntityIfExistsAsync(Partition, RowKeyOf(id), ct: ct);
        return row is null ? null : Read(row);
    }

    /// <summary>Listed items, newest first, optionally of one stage and one business number.</summary>
    public async Task<IReadOnlyList<FollowUp>> ListAsync(CallbackStage? stage, BusinessNumberId? business, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.FollowUps, ct);
        var filter = TableFilter.PartitionKeyEquals(Partition).And(TableFilter.Compare("Visible", TableOperator.Equal, true));
        if (stage is { } s)
        {
            filter = filter.And(TableFilter.Compare("Stage", TableOperator.Equal, s.ToString()));
        }

        if (business is { } number)
        {
            filter = filter.And(TableFilter.Compare("Business", TableOperator.Equal, number.Value));
        }

        var items = new List<FollowUp>();
        await foreach (var row in table.QueryAsync(filter, ct))
        {
            items.Add(Read(row));
        }

        return [.. items.OrderByDescending(i => i.Request.CallbackRequestedAt ?? i.Request.RequestedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// <see cref="RecordMissedCall"/> → the call's item (<see cref="CallbackRequest.FromMissedCall"/>). A callback
    /// request that arrived first for this call is kept on it; a repeat changes nothing.
    /// </summary>
    public Task<FollowUpChange> RecordMissedAsync(RecordMissedCall missed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(missed);
        return UpdateAsync(missed.CallId.Value, current =>
        {
            if (current?.MissedAt is not null)
            {
                return current;
            }

            var request = CallbackRequest.FromMissedCall(missed);
            if (current?.Request.CallbackRequestedAt is { } requestedAt)
            {
                request = request.RequestCallback(requestedAt);
            }

            return new FollowUp(missed.CallId.Value, request, missed.At, missed.Reason, current?.CallbackExpiresAt);
        }, ct);
    }

    /// <summary>
    /// The customer's automatic permission grant after their call (§1.10): lands on the item of the call it names
    /// (waiting unlisted until that call is missed), or else on the customer's latest unfinished missed call, or
    /// else becomes an item of its own keyed by the grant's message id. A redelivered grant changes nothing.
    /// </summary>
    public async Task<FollowUpChange> RequestCallbackAsync(
        BusinessNumberId business, ContactKey customer, IReadOnlyCollection<ContactKey> customerKeys, CallId? call, string messageId,
        DateTimeOffset at, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(customerKeys);
        if (call is null && await LatestOpenMissedCallAsync(business, customerKeys, ct) is { } latest)
        {
            call = latest;
        }

        var id = call?.Value ?? CallbackPrefix + messageId;
        return await UpdateAsync(id, current =>
        {
            var item = current ?? new FollowUp(id, new CallbackRequest(business, customer, call, at));
            return item with
            {
                Request = item.Request.RequestCallback(at),
                CallbackExpiresAt = item.CallbackExpiresAt ?? expiresAt,
            };
        }, ct);
    }

    public Task<FollowUpCommand> ClaimAsync(string id, AgentId agent, DateTimeOffset now, CancellationToken ct) =>
        CommandAsync(id, item => item.Request.Claim(agent, now), ct);

    public Task<FollowUpCommand> CompleteAsync(string id, AgentId agent, DateTimeOffset now, string? note, CancellationToken ct) =>
        CommandAsync(id, item => item.Request.Complete(agent, now, note), ct);

    private async Task<FollowUpCommand> CommandAsync(
        string id, Func<FollowUp, (CallbackRequest Request, CallbackRefusal? Refusal)> apply, CancellationToken ct)
    {
        CallbackRefusal? refusal = null;
        var change = await UpdateAsync(id, current =>
        {
            refusal = null;
            if (current is not { Visible: true })
            {
                return null;
            }

            var (request, refused) = apply(current);
            refusal = refused;
            return refused is null ? current with { Request = request } : current;
        }, ct);
        return new FollowUpCommand(change.After is { Visible: true } ? change.After : null, refusal);
    }

    private async Task<CallId?> LatestOpenMissedCallAsync(BusinessNumberId business, IReadOnlyCollection<ContactKey> keys, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.FollowUps, ct);
        var filter = TableFilter.PartitionKeyEquals(Partition)
            .And(TableFilter.Compare("Business", TableOperator.Equal, business.Value))
            .And(TableFilter.Compare("Stage", TableOperator.NotEqual, nameof(CallbackStage.Completed)));
        FollowUp? latest = null;
        await foreach (var row in table.QueryAsync(filter, ct))
        {
            var item = Read(row);
            if (item.MissedAt is { } missedAt && keys.Contains(item.Request.Customer) && (latest is null || missedAt > latest.MissedAt))
            {
                latest = item;
            }
        }

        return latest?.Request.MissedCall;
    }

    /// <summary>Read → change → If-Match write; <paramref name="change"/> is pure and may run again after a 412.</summary>
    private async Task<FollowUpChange> UpdateAsync(string id, Func<FollowUp?, FollowUp?> change, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.FollowUps, ct);
        FollowUp? before = null;
        FollowUp? after = null;
        await _concurrency.UpdateAsync(table, Partition, RowKeyOf(id), current =>
        {
            before = current is null ? null : Read(current);
            after = change(before);
            return after is null || after == before ? null : Write(after);
        }, ct);
        return new FollowUpChange(before, after);
    }

    // Rows written before the table client escaped keys itself (TableKey) had / \ # ? and control characters
    // replaced with '_'; the same form keeps those items reachable by id. Ids hold the original, so nothing is lost.
    private static string RowKeyOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return string.Create(id.Length, id, static (span, value) =>
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                span[i] = c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c;
            }
        });
    }

    private static TableEntity Write(FollowUp item)
    {
        var r = item.Request;
        var row = new TableEntity(Partition, RowKeyOf(item.Id))
            .With("Id", item.Id)
            .With("Visible", item.Visible)
            .With("Business", r.Business.Value)
            .With("Customer", r.Customer.Value)
            .With("RequestedAt", r.RequestedAt)
            .With("Stage", r.Stage.ToString());
        Optional(row, "MissedCall", r.MissedCall?.Value);
        Optional(row, "ClaimedBy", r.ClaimedBy?.Value);
        Optional(row, "ClaimedAt", r.ClaimedAt);
        Optional(row, "CompletedAt", r.CompletedAt);
        Optional(row, "CallbackRequestedAt", r.CallbackRequestedAt);
        Optional(row, "Note", r.Note);
        Optional(row, "MissedAt", item.MissedAt);
        Optional(row, "MissReason", item.MissReason?.ToString());
        Optional(row, "CallbackExpiresAt", item.CallbackExpiresAt);
        return row;
    }

    private static FollowUp Read(TableEntity row)
    {
        var customer = ContactKey.TryParse(row.GetString("Customer"), out var key)
            ? key
            : throw new InvalidOperationException($"Follow-up {row.RowKey} holds no readable customer.");
        var request = new CallbackRequest(
            new BusinessNumberId(row.GetString("Business") ?? string.Empty),
            customer,
            row.GetString("MissedCall") is { Length: > 0 } call ? new CallId(call) : null,
            row.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.MinValue,
            Enum.TryParse<CallbackStage>(row.GetString("Stage"), out var stage) ? stage : CallbackStage.Open,
            row.GetString("ClaimedBy") is { Length: > 0 } agent ? new AgentId(agent) : null,
            row.GetDateTimeOffset("ClaimedAt"),
            row.GetDateTimeOffset("CompletedAt"),
            row.GetDateTimeOffset("CallbackRequestedAt"),
            row.GetString("Note"));
        return new FollowUp(
            row.GetString("Id") ?? row.RowKey,
            request,
            row.GetDateTimeOffset("MissedAt"),
            Enum.TryParse<MissReason>(row.GetString("MissReason"), out var reason) ? reason : null,
            row.GetDateTimeOffset("CallbackExpiresAt"));
    }

    private static void Optional(TableEntity row, string name, object? value)
    {
        if (value is not null)
        {
            row.With(name, value);
        }
    }
}
