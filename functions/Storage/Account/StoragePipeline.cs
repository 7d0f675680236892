using Azure.Core;
using Azure.Core.Pipeline;

namespace WhatsAppCalling.Storage.Account;

/// <summary>The storage service a pipeline talks to; it decides the Shared Key string-to-sign format.</summary>
internal enum StorageService
{
    Blob,
    Queue,
    Table,
}

/// <summary>Builds Azure.Core pipelines with the right authentication for an account (architecture.md decision 4).</summary>
internal static class StoragePipeline
{
    // Entra ID token scope for all storage data planes (azure-protocols.md §2.9).
    public const string TokenScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageAccount account, StorageService service, StorageClientOptions options)
    {
        var clock = options.TimeProvider;
        var perCall = new HttpPipelinePolicy[] { new StorageHeadersPolicy(options.ServiceVersion, clock) };
        HttpPipelinePolicy auth;
        if (account.SharedKey is { } key)
        {
            var scheme = service switch
            {
                StorageService.Table => options.UseSharedKeyLiteForTables ? SharedKeyScheme.TableLite : SharedKeyScheme.Table,
                _ => SharedKeyScheme.BlobQueue,
            };
            auth = new SharedKeyAuthenticationPolicy(key, scheme, clock);
        }
        else if (account.SasToken is { } sas)
        {
            auth = new SasQueryPolicy(sas);
        }
        else if (account.TokenCredential is { } credential)
        {
            auth = new BearerTokenAuthenticationPolicy(credential, TokenScope);
        }
        else
        {
            throw new InvalidOperationException("The storage account has no credential.");
        }

        return HttpPipelineBuilder.Build(options, perCall, [auth], new ResponseClassifier());
    }

    public static Uri RequireEndpoint(Uri? endpoint, StorageService service) =>
        endpoint ?? throw new InvalidOperationException($"The storage account has no {service} endpoint.");
}
