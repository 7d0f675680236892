using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Consent;

public enum MetaPermissionStatus
{
    NoPermission,
    Temporary,
    Permanent,
}

/// <summary>
/// What Meta's <c>GET call_permissions</c> answered at <paramref name="ObservedAt"/> (§3.4).
/// <paramref name="StartCallLimitUntil"/> is the <c>limit_expiration_time</c> of an exhausted <c>start_call</c> limit.
/// </summary>
public sealed record MetaPermissionSnapshot(
    DateTimeOffset ObservedAt,
    MetaPermissionStatus Status,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? StartCallLimitUntil = null)
{
    /// <summary>
    /// Maps Meta's status string. Two schemas are documented (§3.4, open question 4): the guide's
    /// <c>no_permission|temporary|permanent</c> and the OpenAPI's <c>granted|pending|denied|expired</c>, where a grant
    /// without an expiry is permanent. Null for a value neither schema knows.
    /// </summary>
    public static MetaPermissionStatus? ParseStatus(string? status, bool hasExpiry) =>
        status?.Trim().ToLowerInvariant() switch
        {
            "temporary" => MetaPermissionStatus.Temporary,
            "permanent" => MetaPermissionStatus.Permanent,
            "granted" => hasExpiry ? MetaPermissionStatus.Temporary : MetaPermissionStatus.Permanent,
            "no_permission" or "pending" or "denied" or "expired" => MetaPermissionStatus.NoPermission,
            _ => null,
        };
}

/// <summary>A record that Meta disagreed with our state and won (issue 6: "Meta wins and we record the correction").</summary>
public sealed record PermissionCorrection(
    BusinessNumberId BusinessNumber,
    ContactKey Contact,
    DateTimeOffset ObservedAt,
    CallPermissionStatus OurStatus,
    DateTimeOffset? OurExpiresAt,
    MetaPermissionStatus MetaStatus,
    DateTimeOffset? MetaExpiresAt)
{
    public string Describe() =>
        $"Meta reported {MetaStatus}{Until(MetaExpiresAt)} where we had {OurStatus}{Until(OurExpiresAt)}; Meta's answer now applies.";

    private static string Until(DateTimeOffset? at) => at is { } value ? $" (until {value:u})" : "";
}

public sealed record ReconciliationResult(ConsentState State, PermissionCorrection? Correction);
