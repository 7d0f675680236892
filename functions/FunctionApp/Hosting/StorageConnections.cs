using Azure.Identity;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// Resolves a function's <c>connection</c> setting the way the Functions host does: either a connection string
/// under that name, or identity-based service URIs <c>{name}__queueServiceUri</c> (and blob/table) or
/// <c>{name}__accountName</c> with a managed identity (azure-protocols.md §1.7).
/// </summary>
public sealed class StorageConnections(IConfiguration configuration)
{
    private readonly Dictionary<string, StorageAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public StorageAccount Get(string connectionName)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(connectionName, out var account))
            {
                account = Resolve(connectionName);
                _accounts[connectionName] = account;
            }

            return account;
        }
    }

    private StorageAccount Resolve(string name)
    {
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return StorageAccount.Parse(connectionString);
        }

        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        Uri? Endpoint(string key, string service) =>
            section[key] is { Length: > 0 } uri ? new Uri(uri)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.{service}.core.windows.net")
            : null;

        var queue = Endpoint("queueServiceUri", "queue");
        var blob = Endpoint("blobServiceUri", "blob");
        var table = Endpoint("tableServiceUri", "table");
        if (queue is null && blob is null && table is null)
        {
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set '{name}' to a connection string, or '{name}__accountName' for a managed identity.");
        }

        var clientId = section["clientId"];
        var credential = string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return StorageAccount.FromEndpoints(blob, queue, table, credential);
    }
}
