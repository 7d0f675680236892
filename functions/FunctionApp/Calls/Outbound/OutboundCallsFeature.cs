using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>Registers the outbound-call shell: store, eligibility, effects, webhook handler, timers and routes.</summary>
public static class OutboundCallsFeature
{
    public static IServiceCollection AddOutboundCalls(this IServiceCollection services)
    {
        services.AddSingleton<OutboundCallStore>();
        services.AddSingleton<OutboundEligibility>();
        services.AddSingleton<OutboundEffectRunner>();
        services.AddSingleton<OutboundCalls>();
        services.AddWhatsAppEventHandler<OutboundCallEventHandler>();
        services.AddDurableTimerHandler<OutboundCallTimerHandler>();
        services.AddDurableTimerHandler<DialClaimTimerHandler>();
        return services;
    }
}
