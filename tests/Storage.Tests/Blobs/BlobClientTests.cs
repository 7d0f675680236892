using System.Net;
using System.Security.Cryptography;
using TestSupport;
using WhatsAppCalling.Storage.Blobs;

namespace WhatsAppCalling.Storage.Tests.Blobs;

public sealed class BlobClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new BlobServiceClient(azurite.Account).GetContainerClient(AzuriteFixture.UniqueName("c-"));
        await container.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
        return container;
    }

    [Fact]
    public async Task A_small_blob_is_one_put_and_keeps_content_type_and_metadata()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("recordings/call 1/a.ogg");

        var result = await blob.UploadAsync(BinaryData.FromString("opus"), new BlobUploadOptions
        {
            ContentType = "audio/ogg",
            Metadata = new Dictionary<string, string> { ["callid"] = "c1" },
        });
        var download = await blob.DownloadContentAsync();

        Assert.Equal(0, result.BlockCount);
        Assert.Equal("opus", download.Content.ToString());
        Assert.Equal("audio/ogg", download.ContentType);
        Assert.Equal("c1", download.Metadata["callid"]);
        Assert.True(await blob.ExistsAsync());
    }

    [Fact]
    public async Task A_blob_over_8_MiB_goes_up_in_blocks_and_comes_back_whole()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("big.bin");
        var payload = RandomNumberGenerator.GetBytes((9 * 1024 * 1024) + 123);

        var result = await blob.UploadAsync(new MemoryStream(payload), new BlobUploadOptions { ContentType = "application/octet-stream" });
        var blocks = await blob.GetCommittedBlocksAsync();
        using var streamed = new MemoryStream();
        await blob.DownloadToAsync(streamed);

        Assert.Equal(3, result.BlockCount);
        Assert.Equal([4L * 1024 * 1024, 4L * 1024 * 1024, (1024 * 1024) + 123], blocks.Select(b => b.Size));
        var buffered = (await blob.DownloadContentAsync()).Content.ToArray();
        Assert.Equal(payload, streamed.ToArray());
        Assert.Equal(payload, buffered);
    }

    [Fact]
    public async Task Listing_filters_by_prefix_and_pages_with_a_marker()
    {
        var container = await NewContainerAsync();
        foreach (var name in new[] { "a/1", "a/2", "a/3", "b/1" })
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name));

        var first = await container.ListBlobsPageAsync("a/", maxResults: 2);
        var second = await container.ListBlobsPageAsync("a/", first.NextMarker, 2);
        var all = await container.ListBlobsAsync().ToListAsync();

        Assert.Equal(["a/1", "a/2"], first.Blobs.Select(b => b.Name));
        Assert.NotNull(first.NextMarker);
        Assert.Equal(["a/3"], second.Blobs.Select(b => b.Name));
        Assert.Null(second.NextMarker);
        Assert.Equal(4, all.Count);
        Assert.Equal(3, all[0].ContentLength);
    }

    [Fact]
    public async Task Deleted_and_missing_blobs_are_typed_not_found()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("gone");
        await blob.UploadAsync(BinaryData.FromString("x"));

        await blob.DeleteAsync();

        var error = await Assert.ThrowsAsync<StorageNotFoundException>(() => blob.DownloadContentAsync());
        Assert.Equal(StorageErrorCodes.BlobNotFound, error.ErrorCode);
        await Assert.ThrowsAsync<StorageNotFoundException>(() => blob.DownloadToAsync(Stream.Null));
        Assert.False(await blob.DeleteIfExistsAsync());
        Assert.False(await blob.ExistsAsync());
    }

    [Fact]
    public async Task An_upload_that_must_not_overwrite_conflicts_with_an_existing_blob()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("once");
        await blob.UploadAsync(BinaryData.FromString("first"), new BlobUploadOptions { Overwrite = false });

        await Assert.ThrowsAsync<StorageConflictException>(
            () => blob.UploadAsync(BinaryData.FromString("second"), new BlobUploadOptions { Overwrite = false }));
        Assert.Equal("first", (await blob.DownloadContentAsync()).Content.ToString());
    }

    [Fact]
    public async Task A_read_URL_signed_with_the_account_key_downloads_without_credentials()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("rec/call 7.ogg");
        await blob.UploadAsync(BinaryData.FromString("audio"));
        using var http = new HttpClient();

        var url = await blob.CreateReadUrlAsync(TimeSpan.FromMinutes(5));
        var signed = await http.GetAsync(url);
        var unsigned = await http.GetAsync(blob.Uri);
        var tampered = await http.GetAsync(new Uri(url.AbsoluteUri.Replace("sp=r", "sp=rw", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("audio", await signed.Content.ReadAsStringAsync());
        Assert.False(unsigned.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }
}
