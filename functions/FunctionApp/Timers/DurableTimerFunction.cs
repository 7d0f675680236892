using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Timers;

namespace WhatsAppCalling.FunctionApp.Timers;

/// <summary>
/// The queue function behind every durable timer (architecture.md decision 3): a message becomes visible at its due
/// time (or at the next hop), and the dispatcher either hops it again or hands it to the handler for its kind.
/// </summary>
public sealed class DurableTimerFunction(DurableTimerDispatcher dispatcher) : IQueueFunction
{
    public const string Name = "DurableTimer";

    public Task RunAsync(QueueInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return dispatcher.DispatchAsync(invocation.MessageText, cancellationToken);
    }
}

public static class DurableTimerFeature
{
    /// <summary>Queue-backed timers on the app's storage, and the function that fires them.</summary>
    public static IServiceCollection AddAppDurableTimers(this IServiceCollection services, IConfiguration configuration, StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var queueName = names.Queue(AppQueues.DurableTimers);
        services.AddSingleton(sp => new QueueServiceClient(sp.GetRequiredService<StorageConnections>().Get(AppStorage.ConnectionName)));
        services.AddDurableTimers(configuration);
        services.PostConfigure<TimerOptions>(o => o.QueueName = queueName);
        services.AddQueueFunction<DurableTimerFunction>(DurableTimerFunction.Name, queueName);
        return services;
    }
}
