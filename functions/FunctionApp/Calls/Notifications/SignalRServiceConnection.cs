namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// A parsed <c>SignalR__ConnectionString</c> (azure-protocols.md §6.1):
/// <c>Endpoint=https://x.service.signalr.net;AccessKey=…;Version=1.0;</c>, optionally <c>Port=n;</c>, or the identity
/// form <c>AuthType=azure</c> (DefaultAzureCredential) / <c>AuthType=azure.msi;ClientId=…</c> (a managed identity).
/// </summary>
public sealed record SignalRServiceConnection(Uri Endpoint, string? AccessKey, string? AuthType, string? ClientId)
{
    /// <summary>True when requests carry an Entra token instead of an access-key JWT.</summary>
    public bool UsesIdentity => AccessKey is null;

    public static SignalRServiceConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("SignalR__ConnectionString: every part must be Key=Value.");
            }

            // The access key is Base64 and may end in '=': split at the first '=' only.
            parts[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        if (!parts.TryGetValue("Endpoint", out var endpointText) ||
            !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) ||
            endpoint.Scheme is not ("http" or "https"))
        {
            throw new FormatException("SignalR__ConnectionString needs Endpoint=https://<name>.service.signalr.net.");
        }

        if (parts.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ||
                port is < 1 or > 65535)
            {
                throw new FormatException("SignalR__ConnectionString: Port must be 1-65535.");
            }

            endpoint = new UriBuilder(endpoint) { Port = port }.Uri;
        }

        var authType = parts.GetValueOrDefault("AuthType");
        var accessKey = parts.GetValueOrDefault("AccessKey");
        if (string.IsNullOrEmpty(accessKey))
        {
            if (authType is null || !authType.StartsWith("azure", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("SignalR__ConnectionString needs AccessKey=… or AuthType=azure / azure.msi.");
            }

            accessKey = null;
        }

        // Endpoint without path or trailing slash: token audiences are compared as exact strings (§6.3).
        var root = new Uri(endpoint.GetLeftPart(UriPartial.Authority));
        return new SignalRServiceConnection(root, accessKey, authType, parts.GetValueOrDefault("ClientId"));
    }

    /// <summary>Server → service REST URL for one user (§6.2), without query; also the token audience.</summary>
    public Uri UserUrl(string hub, string userId) => new($"{Base}/api/v1/hubs/{Uri.EscapeDataString(hub)}/users/{Uri.EscapeDataString(userId)}");

    public Uri GroupUrl(string hub, string group) => new($"{Base}/api/v1/hubs/{Uri.EscapeDataString(hub)}/groups/{Uri.EscapeDataString(group)}");

    public Uri GroupUserUrl(string hub, string group, string userId) => new($"{GroupUrl(hub, group)}/users/{Uri.EscapeDataString(userId)}");

    /// <summary>The URL browsers connect to (§6.4); also the client token's audience.</summary>
    public Uri ClientUrl(string hub) => new($"{Base}/client/?hub={Uri.EscapeDataString(hub)}");

    /// <summary>Mints client tokens when local auth is disabled (API 2022-11-01, §6.2).</summary>
    public Uri GenerateTokenUrl(string hub, string userId, int minutesToExpire) =>
        new($"{Base}/api/hubs/{Uri.EscapeDataString(hub)}/:generateToken?api-version=2022-11-01&userId={Uri.EscapeDataString(userId)}&minutesToExpire={minutesToExpire}");

    private string Base => Endpoint.GetLeftPart(UriPartial.Authority);

    /// <summary>Never prints the key: connection objects end up in logs and exception messages.</summary>
    public override string ToString() => $"SignalR Service {Endpoint} ({(UsesIdentity ? "identity" : "access key")})";
}
