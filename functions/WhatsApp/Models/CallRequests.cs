using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.WhatsApp.Models;

/// <summary>A business-initiated call (§2.1 <c>connect</c>): our SDP offer to the customer.</summary>
public sealed record ConnectCallRequest(Recipient To, string SdpOffer, string? BizOpaqueCallbackData = null)
{
    /// <summary>Meta's limit on <c>biz_opaque_callback_data</c> (§0).</summary>
    public const int MaxCallbackDataLength = 512;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(To);
        ArgumentException.ThrowIfNullOrWhiteSpace(SdpOffer);
        if (BizOpaqueCallbackData is { Length: > MaxCallbackDataLength })
        {
            throw new ArgumentException($"biz_opaque_callback_data is limited to {MaxCallbackDataLength} characters.");
        }
    }
}

/// <summary>The id Meta gave a business-initiated call.</summary>
public sealed record StartedCall(CallId CallId);

/// <summary>A sent message: Meta's <c>wamid</c>, and the user ids Meta resolved the recipient to.</summary>
public sealed record SentMessage(string MessageId, string? WaId, string? UserId);

/// <summary>
/// A template message (§3.3: a permission-request template is sent as a normal template with body parameters only).
/// </summary>
public sealed record TemplateMessage(string Name, string LanguageCode, IReadOnlyList<string> BodyParameters)
{
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(LanguageCode);
        ArgumentNullException.ThrowIfNull(BodyParameters);
    }
}
