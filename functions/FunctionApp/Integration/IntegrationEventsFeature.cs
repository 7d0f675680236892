using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using WhatsAppCalling.FunctionApp.Calls.Journal;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Registers the integration events: the publisher chosen by configuration (Service Bus topic over REST with SAS
/// or Entra, else the Storage queue) and the calls-journal sink that feeds it. Billing publishes its own event.
/// </summary>
public static class IntegrationEventsFeature
{
    public static IServiceCollection AddIntegrationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new IntegrationEventOptions();
        configuration.GetSection(IntegrationEventOptions.Section).Bind(options);
        services.AddOptions<IntegrationEventOptions>().Bind(configuration.GetSection(IntegrationEventOptions.Section));
        if (options.UsesServiceBus)
        {
            // Parsed now: a bad connection string stops the app at start rather than at the first call.
            var target = ServiceBusTarget.From(options);
            services.AddSingleton(target);
            services.AddHttpClient(ServiceBusTopicPublisher.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(70));
            services.AddSingleton<IIntegrationEventPublisher>(sp => new ServiceBusTopicPublisher(
                sp.GetRequiredService<IHttpClientFactory>(),
                target,
                sp.GetRequiredService<IOptions<IntegrationEventOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ServiceBusTopicPublisher>>(),
                target.UsesSas ? null : sp.GetService<TokenCredential>() ?? CredentialOf(options)));
        }
        else
        {
            services.AddSingleton<IIntegrationEventPublisher, QueueIntegrationEventPublisher>();
        }

        services.AddCallJournalSink<CallIntegrationEventSink>();
        return services;
    }

    private static DefaultAzureCredential CredentialOf(IntegrationEventOptions options) =>
        options.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId })
            : new DefaultAzureCredential();
}
