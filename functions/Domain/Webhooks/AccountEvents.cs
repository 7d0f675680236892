using System.Text.Json;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// <c>account_settings_update</c> (whatsapp-calling-api.md §1.11, §4): the calling settings of a number, the same
/// object <c>GET settings</c> returns. The named values are the ones we act on; <see cref="Calling"/> keeps the rest.
/// </summary>
public sealed record CallingSettingsUpdated(
    EventHeader Header,
    string? SettingsType,
    string? Status,
    string? CallIconVisibility,
    string? CallbackPermissionStatus,
    string? SipStatus,
    string? SrtpKeyExchangeProtocol,
    JsonElement Calling) : WhatsAppEvent(Header)
{
    public bool? CallingEnabled => Status is null ? null : string.Equals(Status, "ENABLED", StringComparison.OrdinalIgnoreCase);
}

public enum AccountUpdateKind
{
    Other,
    Violation,
    Restriction,
}

/// <summary>One <c>restriction_info[]</c> item; expiration as sent (Unix seconds), null when absent.</summary>
public sealed record AccountRestriction(string RestrictionType, DateTimeOffset? Expiration);

/// <summary>
/// <c>account_update</c> (§1.11): calling quality violations and the restrictions they cause. Other account events
/// are kept with <see cref="AccountUpdateKind.Other"/> and their raw event name.
/// </summary>
public sealed record AccountUpdated(
    EventHeader Header,
    string EventName,
    AccountUpdateKind Kind,
    string? ViolationType,
    IReadOnlyList<AccountRestriction> Restrictions,
    JsonElement Raw) : WhatsAppEvent(Header);
