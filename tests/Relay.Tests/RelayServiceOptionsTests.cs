namespace MediaRelay.Tests;

/// <summary>Start-up checks of the relay's settings, including the two ways to reach recording storage.</summary>
public sealed class RelayServiceOptionsTests
{
    private static RelayServiceOptions Valid() => new() { ApiKey = "0123456789abcdef-key", PublicIp = "203.0.113.7" };

    [Fact]
    public void Without_recording_storage_sessions_run_unrecorded()
    {
        var options = Valid();
        Assert.Empty(options.Validate());
        Assert.False(options.RecordingEnabled);
    }

    [Fact]
    public void A_blob_endpoint_alone_enables_recording_through_the_managed_identity()
    {
        var options = Valid();
        options.RecordingBlobEndpoint = "https://account.blob.core.windows.net";
        Assert.Empty(options.Validate());
        Assert.True(options.RecordingEnabled);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://account.blob.core.windows.net")]
    public void A_blob_endpoint_that_is_not_https_stops_the_start(string endpoint)
    {
        var options = Valid();
        options.RecordingBlobEndpoint = endpoint;
        Assert.Contains(options.Validate(), f => f.Contains("Relay__RecordingBlobEndpoint", StringComparison.Ordinal));
    }
}
