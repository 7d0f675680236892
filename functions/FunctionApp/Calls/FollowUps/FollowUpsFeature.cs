using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Timelines;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>
/// Call timelines, missed-call follow-ups and callback requests: two journal sinks, the callback webhook handler,
/// the team notifier and their routes. Wired from <see cref="CallsFeature"/>.
/// </summary>
public static class FollowUpsFeature
{
    public static IServiceCollection AddFollowUps(this IServiceCollection services)
    {
        services.AddSingleton<CallTimelineStore>();
        services.AddSingleton<FollowUpStore>();
        services.AddSingleton<TeamNotifier>();
        services.AddCallJournalSink<CallTimelineSink>();
        services.AddCallJournalSink<FollowUpSink>();
        services.AddWhatsAppEventHandler<CallbackRequestHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapCallTimeline().MapFollowUpEndpoints();
}
