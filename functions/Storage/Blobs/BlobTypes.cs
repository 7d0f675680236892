namespace WhatsAppCalling.Storage.Blobs;

/// <summary>How an upload is written; blobs larger than <see cref="SingleUploadThreshold"/> go up in blocks.</summary>
public sealed record BlobUploadOptions
{
    public const int DefaultBlockSize = 4 * 1024 * 1024;

    public string ContentType { get; init; } = "application/octet-stream";

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>False makes the upload fail with 409 BlobAlreadyExists when the blob exists (If-None-Match: *).</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>Largest payload sent as one Put Blob request.</summary>
    public int SingleUploadThreshold { get; init; } = DefaultBlockSize;

    /// <summary>Size of each Put Block request for larger payloads.</summary>
    public int BlockSize { get; init; } = DefaultBlockSize;
}

/// <summary>A blob as listed (List Blobs).</summary>
public sealed record BlobItem(string Name, long ContentLength, string? ContentType, string? ETag, DateTimeOffset? LastModified);

/// <summary>One page of a listing; <see cref="NextMarker"/> is null on the last page.</summary>
public sealed record BlobPage(IReadOnlyList<BlobItem> Blobs, string? NextMarker);

/// <summary>A downloaded blob with its properties.</summary>
public sealed record BlobDownload(BinaryData Content, string? ContentType, string? ETag, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The result of an upload: the new ETag and how many blocks were committed (0 for a single Put Blob).</summary>
public sealed record BlobUploadResult(string? ETag, int BlockCount);

/// <summary>A committed block (Get Block List).</summary>
public sealed record BlobBlock(string Name, long Size);
