using Azure.Core;

namespace WhatsAppCalling.Storage.Account;

/// <summary>
/// Where a storage account lives and how requests to it are authorised: a shared key, a SAS token or an Entra
/// ID <see cref="TokenCredential"/> (azure-protocols.md §2.3, §2.9, §3).
/// </summary>
public sealed class StorageAccount
{
    // The emulator's well-known account and key are public (azure-protocols.md §2.1).
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageAccount(
        string accountName, Uri? blob, Uri? queue, Uri? table,
        SharedKeyCredential? sharedKey, string? sasToken, TokenCredential? tokenCredential)
    {
        AccountName = accountName;
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        SharedKey = sharedKey;
        SasToken = sasToken;
        TokenCredential = tokenCredential;
    }

    public string AccountName { get; }

    public Uri? BlobEndpoint { get; }

    public Uri? QueueEndpoint { get; }

    public Uri? TableEndpoint { get; }

    /// <summary>Set when the connection string carried an account key.</summary>
    public SharedKeyCredential? SharedKey { get; }

    /// <summary>SAS query string without the leading '?', when the connection string carried one.</summary>
    public string? SasToken { get; }

    /// <summary>Set when the account was built from endpoints and an Entra ID credential.</summary>
    public TokenCredential? TokenCredential { get; }

    public static StorageAccount FromEndpoints(Uri? blob, Uri? queue, Uri? table, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (blob is null && queue is null && table is null)
            throw new ArgumentException("At least one service endpoint is required.", nameof(blob));
        var name = AccountNameFromHost(blob ?? queue ?? table!);
        return new StorageAccount(name, blob, queue, table, null, null, credential);
    }

    public static StorageAccount FromSharedKey(string accountName, string accountKey, Uri? blob, Uri? queue, Uri? table) =>
        new(accountName, blob, queue, table, new SharedKeyCredential(accountName, accountKey), null, null);

    /// <summary>
    /// Parses a storage connection string: account key, SAS, explicit endpoints, EndpointSuffix, and
    /// <c>UseDevelopmentStorage=true</c> (the Azurite well-known account on its default ports).
    /// </summary>
    public static StorageAccount Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = ParseSettings(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
            return Development(settings.GetValueOrDefault("DevelopmentStorageProxyUri"));

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKey);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        var suffix = settings.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";

        Uri? Endpoint(string key, string service)
        {
            if (settings.TryGetValue(key, out var explicitUri))
                return EnsureTrailingSlashless(new Uri(explicitUri, UriKind.Absolute));
            return accountName is null ? null : new Uri($"{protocol}://{accountName}.{service}.{suffix}");
        }

        var blob = Endpoint("BlobEndpoint", "blob");
        var queue = Endpoint("QueueEndpoint", "queue");
        var table = Endpoint("TableEndpoint", "table");
        if (blob is null && queue is null && table is null)
            throw new FormatException("The storage connection string names neither an account nor an endpoint.");

        accountName ??= AccountNameFromHost(blob ?? queue ?? table!);
        if (accountKey is not null)
            return new StorageAccount(accountName, blob, queue, table, new SharedKeyCredential(accountName, accountKey), null, null);
        if (sas is not null)
            return new StorageAccount(accountName, blob, queue, table, null, sas.TrimStart('?'), null);
        throw new FormatException("The storage connection string carries neither AccountKey nor SharedAccessSignature.");
    }

    private static StorageAccount Development(string? proxy)
    {
        var host = proxy is null ? "http://127.0.0.1" : proxy.TrimEnd('/');
        return FromSharedKey(
            DevelopmentAccountName, DevelopmentAccountKey,
            new Uri($"{host}:10000/{DevelopmentAccountName}"),
            new Uri($"{host}:10001/{DevelopmentAccountName}"),
            new Uri($"{host}:10002/{DevelopmentAccountName}"));
    }

    private static Dictionary<string, string> ParseSettings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Values (keys, SAS) may themselves contain '=', so split on the first one only.
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new FormatException($"Malformed storage connection string segment '{part.Split('=')[0]}'.");
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        return settings;
    }

    private static Uri EnsureTrailingSlashless(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') && uri.AbsolutePath.Length > 1
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/'))
            : uri;

    // Path-style (emulator, IP) endpoints carry the account as the first path segment; Azure carries it as the
    // first host label (azure-protocols.md §2.1).
    private static string AccountNameFromHost(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        if (endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || endpoint.IsLoopback)
            return firstSegment.Length > 0 ? firstSegment : DevelopmentAccountName;
        return endpoint.Host.Split('.')[0];
    }
}
