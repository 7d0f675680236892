using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WhatsAppCalling.Storage.Timers;

public static class DurableTimerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDurableTimers"/> (queue-backed) and <see cref="DurableTimerDispatcher"/>, with
    /// <see cref="TimerOptions"/> bound from the <c>Timers</c> section. Needs a <c>QueueServiceClient</c>
    /// (see <c>AddAzureStorage</c>); handlers are added with <see cref="AddDurableTimerHandler{THandler}"/>.
    /// </summary>
    public static IServiceCollection AddDurableTimers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TimerOptions>()
            .Bind(configuration.GetSection(TimerOptions.SectionName))
            .Validate(o => o.MaxHopSeconds > 0, "Timers:MaxHopSeconds must be positive (it is clamped to 7 days).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.QueueName), "Timers:QueueName must not be empty.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueDurableTimers>();
        services.TryAddSingleton<IDurableTimers>(sp => sp.GetRequiredService<QueueDurableTimers>());
        services.TryAddSingleton<DurableTimerDispatcher>();
        return services;
    }

    /// <summary>Registers a handler (a singleton) for its <see cref="IDurableTimerHandler.Kind"/>.</summary>
    public static IServiceCollection AddDurableTimerHandler<THandler>(this IServiceCollection services)
        where THandler : class, IDurableTimerHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDurableTimerHandler, THandler>());
        return services;
    }
}
