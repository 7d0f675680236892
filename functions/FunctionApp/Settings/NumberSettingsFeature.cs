using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>Registers business number settings: the store (and its read port), Meta sync, webhook and endpoints.</summary>
public static class NumberSettingsFeature
{
    public static IServiceCollection AddNumberSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NumberSettingsOptions>().Bind(configuration.GetSection(NumberSettingsOptions.Section));
        services.AddSingleton<NumberSettingsStore>();
        services.AddSingleton<INumberSettings>(sp => sp.GetRequiredService<NumberSettingsStore>());
        services.AddSingleton<NumberSettingsSync>();
        services.AddDurableTimerHandler<NumberSettingsSync>();
        services.AddWhatsAppEventHandler<SettingsWebhookHandler>();
        return services;
    }
}
