using System.ComponentModel.DataAnnotations;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>Webhook settings from the <c>WhatsApp</c> section (architecture.md, "Configuration keys").</summary>
public sealed class WebhookOptions
{
    public const string Section = "WhatsApp";

    /// <summary>The app secret Meta signs deliveries with (X-Hub-Signature-256). Never logged.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "WhatsApp__AppSecret is required: without it no webhook can be verified.")]
    public string AppSecret { get; set; } = string.Empty;

    /// <summary>The next app secret during a rotation; deliveries signed with either are accepted.</summary>
    public string? AppSecretNext { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = "WhatsApp__VerifyToken is required for Meta's verification handshake.")]
    public string VerifyToken { get; set; } = string.Empty;

    [Range(1024, 16 * 1024 * 1024)]
    public int WebhookBodyLimitBytes { get; set; } = 1024 * 1024;

    /// <summary>Events older than this are stale: recorded and counted, but no Graph call is made for them.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int StaleEventSeconds { get; set; } = 600;

    public IEnumerable<string> Secrets()
    {
        yield return AppSecret;
        if (!string.IsNullOrEmpty(AppSecretNext))
        {
            yield return AppSecretNext;
        }
    }
}
