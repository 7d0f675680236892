namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// <c>IntegrationEvents__*</c> settings. With neither a connection string nor a namespace the events go to the
/// Storage queue <c>integration-events</c>.
/// </summary>
public sealed class IntegrationEventOptions
{
    public const string Section = "IntegrationEvents";

    public const string DefaultTopic = "call-events";

    /// <summary>
    /// <c>Endpoint=sb://&lt;ns&gt;.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=…</c>
    /// (a SAS policy with Send on the topic). An <c>http(s)://</c> endpoint is used as written (a local stand-in).
    /// </summary>
    public string? ServiceBusConnectionString { get; set; }

    /// <summary><c>&lt;ns&gt;.servicebus.windows.net</c> (or just <c>&lt;ns&gt;</c>): send with an Entra token instead.</summary>
    public string? ServiceBusNamespace { get; set; }

    /// <summary>The topic; a connection string's <c>EntityPath</c> wins when it names one.</summary>
    public string? Topic { get; set; }

    /// <summary>A user-assigned managed identity's client id, for the Entra form; empty = DefaultAzureCredential's choice.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Attempts per event for throttling (429) and server errors (5xx) before the caller's input is retried.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off; each retry doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesServiceBus => !string.IsNullOrWhiteSpace(ServiceBusConnectionString) || !string.IsNullOrWhiteSpace(ServiceBusNamespace);
}
