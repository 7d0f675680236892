using System.Collections.Immutable;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Agents;

/// <summary>
/// Ring orders in <see cref="AppTables.BusinessNumbers"/>: PK phone number id, RK <c>ring-order</c>. A number with
/// no stored order rings every agent holding the agent role, one step each, in name order.
/// </summary>
public sealed class RingOrderStore(AppStorage storage, AgentDirectory agents)
{
    public const string Row = "ring-order";

    public async Task<RingOrder> GetAsync(BusinessNumberId number, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.BusinessNumbers, ct);
        var row = await table.GetEntityIfExistsAsync(number.Value, Row, ct: ct);
        if (row is null)
        {
            var all = await agents.ListAsync(ct);
            return new RingOrder(number, [.. all.Where(a => a.IsAgentRole).Select(a => a.Agent.Id)]);
        }

        var ids = (row.GetString("Agents") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => new AgentId(a));
        var step = row.GetInt32("StepSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return new RingOrder(number, [.. ids], row.GetBoolean("RingAllRemaining") ?? false, step);
    }

    public async Task SaveAsync(RingOrder order, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(order);
        var table = await storage.TableAsync(AppTables.BusinessNumbers, ct);
        var row = new TableEntity(order.Business.Value, Row)
        {
            ["Agents"] = string.Join(",", order.Agents.IsDefault ? ImmutableArray<AgentId>.Empty : order.Agents),
            ["RingAllRemaining"] = order.RingAllRemaining,
        };
        if (order.StepDuration is { } step)
        {
            row["StepSeconds"] = (int)step.TotalSeconds;
        }

        await table.UpsertEntityAsync(row, ct: ct);
    }
}
