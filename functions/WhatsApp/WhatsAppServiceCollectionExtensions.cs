using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.WhatsApp.Configuration;

namespace WhatsAppCalling.WhatsApp;

public static class WhatsAppServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWhatsAppClient"/> as a typed HttpClient with options from the <c>WhatsApp</c> and
    /// <c>BusinessNumbers</c> sections, validated at start-up.
    /// </summary>
    public static IHttpClientBuilder AddWhatsAppGraphClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WhatsAppOptions>().Bind(configuration.GetSection(WhatsAppOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WhatsAppOptions>, WhatsAppOptionsValidator>();
        services.AddOptions<BusinessNumbersOptions>()
            .Configure(o => configuration.GetSection(BusinessNumbersOptions.SectionName).Bind(o.Numbers))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusinessNumbersOptions>, BusinessNumbersOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        return services
            .AddHttpClient<IWhatsAppClient, WhatsAppClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>().CurrentValue;
                http.BaseAddress = options.VersionedBaseAddress;
                // Timeouts are enforced per attempt and per operation by the transport's pipeline.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The Authorization header must never reach a log line, whatever the log level (style: no secrets).
            .RedactLoggedHeaders(static _ => true);
    }
}
