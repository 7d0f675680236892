namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Where and how to send: the topic's HTTP address and either a SAS policy (from a connection string) or none (an
/// Entra token is used). <see cref="ToString"/> never prints the key.
/// </summary>
public sealed class ServiceBusTarget
{
    private ServiceBusTarget(Uri entityUri, string? keyName, string? key)
    {
        EntityUri = entityUri;
        KeyName = keyName;
        Key = key;
    }

    /// <summary><c>https://&lt;ns&gt;.servicebus.windows.net/&lt;topic&gt;</c>: the SAS resource and the base of the send URL.</summary>
    public Uri EntityUri { get; }

    public string? KeyName { get; }

    public string? Key { get; }

    public bool UsesSas => Key is not null;

    /// <summary>Send Message: <c>POST {entity}/messages</c>.</summary>
    public Uri MessagesUri => new(EntityUri.AbsoluteUri.TrimEnd('/') + "/messages?timeout=60");

    public static ServiceBusTarget From(IntegrationEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ServiceBusConnectionString))
        {
            return FromConnectionString(options.ServiceBusConnectionString, options.Topic);
        }

        if (string.IsNullOrWhiteSpace(options.ServiceBusNamespace))
        {
            throw new InvalidOperationException("IntegrationEvents: set ServiceBusConnectionString or ServiceBusNamespace to use Service Bus.");
        }

        var ns = options.ServiceBusNamespace.Trim();
        if (Uri.TryCreate(ns, UriKind.Absolute, out var given) && given.Host.Length > 0)
        {
            // sb://host names the namespace; an http(s) address is taken as written (a local stand-in).
            var root = given.Scheme is "http" or "https" ? given.GetLeftPart(UriPartial.Authority) : "https://" + given.Host;
            return new ServiceBusTarget(EntityOf(root, TopicOf(options.Topic)), null, null);
        }

        if (!ns.Contains('.', StringComparison.Ordinal))
        {
            ns += ".servicebus.windows.net";
        }

        return new ServiceBusTarget(EntityOf("https://" + ns.TrimEnd('/'), TopicOf(options.Topic)), null, null);
    }

    public static ServiceBusTarget FromConnectionString(string connectionString, string? topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("IntegrationEvents__ServiceBusConnectionString: every part must be Key=Value.");
            }

            // The key is Base64 text and may end in '=': split at the first '=' only.
            parts[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        if (!parts.TryGetValue("Endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) ||
            endpoint.Scheme is not ("sb" or "https" or "http"))
        {
            throw new FormatException("IntegrationEvents__ServiceBusConnectionString needs Endpoint=sb://<namespace>.servicebus.windows.net/.");
        }

        if (!parts.TryGetValue("SharedAccessKeyName", out var keyName) || keyName.Length == 0 ||
            !parts.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
        {
            throw new FormatException("IntegrationEvents__ServiceBusConnectionString needs SharedAccessKeyName and SharedAccessKey.");
        }

        // sb:// names the namespace; its REST face is HTTPS. http(s):// is taken literally (a local stand-in).
        var scheme = endpoint.Scheme == "sb" ? "https" : endpoint.Scheme;
        var authority = endpoint.IsDefaultPort || endpoint.Scheme == "sb" ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        var entity = parts.GetValueOrDefault("EntityPath") is { Length: > 0 } path ? path : TopicOf(topic);
        return new ServiceBusTarget(EntityOf($"{scheme}://{authority}", entity), keyName, key);
    }

    public override string ToString() => UsesSas ? $"{EntityUri} (SAS policy {KeyName})" : $"{EntityUri} (Entra)";

    private static string TopicOf(string? topic) => string.IsNullOrWhiteSpace(topic) ? IntegrationEventOptions.DefaultTopic : topic.Trim();

    private static Uri EntityOf(string root, string topic) =>
        new($"{root.ToLowerInvariant()}/{string.Join('/', topic.Trim('/').Split('/').Select(Uri.EscapeDataString))}");
}
