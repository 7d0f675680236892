using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>Wires <see cref="IMediaRelay"/> (the control API client) and the default <see cref="IRelayEventSink"/>.</summary>
public static class MediaRelayFeature
{
    public static IServiceCollection AddMediaRelay(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();

        // Timeouts are per attempt inside HttpMediaRelay; the client-wide one only backstops a stuck retry loop.
        services.AddHttpClient<HttpMediaRelay>(client => client.Timeout = TimeSpan.FromMinutes(2));
        services.TryAddTransient<IMediaRelay>(sp => sp.GetRequiredService<HttpMediaRelay>());

        // The call lifecycle registers its own sink before this runs; until then, log and remember.
        services.TryAddSingleton<RecentRelayEvents>();
        services.TryAddSingleton<IRelayEventSink>(sp => sp.GetRequiredService<RecentRelayEvents>());
        return services;
    }
}
