using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Notifications;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>
/// A follow-up item appeared, or the customer of one asked to be called back: the console adds it to the
/// follow-up list (<c>GET /api/follow-ups</c> holds the truth after a reconnect).
/// </summary>
public sealed record FollowUpNotification(
    string FollowUpId,
    string Kind,
    string BusinessNumberId,
    NotifiedCustomer Customer,
    string? MissedCallId,
    DateTimeOffset? CallbackExpiresAt) : AgentNotification
{
    public override string Target => "followUp";

    public static FollowUpNotification Of(FollowUp item, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.Id, item.Kind, item.Request.Business.Value, CustomerOf(item.Request.Customer), item.Request.MissedCall?.Value, item.CallbackExpiresAt)
        {
            At = at,
        };
    }

    public static NotifiedCustomer CustomerOf(ContactKey key) => new(key.Value, key.Phone?.ToString(), null);
}

/// <summary>
/// A follow-up item was claimed or completed: teammates' lists update at once, so nobody sets out to call back a
/// customer someone already has (<see cref="Status"/> as in <c>GET /api/follow-ups</c>).
/// </summary>
public sealed record FollowUpUpdatedNotification(string FollowUpId, string Status, string? ClaimedBy) : AgentNotification
{
    public override string Target => "followUpUpdated";
}

/// <summary>
/// Team-wide pushes: to the agents who answer a number (its ring order, which defaults to every agent), or to every
/// agent of the directory. Used for follow-ups, permission changes and a low balance; delivery is at most once,
/// like every notification, and a failing push is logged rather than failing the work that caused it.
/// </summary>
public sealed class TeamNotifier(IAgentNotifier notifier, AgentDirectory agents, RingOrderStore orders, ILogger<TeamNotifier> logger)
{
    public async Task NotifyNumberAsync(BusinessNumberId number, AgentNotification notification, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await SafelyAsync(notification, async () =>
        {
            var order = await orders.GetAsync(number, ct);
            await notifier.NotifyAgentsAsync([.. order.Agents], notification, ct);
        });
    }

    public async Task NotifyEveryoneAsync(AgentNotification notification, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await SafelyAsync(notification, async () =>
        {
            var all = await agents.ListAsync(ct);
            await notifier.NotifyAgentsAsync([.. all.Select(a => a.Agent.Id)], notification, ct);
        });
    }

    public Task NotifySupervisorsAsync(AgentNotification notification, CancellationToken ct) =>
        SafelyAsync(notification, () => notifier.NotifySupervisorsAsync(notification, ct));

    private async Task SafelyAsync(AgentNotification notification, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (HttpRequestException e)
        {
            // The stored state is the truth; a lost push is recovered when the console reloads it.
            logger.LogWarning(e, "Notification {Target} could not be pushed", notification.Target);
        }
    }
}
