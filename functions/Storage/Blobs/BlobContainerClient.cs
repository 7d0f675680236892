using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Blobs;

/// <summary>One container (azure-protocols.md §4).</summary>
public sealed class BlobContainerClient
{
    private readonly BlobServiceClient _service;

    internal BlobContainerClient(BlobServiceClient service, string containerName)
    {
        ValidateName(containerName);
        _service = service;
        Name = containerName;
        Uri = new Uri(service.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + containerName);
    }

    public string Name { get; }

    public Uri Uri { get; }

    internal BlobServiceClient Service => _service;

    public BlobClient GetBlobClient(string blobName) => new(this, blobName);

    public async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Put, "?restype=container", ct);
        if (response.Status == 409)
            return; // ContainerAlreadyExists
        StorageErrors.ThrowIfFailed(response);
    }

    public async Task DeleteIfExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, "?restype=container", ct);
        if (response.Status != 404)
            StorageErrors.ThrowIfFailed(response);
    }

    /// <summary>One page of List Blobs, in name order.</summary>
    public async Task<BlobPage> ListBlobsPageAsync(string? prefix = null, string? marker = null, int? maxResults = null, CancellationToken ct = default)
    {
        var query = "?restype=container&comp=list";
        if (!string.IsNullOrEmpty(prefix))
            query += "&prefix=" + Uri.EscapeDataString(prefix);
        if (!string.IsNullOrEmpty(marker))
            query += "&marker=" + Uri.EscapeDataString(marker);
        if (maxResults is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxResults));
            query += "&maxresults=" + Math.Min(max, 5000).ToString(CultureInfo.InvariantCulture);
        }
        using var response = await SendAsync(RequestMethod.Get, query, ct);
        StorageErrors.ThrowIfFailed(response);

        var root = XDocument.Parse(response.Content.ToString()).Root!;
        var blobs = root.Element("Blobs")?.Elements("Blob").Select(ParseItem).ToList() ?? [];
        var next = root.Element("NextMarker")?.Value;
        return new BlobPage(blobs, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>All blobs under <paramref name="prefix"/>, following NextMarker.</summary>
    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? marker = null;
        do
        {
            var page = await ListBlobsPageAsync(prefix, marker, null, ct);
            foreach (var blob in page.Blobs)
                yield return blob;
            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    private static BlobItem ParseItem(XElement blob)
    {
        var properties = blob.Element("Properties");
        string? Property(string name) => properties?.Element(name)?.Value;
        var length = long.TryParse(Property("Content-Length"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0;
        DateTimeOffset? modified = DateTimeOffset.TryParse(Property("Last-Modified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var m) ? m : null;
        return new BlobItem(blob.Element("Name")?.Value ?? string.Empty, length, Property("Content-Type"), Property("Etag"), modified);
    }

    private async Task<Response> SendAsync(RequestMethod method, string query, CancellationToken ct)
    {
        using var request = _service.Pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(Uri.AbsoluteUri + query));
        return await _service.Pipeline.SendRequestAsync(request, ct);
    }

    /// <summary>Container names: 3–63 lowercase letters, digits and single hyphens, starting alphanumeric.</summary>
    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
            throw new ArgumentException($"'{name}' is not a valid container name (3–63 lowercase letters, digits, single hyphens).", nameof(name));
    }
}
