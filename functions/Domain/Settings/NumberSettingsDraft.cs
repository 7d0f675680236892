namespace WhatsAppCalling.Domain.Settings;

/// <summary>One opening as an admin typed it: <c>HH:mm</c> strings, not yet checked.</summary>
public sealed record WindowDraft(string? Open, string? Close);

/// <summary>A weekly opening as typed: a weekday name and two <c>HH:mm</c> times.</summary>
public sealed record WeeklyWindowDraft(string? Day, string? Open, string? Close);

/// <summary>A holiday as typed: a <c>yyyy-MM-dd</c> date, closed all day unless it lists its own windows.</summary>
public sealed record HolidayDraft(string? Date, IReadOnlyList<WindowDraft?>? Windows);

public sealed record BusinessHoursDraft(bool? Enabled, string? TimeZone, IReadOnlyList<WeeklyWindowDraft?>? Weekly, IReadOnlyList<HolidayDraft?>? Holidays);

/// <summary>
/// The settings document of <c>PUT /api/admin/numbers/{id}/settings</c> before validation; every member is
/// nullable so that a missing one becomes a field error rather than a silent default.
/// </summary>
public sealed record NumberSettingsDraft(
    bool? CallingEnabled,
    string? CallIconVisibility,
    BusinessHoursDraft? BusinessHours,
    bool? CallbackPermission,
    bool? Recording);

/// <summary>A problem with one input field, named by its JSON path (<c>businessHours.weekly[2].open</c>).</summary>
public sealed record FieldError(string Field, string Message);
