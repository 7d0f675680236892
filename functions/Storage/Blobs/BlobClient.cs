using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Blobs;

/// <summary>One block blob: upload (single shot or blocks), download, delete, and short-lived read URLs (azure-protocols.md §4).</summary>
public sealed class BlobClient
{
    private readonly BlobContainerClient _container;

    internal BlobClient(BlobContainerClient container, string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        if (blobName.Length > 1024)
            throw new ArgumentException("Blob names are at most 1024 characters.", nameof(blobName));
        _container = container;
        Name = blobName;
        // Each path segment is percent-encoded; '/' stays a virtual directory separator.
        Uri = new Uri(container.Uri.AbsoluteUri + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString)));
    }

    public string Name { get; }

    public Uri Uri { get; }

    public string ContainerName => _container.Name;

    public Task<BlobUploadResult> UploadAsync(BinaryData content, BlobUploadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(content.ToStream(), options, ct);
    }

    /// <summary>
    /// Uploads <paramref name="content"/>; at or below the single-upload threshold it is one Put Blob, above it Put
    /// Block requests of <see cref="BlobUploadOptions.BlockSize"/> followed by Put Block List.
    /// </summary>
    public async Task<BlobUploadResult> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BlockSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SingleUploadThreshold, 0, nameof(options));

        var head = new byte[options.SingleUploadThreshold + 1];
        var headLength = await ReadFullyAsync(content, head, ct);
        if (headLength <= options.SingleUploadThreshold)
        {
            using var put = await SendAsync(RequestMethod.Put, string.Empty, head.AsMemory(0, headLength).ToArray(), null, request =>
            {
                request.Headers.Add("x-ms-blob-type", "BlockBlob");
                AddBlobHeaders(request, options);
            }, ct);
            StorageErrors.ThrowIfFailed(put);
            return new BlobUploadResult(put.Headers.ETag?.ToString(), 0);
        }

        var ids = new List<string>();
        using var remaining = new ConcatenatedStream(head.AsMemory(0, headLength), content);
        var block = new byte[options.BlockSize];
        int read;
        while ((read = await ReadFullyAsync(remaining, block, ct)) > 0)
        {
            // Block ids must all have the same length before Base64 (azure-protocols.md §4).
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes("block-" + ids.Count.ToString("D6", CultureInfo.InvariantCulture)));
            using var response = await SendAsync(
                RequestMethod.Put, "?comp=block&blockid=" + Uri.EscapeDataString(id), block.AsMemory(0, read).ToArray(), null, null, ct);
            StorageErrors.ThrowIfFailed(response);
            ids.Add(id);
        }

        var list = new XElement("BlockList", ids.Select(id => new XElement("Latest", id)));
        var xml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + list.ToString(SaveOptions.DisableFormatting));
        using var commit = await SendAsync(RequestMethod.Put, "?comp=blocklist", xml, "application/xml", request => AddBlobHeaders(request, options), ct);
        StorageErrors.ThrowIfFailed(commit);
        return new BlobUploadResult(commit.Headers.ETag?.ToString(), ids.Count);
    }

    /// <summary>Downloads the whole blob into memory.</summary>
    /// <exception cref="StorageNotFoundException">BlobNotFound or ContainerNotFound.</exception>
    public async Task<BlobDownload> DownloadContentAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Get, string.Empty, null, null, null, ct);
        StorageErrors.ThrowIfFailed(response);
        var metadata = response.Headers
            .Where(h => h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name["x-ms-meta-".Length..], h => h.Value, StringComparer.OrdinalIgnoreCase);
        return new BlobDownload(response.Content, response.Headers.ContentType, response.Headers.ETag?.ToString(), metadata);
    }

    /// <summary>Streams the blob into <paramref name="destination"/> without buffering it whole (recordings can be large).</summary>
    public async Task DownloadToAsync(Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var pipeline = _container.Service.Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(Uri);
        message.BufferResponse = false;
        await pipeline.SendAsync(message, ct);
        var response = message.Response;
        if (response.Status is < 200 or >= 300)
        {
            // The error body was not buffered; read it so the exception keeps the service message.
            var body = response.ContentStream is null ? string.Empty : await new StreamReader(response.ContentStream).ReadToEndAsync(ct);
            response.Headers.TryGetValue("x-ms-error-code", out var code);
            var (bodyCode, text) = StorageErrors.ParseBody(body);
            throw StorageErrors.Create(response.Status, code ?? bodyCode, text ?? response.ReasonPhrase);
        }
        if (response.ContentStream is not null)
            await response.ContentStream.CopyToAsync(destination, ct);
    }

    /// <exception cref="StorageNotFoundException">The blob does not exist.</exception>
    public async Task DeleteAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, string.Empty, null, null, null, ct);
        StorageErrors.ThrowIfFailed(response);
    }

    public async Task<bool> DeleteIfExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, string.Empty, null, null, null, ct);
        if (response.Status == 404)
            return false;
        StorageErrors.ThrowIfFailed(response);
        return true;
    }

    public async Task<bool> ExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Head, string.Empty, null, null, null, ct);
        if (response.Status == 404)
            return false;
        StorageErrors.ThrowIfFailed(response);
        return true;
    }

    /// <summary>The committed blocks (Get Block List), to check how a blob was assembled.</summary>
    public async Task<IReadOnlyList<BlobBlock>> GetCommittedBlocksAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Get, "?comp=blocklist&blocklisttype=committed", null, null, null, ct);
        StorageErrors.ThrowIfFailed(response);
        var root = XDocument.Parse(response.Content.ToString()).Root!;
        return root.Element("CommittedBlocks")?.Elements("Block")
            .Select(b => new BlobBlock(b.Element("Name")?.Value ?? string.Empty, long.Parse(b.Element("Size")?.Value ?? "0", CultureInfo.InvariantCulture)))
            .ToList() ?? [];
    }

    /// <summary>
    /// A read-only URL valid for <paramref name="lifetime"/>: a service SAS when the account has a key (Azurite,
    /// connection strings), a user delegation SAS when it is authenticated by Entra ID.
    /// </summary>
    public async Task<Uri> CreateReadUrlAsync(TimeSpan lifetime, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var service = _container.Service;
        var now = service.Options.TimeProvider.GetUtcNow();
        // Start a few minutes early: the service compares against its own clock (clock skew).
        var sas = new BlobSasRequest(service.Account.AccountName, ContainerName, Name, "r", now.AddMinutes(-5), now + lifetime);
        string query;
        if (service.Account.SharedKey is { } key)
        {
            query = BlobSas.ServiceSasQuery(sas, key.KeyBytes);
        }
        else if (service.Account.TokenCredential is not null)
        {
            var delegationKey = await service.GetUserDelegationKeyAsync(sas.StartsOn, sas.ExpiresOn, ct);
            query = BlobSas.UserDelegationSasQuery(sas, delegationKey);
        }
        else
        {
            throw new InvalidOperationException("A read URL needs an account key or an Entra ID credential; a SAS connection string cannot mint new SAS.");
        }
        return new Uri(Uri.AbsoluteUri + "?" + query);
    }

    private static void AddBlobHeaders(Request request, BlobUploadOptions options)
    {
        request.Headers.Add("x-ms-blob-content-type", options.ContentType);
        if (!options.Overwrite)
            request.Headers.Add(HttpHeader.Names.IfNoneMatch, "*");
        foreach (var (name, value) in options.Metadata ?? new Dictionary<string, string>())
            request.Headers.Add("x-ms-meta-" + name, value);
    }

    private async Task<Response> SendAsync(
        RequestMethod method, string query, byte[]? body, string? contentType, Action<Request>? configure, CancellationToken ct)
    {
        var pipeline = _container.Service.Pipeline;
        using var request = pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(Uri.AbsoluteUri + query));
        if (body is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, contentType ?? "application/octet-stream");
            request.Content = RequestContent.Create(body);
        }
        configure?.Invoke(request);
        return await pipeline.SendRequestAsync(request, ct);
    }

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
            total += read;
        return total;
    }
}
