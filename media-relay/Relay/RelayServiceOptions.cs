using System.Net;

namespace MediaRelay;

/// <summary>
/// Section <c>Relay</c> (environment <c>Relay__*</c>, architecture.md "Configuration keys"): what the relay
/// process needs to answer the control API, place its UDP sockets and report back to the function app.
/// </summary>
public sealed class RelayServiceOptions
{
    public const string Section = "Relay";

    /// <summary>Shared bearer key for the control API and for the events the relay posts (never logged).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Address written into SDP and candidates: the VM's public IPv4 (1:1 NAT), 127.0.0.1 locally.</summary>
    public string PublicIp { get; set; } = "127.0.0.1";

    /// <summary>Local address the UDP sockets bind to.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The one UDP port every browser leg shares (0 = any free port, for tests).</summary>
    public int BrowserUdpPort { get; set; } = 3478;

    /// <summary>Meta legs get one UDP port each from this inclusive range, e.g. <c>40000-40999</c>; empty = any free port.</summary>
    public string? MetaPortRange { get; set; }

    /// <summary>Base URL of the function app; events go to <c>{FunctionAppUrl}/api/relay/events</c>. Empty = events only logged.</summary>
    public string? FunctionAppUrl { get; set; }

    /// <summary>How long a failed event delivery is retried (docs/RELAY-API.md, "Delivery").</summary>
    public TimeSpan EventRetryWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Storage connection string for recordings (Azurite's in tests). Empty = sessions with the recording flag run unrecorded (logged).</summary>
    public string? RecordingStorageConnectionString { get; set; }

    /// <summary>Blob container recordings are written to.</summary>
    public string RecordingContainer { get; set; } = "call-recordings";

    /// <summary>
    /// In Azure: the account's blob endpoint (<c>https://{account}.blob.core.windows.net</c>), written to with the
    /// VM's managed identity, because the account refuses shared keys. Used when no connection string is set.
    /// </summary>
    public string? RecordingBlobEndpoint { get; set; }

    public bool RecordingEnabled =>
        !string.IsNullOrWhiteSpace(RecordingStorageConnectionString) || !string.IsNullOrWhiteSpace(RecordingBlobEndpoint);

    internal IPAddress ParsedPublicIp => IPAddress.Parse(PublicIp);

    internal IPAddress ParsedBindAddress => IPAddress.Parse(BindAddress);

    /// <summary>The Meta port range, or null for "any free port".</summary>
    internal (int First, int Last)? ParsedMetaPortRange
    {
        get
        {
            if (string.IsNullOrWhiteSpace(MetaPortRange))
            {
                return null;
            }

            var parts = MetaPortRange.Split('-', 2, StringSplitOptions.TrimEntries);
            return (int.Parse(parts[0]), int.Parse(parts[1]));
        }
    }

    /// <summary>Start-up check: a relay without a key would accept anyone, so it refuses to start.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(ApiKey) || ApiKey.Length < 16)
        {
            failures.Add("Relay__ApiKey is required (at least 16 characters).");
        }

        if (!IPAddress.TryParse(PublicIp, out _))
        {
            failures.Add($"Relay__PublicIp '{PublicIp}' is not an IP address.");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            failures.Add($"Relay__BindAddress '{BindAddress}' is not an IP address.");
        }

        if (BrowserUdpPort is < 0 or > 65535)
        {
            failures.Add("Relay__BrowserUdpPort must be 0-65535.");
        }

        if (!string.IsNullOrWhiteSpace(MetaPortRange))
        {
            var parts = MetaPortRange.Split('-', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], out var first) || !int.TryParse(parts[1], out var last) ||
                first is < 1 or > 65535 || last < first || last > 65535)
            {
                failures.Add($"Relay__MetaPortRange '{MetaPortRange}' must be 'first-last' within 1-65535.");
            }
        }

        if (!string.IsNullOrWhiteSpace(FunctionAppUrl) && !Uri.TryCreate(FunctionAppUrl, UriKind.Absolute, out _))
        {
            failures.Add($"Relay__FunctionAppUrl '{FunctionAppUrl}' is not an absolute URL.");
        }

        if (!string.IsNullOrWhiteSpace(RecordingBlobEndpoint) &&
            (!Uri.TryCreate(RecordingBlobEndpoint, UriKind.Absolute, out var blob) || blob.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Relay__RecordingBlobEndpoint '{RecordingBlobEndpoint}' is not an https URL.");
        }

        return failures;
    }
}
