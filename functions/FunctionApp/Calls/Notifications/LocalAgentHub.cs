using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// The self-hosted hub used when <c>SignalR__ConnectionString</c> is empty. It has no client-callable methods:
/// SignalR Service in serverless mode is receive-only for clients (azure-protocols.md §6.4), and local runs must
/// not let the console depend on anything Azure would refuse.
/// </summary>
public sealed class AgentsHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        // Azure keeps supervisors in the group by user (added at negotiate); locally the hub does it per connection.
        if (Context.User?.IsInRole(Roles.Supervisor) == true)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, AgentHub.SupervisorsGroup);
        }

        await base.OnConnectedAsync();
    }
}

/// <summary>SignalR user id = agent id, read from the same claim as the rest of the API (<c>Auth__AgentIdClaim</c>).</summary>
public sealed class AgentIdUserIdProvider(IOptions<AuthOptions> options) : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.User.AgentId(options.Value);
    }
}

/// <summary>Sends through the in-process hub.</summary>
public sealed class HubAgentNotifier(IHubContext<AgentsHub> hub) : IAgentNotifier
{
    public Task NotifyAgentAsync(AgentId agent, AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return hub.Clients.User(agent.Value).SendAsync(notification.Target, AgentNotificationJson.Payload(notification), cancellationToken);
    }

    public Task NotifyAgentsAsync(IReadOnlyCollection<AgentId> agents, AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(notification);
        return agents.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Users([.. agents.Select(a => a.Value).Distinct(StringComparer.Ordinal)])
                .SendAsync(notification.Target, AgentNotificationJson.Payload(notification), cancellationToken);
    }

    public Task NotifySupervisorsAsync(AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return hub.Clients.Group(AgentHub.SupervisorsGroup).SendAsync(notification.Target, AgentNotificationJson.Payload(notification), cancellationToken);
    }
}
