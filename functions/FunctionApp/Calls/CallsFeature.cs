using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.FollowUps;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>Registers the calls services, event handlers, timers and endpoints.</summary>
public static class CallsFeature
{
    public static IServiceCollection AddCalls(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAgentNotifications(configuration);
        services.AddCallRelayEvents();
        services.AddMediaRelay(configuration);
        services.AddSingleton<CallJournal>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<RingOrderStore>();
        services.AddOptions<InboundCallOptions>().Bind(configuration.GetSection(InboundCallOptions.Section));
        services.AddSingleton<Outbox.PendingEffects>();
        services.AddDurableTimerHandler<Outbox.PendingEffectsSweepHandler>();
        services.AddSingleton<CommonCallEffects>();
        services.AddSingleton<CallEffectRunner>();
        services.AddSingleton<InboundCalls>();
        services.AddSingleton<CallMuting>();
        services.AddWhatsAppEventHandler<InboundCallEventHandler>();
        services.AddDurableTimerHandler<CallTimerHandler>();
        services.AddOutboundCalls();
        services.AddFollowUps();
        return services;
    }

    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAgentNotifications().MapRelayEvents().MapAgentEndpoints().MapAgentAdminEndpoints().MapCallEndpoints().MapOutboundCallEndpoints().MapFollowUps();
}
