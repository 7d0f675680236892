using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Blobs;
using WhatsAppCalling.Storage.Queues;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the account parsed from <paramref name="connectionString"/> (e.g. <c>AzureWebJobsStorage</c>) and
    /// one singleton client per service, all sharing one <see cref="StorageClientOptions"/>.
    /// </summary>
    public static IServiceCollection AddAzureStorage(
        this IServiceCollection services, string connectionString, Action<StorageClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddAzureStorage(StorageAccount.Parse(connectionString), configure);
    }

    /// <summary>Registers an account built elsewhere (for example endpoints plus a managed identity credential).</summary>
    public static IServiceCollection AddAzureStorage(
        this IServiceCollection services, StorageAccount account, Action<StorageClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(account);
        var options = new StorageClientOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(account);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new QueueServiceClient(sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<StorageClientOptions>()));
        services.TryAddSingleton(sp => new TableServiceClient(sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<StorageClientOptions>()));
        services.TryAddSingleton(sp => new BlobServiceClient(sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<StorageClientOptions>()));
        return services;
    }
}
