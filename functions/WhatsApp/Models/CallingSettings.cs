using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppCalling.WhatsApp.Models;

/// <summary>
/// The <c>calling</c> object of <c>GET/POST /{phone-number-id}/settings</c> (§4). Values stay strings so that new
/// values Meta adds survive a read-modify-write; parts we do not model (sip, voicemail, audio, restrictions, …) are
/// kept in <see cref="Other"/> and written back unchanged.
/// </summary>
public sealed record CallingSettings
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("call_icon_visibility")]
    public string? CallIconVisibility { get; init; }

    /// <summary>Replaced as a whole on each POST; omitting <c>holiday_schedule</c> clears it (§4).</summary>
    [JsonPropertyName("call_hours")]
    public CallHours? CallHours { get; init; }

    [JsonPropertyName("callback_permission_status")]
    public string? CallbackPermissionStatus { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    public bool IsCallingEnabled => string.Equals(Status, SettingValues.Enabled, StringComparison.OrdinalIgnoreCase);
}

public sealed record CallHours
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("timezone_id")]
    public string? TimezoneId { get; init; }

    [JsonPropertyName("weekly_operating_hours")]
    public List<WeeklyOperatingHours>? WeeklyOperatingHours { get; init; }

    [JsonPropertyName("holiday_schedule")]
    public List<HolidayOverride>? HolidaySchedule { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }
}

/// <summary>One opening interval; times are <c>HHMM</c> 24 h, at most two per day (§4).</summary>
public sealed record WeeklyOperatingHours(
    [property: JsonPropertyName("day_of_week")] string DayOfWeek,
    [property: JsonPropertyName("open_time")] string OpenTime,
    [property: JsonPropertyName("close_time")] string CloseTime);

/// <summary>A dated override (<c>YYYY-MM-DD</c>), at most 20 (§4).</summary>
public sealed record HolidayOverride(
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("start_time")] string StartTime,
    [property: JsonPropertyName("end_time")] string EndTime);

/// <summary>Values Meta uses in the settings object (§4).</summary>
public static class SettingValues
{
    public const string Enabled = "ENABLED";
    public const string Disabled = "DISABLED";
    public const string IconDefault = "DEFAULT";
    public const string IconDisableAll = "DISABLE_ALL";
}
