namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>Registers the consent services, event handlers, timers and endpoints.</summary>
public static class ConsentFeature
{
    public static IServiceCollection AddConsent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder endpoints) => endpoints;
}
