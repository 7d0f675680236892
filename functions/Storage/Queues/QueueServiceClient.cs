using Azure.Core.Pipeline;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Queues;

/// <summary>Entry point to an account's queues; one pipeline shared by every <see cref="QueueClient"/> it hands out.</summary>
public sealed class QueueServiceClient
{
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly StorageClientOptions _options;

    public QueueServiceClient(StorageAccount account, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        _options = options ?? new StorageClientOptions();
        _endpoint = StoragePipeline.RequireEndpoint(account.QueueEndpoint, StorageService.Queue);
        _pipeline = StoragePipeline.Build(account, StorageService.Queue, _options);
    }

    public Uri Endpoint => _endpoint;

    public QueueClient GetQueueClient(string queueName) => new(_pipeline, _endpoint, queueName);
}
