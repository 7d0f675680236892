using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>Registers the billing services, event handlers, timers and endpoints.</summary>
public static class BillingFeature
{
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BillingOptions>().Configure(o => BillingOptions.Bind(o, configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();

        // The shipped rate cards and market table are validated on first use; a bad data file names its problems.
        services.TryAddSingleton(_ => BillingDataLoader.LoadEmbedded());
        services.TryAddSingleton(sp => new CallingAvailability(
            sp.GetRequiredService<RateBook>().Markets, sp.GetRequiredService<IOptions<BillingOptions>>().Value.ToAvailabilityOptions()));
        services.TryAddSingleton(sp => new CallAffordability(
            sp.GetRequiredService<RateBook>(),
            sp.GetRequiredService<CallingAvailability>(),
            sp.GetRequiredService<IOptions<BillingOptions>>().Value.MinimumBalance));

        services.AddSingleton(sp => new LedgerStore(sp.GetRequiredService<Storage.AppStorage>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BillingGate>();
        services.AddSingleton<IBillingGate>(sp => sp.GetRequiredService<BillingGate>());
        services.AddWhatsAppEventHandler<BillingEventHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapBilling(this IEndpointRouteBuilder endpoints) => endpoints.MapBillingEndpoints();
}
