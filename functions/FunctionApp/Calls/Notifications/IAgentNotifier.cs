using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// Pushes <see cref="AgentNotification"/>s to agent consoles. Messages go to SignalR user ids, which are agent ids
/// (architecture.md, "External contracts"); an agent with no open console simply receives nothing.
/// Delivery is at most once: callers keep the truth in storage and consoles reload it on reconnect.
/// </summary>
public interface IAgentNotifier
{
    Task NotifyAgentAsync(AgentId agent, AgentNotification notification, CancellationToken cancellationToken);

    Task NotifyAgentsAsync(IReadOnlyCollection<AgentId> agents, AgentNotification notification, CancellationToken cancellationToken);

    /// <summary>Every signed-in supervisor (the <c>supervisors</c> group).</summary>
    Task NotifySupervisorsAsync(AgentNotification notification, CancellationToken cancellationToken);
}

/// <summary>Names shared by both transports and the negotiate route.</summary>
public static class AgentHub
{
    /// <summary>The hub name (architecture.md: "the hub is <c>agents</c>").</summary>
    public const string Name = "agents";

    /// <summary>Where the self-hosted hub listens in local runs; the auth layer reads <c>access_token</c> there.</summary>
    public const string LocalPath = Auth.AgentAuthentication.SignalRPathPrefix + "/" + Name;

    public const string SupervisorsGroup = "supervisors";
}
