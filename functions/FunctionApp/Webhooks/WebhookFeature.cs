using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Timeline;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>Webhook ingest: verification, signed intake, the event processor and its first handler (the timeline).</summary>
public static class WebhookFeature
{
    public static IServiceCollection AddWebhookIngest(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<EventCompletions>();
        services.AddScoped<WhatsAppEventDispatcher>();
        services.AddSingleton<BusinessNumbers>();
        services.AddSingleton<ContactDirectory>();
        services.AddSingleton<TimelineStore>();
        services.AddWhatsAppEventHandler<TimelineEventHandler>();
        services.AddQueueFunction<ProcessWebhookChangeFunction>(ProcessWebhookChangeFunction.Name, StorageNames.From(configuration).Queue(AppQueues.WebhookEvents));
        return services;
    }

    /// <summary>Registers an event handler; the processor dispatches every event to every handler.</summary>
    public static IServiceCollection AddWhatsAppEventHandler<THandler>(this IServiceCollection services)
        where THandler : class, IWhatsAppEventHandler =>
        services.AddScoped<IWhatsAppEventHandler, THandler>();

    public static IEndpointRouteBuilder MapWebhookIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWebhookEndpoints();
        endpoints.MapTimeline();
        return endpoints;
    }
}
