using WhatsAppCalling.Domain.Calls;

namespace WhatsAppCalling.Domain.Settings;

/// <summary>Meta's <c>call_icon_visibility</c> (whatsapp-calling-api.md §4).</summary>
public enum CallIconVisibility
{
    /// <summary>The call button shows in the chat bar and the business info page.</summary>
    Default,

    /// <summary>Buttons hidden; customers can still call from a saved contact, the call log or a call button in a message.</summary>
    DisableAll,
}

/// <summary>
/// An admin's settings for one business number (issue 8, What to build 2). Calling, icon, hours and callback mirror
/// Meta's <c>calling</c> settings; recording is ours alone (the relay records, architecture.md).
/// </summary>
public sealed record NumberSettings(
    bool CallingEnabled,
    CallIconVisibility CallIcon,
    BusinessHours Hours,
    bool CallbackPermission,
    bool Recording)
{
    /// <summary>
    /// A number nobody configured here yet: calls are admitted around the clock, as Meta would only deliver them if
    /// calling were on there; callback permission and recording stay off until an admin turns them on.
    /// </summary>
    public static NumberSettings Unconfigured { get; } = new(true, CallIconVisibility.Default, BusinessHours.AlwaysOpen, false, false);

    /// <summary>The admission verdict in the hours' own zone (UTC if this machine lacks it: tzdata missing).</summary>
    public CallAdmission Admit(DateTimeOffset at) =>
        Admit(at, NumberSettingsRules.TryFindZone(Hours.TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc);

    /// <summary>The admission verdict for an inbound call at <paramref name="at"/>; billing's check comes after.</summary>
    public CallAdmission Admit(DateTimeOffset at, TimeZoneInfo zone)
    {
        if (!CallingEnabled)
        {
            return CallAdmission.CallingDisabled;
        }

        return Hours.IsOpen(at, zone) ? CallAdmission.Admitted : CallAdmission.OutsideBusinessHours;
    }
}
