namespace WhatsAppCalling.WhatsApp.Configuration;

/// <summary>
/// Graph API access, bound from the <c>WhatsApp</c> section (<c>WhatsApp__AccessToken</c> etc., architecture.md
/// "Configuration keys"). In Azure the token comes from Key Vault through the same key.
/// </summary>
public sealed class WhatsAppOptions
{
    public const string SectionName = "WhatsApp";

    /// <summary>The system-user token sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Graph version segment; calling needs at least v17.0 (whatsapp-calling-api.md §0).</summary>
    public string GraphVersion { get; set; } = "v23.0";

    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>The business account (WABA) id; the balance scope, not needed by every Graph call.</summary>
    public string WabaId { get; set; } = "";

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one operation including its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for operations that are safe to repeat.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on one backoff delay, including a server's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The versioned Graph root, e.g. <c>https://graph.facebook.com/v23.0/</c>.</summary>
    public Uri VersionedBaseAddress => new($"{GraphBaseUrl.TrimEnd('/')}/{GraphVersion}/", UriKind.Absolute);
}
