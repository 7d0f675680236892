using Azure.Core.Pipeline;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>Entry point to an account's tables; one pipeline shared by every <see cref="TableClient"/>.</summary>
public sealed class TableServiceClient
{
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    public TableServiceClient(StorageAccount account, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        _endpoint = StoragePipeline.RequireEndpoint(account.TableEndpoint, StorageService.Table);
        _pipeline = StoragePipeline.Build(account, StorageService.Table, options ?? new StorageClientOptions());
    }

    public Uri Endpoint => _endpoint;

    public TableClient GetTableClient(string tableName) => new(_pipeline, _endpoint, tableName);
}
