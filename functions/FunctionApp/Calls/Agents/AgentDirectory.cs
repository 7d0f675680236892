using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Concurrency;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls.Agents;

/// <summary>An agent's row: the lifecycle's <see cref="Agent"/> plus the display name and roles the ring order needs.</summary>
public sealed record DirectoryAgent(Agent Agent, string Name, ImmutableArray<string> Roles)
{
    public bool IsAgentRole => Roles.Contains(Auth.Roles.Agent, StringComparer.Ordinal);
}

/// <summary>
/// Agents in <see cref="AppTables.Agents"/>: PK <c>agent</c>, RK agent id; presence, capabilities, roles and the
/// active call (what makes an agent "on a call"). Locally, an empty table is seeded from <c>Auth__DevAgents</c>,
/// every dev agent starting offline with full capabilities.
/// </summary>
public sealed class AgentDirectory(AppStorage storage, IOptions<AuthOptions> auth, ILogger<AgentDirectory> logger)
{
    public const string Partition = "agent";

    private readonly OptimisticConcurrency _concurrency = new();
    private int _seeded;

    public async Task<ImmutableArray<DirectoryAgent>> ListAsync(CancellationToken ct)
    {
        var table = await TableAsync(ct);
        var agents = ImmutableArray.CreateBuilder<DirectoryAgent>();
        await foreach (var row in table.QueryAsync(TableFilter.PartitionKeyEquals(Partition), ct))
        {
            agents.Add(Read(row));
        }

        return [.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    public async Task<AgentRoster> RosterAsync(CancellationToken ct) =>
        new((await ListAsync(ct)).ToImmutableDictionary(a => a.Agent.Id, a => a.Agent));

    public async Task<DirectoryAgent?> FindAsync(AgentId id, CancellationToken ct)
    {
        var table = await TableAsync(ct);
        var row = await table.GetEntityIfExistsAsync(Partition, id.Value, ct: ct);
        return row is null ? null : Read(row);
    }

    /// <summary>Sets the agent's presence, creating the row (full capabilities, agent role) for an agent seen first.</summary>
    public Task<DirectoryAgent> SetPresenceAsync(AgentId id, AgentPresence presence, IReadOnlyCollection<string> roles, CancellationToken ct) =>
        UpdateAsync(id, current => current is null
            ? new DirectoryAgent(new Agent(id, presence, AgentCapabilities.Full), id.Value, [.. roles])
            : current with { Agent = current.Agent with { Presence = presence } }, ct);

    /// <summary>An admin sets the agent's display name and capabilities; an agent not seen yet is created offline.</summary>
    public Task<DirectoryAgent> SetProfileAsync(AgentId id, string? name, AgentCapabilities capabilities, CancellationToken ct) =>
        UpdateAsync(id, current => current is null
            ? new DirectoryAgent(new Agent(id, AgentPresence.Offline, capabilities), name ?? id.Value, [Auth.Roles.Agent])
            : current with { Agent = current.Agent with { Capabilities = capabilities }, Name = name ?? current.Name }, ct);

    /// <summary><c>AssignAgent</c> / <c>ReleaseAgent</c>: sets or clears the active call; releasing another call's assignment changes nothing.</summary>
    public Task<DirectoryAgent> SetActiveCallAsync(AgentId id, CallId? call, CallId releasing, CancellationToken ct) =>
        UpdateAsync(id, current =>
        {
            current ??= new DirectoryAgent(new Agent(id, AgentPresence.Offline, AgentCapabilities.Full), id.Value, [Auth.Roles.Agent]);
            if (call is null && current.Agent.ActiveCall != releasing)
            {
                return current;
            }

            return current with { Agent = current.Agent with { ActiveCall = call } };
        }, ct);

    /// <summary>
    /// Marks the agent on the call they are dialling (<paramref name="dial"/>, the relay session id until Graph names
    /// the call) unless they are already on one: two dials at the same instant cannot both pass, since only one write
    /// finds the active call empty. False when the agent is on another call.
    /// </summary>
    public async Task<bool> TryClaimForDialAsync(AgentId id, CallId dial, CancellationToken ct)
    {
        var claimed = false;
        await UpdateAsync(id, current =>
        {
            claimed = false;
            current ??= new DirectoryAgent(new Agent(id, AgentPresence.Offline, AgentCapabilities.Full), id.Value, [Auth.Roles.Agent]);
            if (current.Agent.ActiveCall is { } active && active != dial)
            {
                return current;
            }

            claimed = true;
            return current with { Agent = current.Agent with { ActiveCall = dial } };
        }, ct);
        return claimed;
    }

    /// <summary>Teammates <paramref name="initiator"/> may offer a call to now: available, not restricted, not on a call.</summary>
    public async Task<ImmutableArray<DirectoryAgent>> TransferTargetsAsync(AgentId initiator, CancellationToken ct)
    {
        var directory = await ListAsync(ct);
        var roster = new AgentRoster(directory.ToImmutableDictionary(a => a.Agent.Id, a => a.Agent));
        var eligible = AgentPolicy.TransferTargets(roster, initiator).Select(a => a.Id).ToHashSet();
        return [.. directory.Where(a => eligible.Contains(a.Agent.Id))];
    }

    private async Task<DirectoryAgent> UpdateAsync(AgentId id, Func<DirectoryAgent?, DirectoryAgent> change, CancellationToken ct)
    {
        var table = await TableAsync(ct);
        DirectoryAgent? result = null;
        await _concurrency.UpdateAsync(table, Partition, id.Value, current =>
        {
            var before = current is null ? null : Read(current);
            result = change(before);
            return result == before ? null : Write(result);
        }, ct);
        return result!;
    }

    private async Task<TableClient> TableAsync(CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Agents, ct);
        if (Interlocked.Exchange(ref _seeded, 1) == 0)
        {
            await SeedAsync(table, ct);
        }

        return table;
    }

    private async Task SeedAsync(TableClient table, CancellationToken ct)
    {
        var page = await table.QueryPageAsync(new TableQuery(TableFilter.PartitionKeyEquals(Partition), Top: 1), ct: ct);
        if (page.Entities.Count > 0)
        {
            return;
        }

        foreach (var (name, roles) in auth.Value.ParseDevAgents())
        {
            var agent = new DirectoryAgent(new Agent(new AgentId(name), AgentPresence.Offline, AgentCapabilities.Full), name, [.. roles]);
            await table.UpsertEntityAsync(Write(agent), ct: ct);
            logger.LogInformation("Seeded development agent {AgentId} with roles {Roles}", name, string.Join(",", roles));
        }
    }

    private static TableEntity Write(DirectoryAgent agent) => new(Partition, agent.Agent.Id.Value)
    {
        ["Name"] = agent.Name,
        ["Roles"] = string.Join(",", agent.Roles),
        ["Presence"] = agent.Agent.Presence.ToString(),
        ["MayReceiveCalls"] = agent.Agent.Capabilities.MayReceiveCalls,
        ["MayMakeCalls"] = agent.Agent.Capabilities.MayMakeCalls,
        ["Restricted"] = agent.Agent.Capabilities.Restricted,
        ["ActiveCall"] = agent.Agent.ActiveCall?.Value ?? string.Empty,
    };

    private static DirectoryAgent Read(TableEntity row)
    {
        var capabilities = new AgentCapabilities(
            row.GetBoolean("MayReceiveCalls") ?? true, row.GetBoolean("MayMakeCalls") ?? true, row.GetBoolean("Restricted") ?? false);
        var presence = Enum.TryParse<AgentPresence>(row.GetString("Presence"), out var p) ? p : AgentPresence.Offline;
        var active = row.GetString("ActiveCall") is { Length: > 0 } call ? new CallId(call) : (CallId?)null;
        var roles = (row.GetString("Roles") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new DirectoryAgent(new Agent(new AgentId(row.RowKey), presence, capabilities, active), row.GetString("Name") ?? row.RowKey, [.. roles]);
    }
}
