using Microsoft.AspNetCore.SignalR;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Hosting;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>Which transport is wired: decided once from <c>SignalR__ConnectionString</c>.</summary>
public sealed record AgentNotificationsMode(bool UsesSignalRService);

/// <summary>
/// Wires <see cref="IAgentNotifier"/> and negotiate: SignalR Service when <c>SignalR__ConnectionString</c> is set,
/// otherwise the self-hosted hub (architecture.md, "Configuration keys").
/// </summary>
public static class AgentNotificationsFeature
{
    public const string ConnectionStringKey = "SignalR:ConnectionString";
    public static readonly TimeSpan ServiceRequestTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddAgentNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSignalR();
            services.AddSingleton<IUserIdProvider, AgentIdUserIdProvider>();
            services.AddSingleton<IAgentNotifier, HubAgentNotifier>();
            services.AddSingleton<IAgentNegotiator, LocalHubNegotiator>();
            services.AddSingleton(new AgentNotificationsMode(UsesSignalRService: false));
            return services;
        }

        // Parsed while composing, so a malformed value stops the app at start-up with the key's name.
        var connection = SignalRServiceConnection.Parse(connectionString);
        services.AddSingleton(connection);
        services.AddSingleton(sp => new SignalRServiceTokens(connection));
        services.AddHttpClient<SignalRServiceNotifier>(client => client.Timeout = ServiceRequestTimeout);
        services.AddTransient<IAgentNotifier>(sp => sp.GetRequiredService<SignalRServiceNotifier>());
        services.AddTransient<IAgentNegotiator, SignalRServiceNegotiator>();
        services.AddSingleton(new AgentNotificationsMode(UsesSignalRService: true));
        return services;
    }

    public static IEndpointRouteBuilder MapAgentNotifications(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapNegotiate();
        if (!endpoints.ServiceProvider.GetRequiredService<AgentNotificationsMode>().UsesSignalRService)
        {
            // Local only: in Azure the service hosts the hub, so this must not become a function (FunctionAppLayout).
            endpoints.MapHub<AgentsHub>(AgentHub.LocalPath)
                .RequireAuthorization(Policies.Agent)
                .WithMetadata(new LocalOnlyEndpointMetadata());
        }

        return endpoints;
    }
}
