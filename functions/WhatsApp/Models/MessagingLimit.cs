namespace WhatsAppCalling.WhatsApp.Models;

/// <summary>
/// A number's messaging limit as <c>GET /{phone-number-id}?fields=whatsapp_business_manager_messaging_limit</c>
/// returns it: a tier name (<c>TIER_250</c>, <c>TIER_2K</c>, <c>TIER_10K</c>, <c>TIER_100K</c>, <c>TIER_UNLIMITED</c>;
/// older numbers also <c>TIER_50</c>, <c>TIER_1K</c>). Meta now sets the limit per business portfolio and deprecated
/// the per-number <c>messaging_limit_tier</c>, which is still read as a fallback. Calling can only be enabled from
/// 2,000 unique recipients a day (whatsapp-calling-api.md §0, error 138015).
/// </summary>
public sealed record MessagingLimit(string Tier)
{
    /// <summary>Unique recipients per 24 h; <see cref="long.MaxValue"/> when unlimited, null for a tier we do not know.</summary>
    public long? DailyRecipients => Tier.Trim().ToUpperInvariant() switch
    {
        "TIER_50" => 50,
        "TIER_250" => 250,
        "TIER_1K" => 1_000,
        "TIER_2K" => 2_000,
        "TIER_10K" => 10_000,
        "TIER_100K" => 100_000,
        "TIER_UNLIMITED" or "UNLIMITED" => long.MaxValue,
        _ => null,
    };
}
