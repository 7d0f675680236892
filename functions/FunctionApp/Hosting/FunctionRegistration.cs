namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>Declares queue and timer functions: the one place their name, trigger and queue are written.</summary>
public static class FunctionRegistration
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    public static IServiceCollection AddQueueFunction<TFunction>(
        this IServiceCollection services, string name, string queueName, string connection = DefaultConnection)
        where TFunction : class, IQueueFunction
    {
        Catalog(services).Add(new QueueFunctionDefinition(name, queueName, connection, typeof(TFunction)));
        services.AddScoped<TFunction>();
        return services;
    }

    public static IServiceCollection AddTimerFunction<TFunction>(
        this IServiceCollection services, string name, string schedule, bool runOnStartup = false)
        where TFunction : class, ITimerFunction
    {
        NCrontabSchedule.Parse(schedule);
        Catalog(services).Add(new TimerFunctionDefinition(name, schedule, runOnStartup, typeof(TFunction)));
        services.AddScoped<TFunction>();
        return services;
    }

    public static FunctionCatalog Catalog(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(FunctionCatalog))?.ImplementationInstance;
        if (existing is FunctionCatalog catalog)
        {
            return catalog;
        }

        catalog = new FunctionCatalog();
        services.AddSingleton(catalog);
        return catalog;
    }
}
