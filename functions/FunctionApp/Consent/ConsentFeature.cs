using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>Registers the consent services, event handlers, timers and endpoints (issue 6).</summary>
public static class ConsentFeature
{
    public static IServiceCollection AddConsent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConsentOptions>()
            .Configure(o => ConsentOptions.Bind(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsentOptions>, ConsentOptionsValidator>();

        // ContactDirectory and BusinessNumbers are shared with the webhook ingest (architecture.md "Identity and storage").
        services.TryAddSingleton<ContactDirectory>();
        services.TryAddSingleton<BusinessNumbers>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<SentMessageLog>();
        services.AddSingleton<CallingConsent>();
        services.AddScoped<PermissionRequestSender>();
        services.AddScoped<PermissionRefresher>();

        services.AddWhatsAppEventHandler<ConsentEventHandler>();
        services.AddDurableTimerHandler<ConsentExpiryTimerHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder endpoints) => endpoints.MapConsentEndpoints();
}
