using Azure.Identity;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Blobs;

namespace MediaRelay.Recording;

/// <summary>
/// Uploads finished recordings to Blob Storage (<c>Relay__RecordingStorageConnectionString</c>, or
/// <c>Relay__RecordingBlobEndpoint</c> with the machine's managed identity in Azure; container
/// <c>Relay__RecordingContainer</c>) through the project's own storage client, named
/// <c>{yyyy}/{MM}/{dd}/{call id with '/', '+', '=' replaced}-{random}.ogg</c> so a repeated call id never overwrites.
/// </summary>
public sealed class RecordingStore(IOptions<RelayServiceOptions> options, TimeProvider time)
{
    private BlobContainerClient? _container;
    private bool _containerReady;

    public bool Enabled => options.Value.RecordingEnabled;

    internal async Task<Uri> UploadAsync(string sessionId, Stream content, CancellationToken cancellationToken)
    {
        var container = Container();
        if (!_containerReady)
        {
            await container.CreateIfNotExistsAsync(cancellationToken);
            _containerReady = true;
        }

        string safeId = new(sessionId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
        string name = $"{time.GetUtcNow():yyyy'/'MM'/'dd}/{safeId}-{Guid.NewGuid().ToString("N")[..8]}.ogg";
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(content, new BlobUploadOptions { ContentType = "audio/ogg" }, cancellationToken);
        return blob.Uri;
    }

    private BlobContainerClient Container()
    {
        if (_container is null)
        {
            var settings = options.Value;
            var account = string.IsNullOrWhiteSpace(settings.RecordingStorageConnectionString)
                ? StorageAccount.FromEndpoints(new Uri(settings.RecordingBlobEndpoint!), null, null, new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned))
                : StorageAccount.Parse(settings.RecordingStorageConnectionString);
            _container = new BlobServiceClient(account).GetContainerClient(options.Value.RecordingContainer);
        }

        return _container;
    }
}
