using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Blobs;

/// <summary>Entry point to an account's blobs; one pipeline shared by every container and blob client.</summary>
public sealed class BlobServiceClient
{
    private readonly HttpPipeline _pipeline;
    private readonly StorageAccount _account;
    private readonly StorageClientOptions _options;

    public BlobServiceClient(StorageAccount account, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        _account = account;
        _options = options ?? new StorageClientOptions();
        Endpoint = StoragePipeline.RequireEndpoint(account.BlobEndpoint, StorageService.Blob);
        _pipeline = StoragePipeline.Build(account, StorageService.Blob, _options);
    }

    public Uri Endpoint { get; }

    internal StorageAccount Account => _account;

    internal StorageClientOptions Options => _options;

    internal HttpPipeline Pipeline => _pipeline;

    public BlobContainerClient GetContainerClient(string containerName) => new(this, containerName);

    /// <summary>
    /// Gets a key for signing user delegation SAS tokens; only valid when authenticated by Entra ID
    /// (POST ?restype=service&amp;comp=userdelegationkey, at most 7 days).
    /// </summary>
    public async Task<UserDelegationKey> GetUserDelegationKeyAsync(DateTimeOffset? startsOn, DateTimeOffset expiresOn, CancellationToken ct = default)
    {
        var body = new XElement("KeyInfo",
            new XElement("Start", BlobSas.Time(startsOn ?? _options.TimeProvider.GetUtcNow())),
            new XElement("Expiry", BlobSas.Time(expiresOn)));
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/?restype=service&comp=userdelegationkey"));
        request.Headers.Add(HttpHeader.Names.ContentType, "application/xml");
        request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting)));
        using var response = await _pipeline.SendRequestAsync(request, ct);
        StorageErrors.ThrowIfFailed(response);
        var key = XDocument.Parse(response.Content.ToString()).Root!;
        string Field(string name) => key.Element(name)?.Value ?? string.Empty;
        return new UserDelegationKey(
            Field("SignedOid"), Field("SignedTid"),
            DateTimeOffset.Parse(Field("SignedStart"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            DateTimeOffset.Parse(Field("SignedExpiry"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Field("SignedService"), Field("SignedVersion"), Field("Value"));
    }
}
