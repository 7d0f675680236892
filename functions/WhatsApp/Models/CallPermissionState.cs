namespace WhatsAppCalling.WhatsApp.Models;

/// <summary>
/// The normalized answer of <c>GET call_permissions</c> (§3.4). Meta documents two vocabularies for the status
/// (<c>no_permission|temporary|permanent</c> in the guide, <c>granted|pending|denied|expired</c> in the OpenAPI
/// reference); both are kept as <see cref="RawStatus"/> and folded into <see cref="Status"/>.
/// </summary>
public sealed record CallPermissionState(
    CallPermissionStatus Status,
    string RawStatus,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<PermissionAction> Actions)
{
    public const string SendPermissionRequestAction = "send_call_permission_request";
    public const string StartCallAction = "start_call";

    /// <summary>Whether a business-initiated call is permitted by the permission itself (limits aside).</summary>
    public bool HasPermission => Status is CallPermissionStatus.Temporary or CallPermissionStatus.Permanent
        or CallPermissionStatus.Granted;

    public PermissionAction? Action(string name) =>
        Actions.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Meta's own verdict on sending a permission request now; null when the action was not listed.</summary>
    public bool? CanSendPermissionRequest => Action(SendPermissionRequestAction)?.CanPerform;

    public bool? CanStartCall => Action(StartCallAction)?.CanPerform;
}

public enum CallPermissionStatus
{
    Unknown = 0,
    NoPermission,
    Temporary,
    Permanent,
    /// <summary>OpenAPI vocabulary: granted, kind not stated.</summary>
    Granted,
    Pending,
    Denied,
    Expired,
}

/// <summary>One entry of <c>actions[]</c>; <c>limits</c> may be an array, an empty string or absent (§3.4).</summary>
public sealed record PermissionAction(string Name, bool CanPerform, IReadOnlyList<PermissionLimit> Limits);

/// <summary>
/// One usage limit. <see cref="RawTimePeriod"/> is what Meta sent (<c>PT24H</c>, <c>P7D</c> or <c>24h</c>);
/// <see cref="TimePeriod"/> is its length when it could be read.
/// </summary>
public sealed record PermissionLimit(
    string RawTimePeriod,
    TimeSpan? TimePeriod,
    int MaxAllowed,
    int CurrentUsage,
    DateTimeOffset? LimitExpiresAt)
{
    public bool IsExhausted => CurrentUsage >= MaxAllowed;
}
