namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>Webhook ingest: verification, signed intake, the event processor and its handlers.</summary>
public static class WebhookFeature
{
    public static IServiceCollection AddWebhookIngest(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    /// <summary>Registers an event handler; the processor dispatches every event to every handler.</summary>
    public static IServiceCollection AddWhatsAppEventHandler<THandler>(this IServiceCollection services)
        where THandler : class, IWhatsAppEventHandler =>
        services.AddScoped<IWhatsAppEventHandler, THandler>();

    public static IEndpointRouteBuilder MapWebhookIngest(this IEndpointRouteBuilder endpoints) => endpoints;
}
