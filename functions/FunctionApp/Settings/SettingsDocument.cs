using System.Globalization;
using System.Text.Json;
using WhatsAppCalling.Domain.Settings;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>
/// The JSON shape of a number's settings, the same in <c>GET</c>/<c>PUT /api/admin/numbers/{id}/settings</c> and in
/// the stored row (docs/API.md, "Business number settings"): the draft records of the domain, written back out.
/// </summary>
public static class SettingsDocument
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NumberSettingsDraft ToDraft(NumberSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new NumberSettingsDraft(
            settings.CallingEnabled,
            settings.CallIcon == CallIconVisibility.Default ? "default" : "disableAll",
            ToDraft(settings.Hours),
            settings.CallbackPermission,
            settings.Recording);
    }

    public static BusinessHoursDraft ToDraft(BusinessHours hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        return new BusinessHoursDraft(
            hours.Enabled,
            hours.TimeZoneId,
            [.. hours.Weekly.OrderBy(w => ((int)w.Day + 6) % 7).ThenBy(w => w.Window.Open)
                .Select(w => new WeeklyWindowDraft(w.Day.ToString().ToLowerInvariant(), Time(w.Window.Open), Time(w.Window.Close)))],
            [.. hours.Holidays.Select(h => new HolidayDraft(
                h.Date.ToString(NumberSettingsRules.DateFormat, CultureInfo.InvariantCulture),
                [.. (h.Windows.IsDefault ? [] : h.Windows).Select(w => new WindowDraft(Time(w.Open), Time(w.Close)))]))]);
    }

    /// <summary>
    /// Reads hours written by <see cref="ToDraft(BusinessHours)"/> without re-validating them: a holiday that has
    /// since passed must not make a stored row unreadable. Entries that cannot be read are skipped.
    /// </summary>
    public static BusinessHours ReadStoredHours(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || JsonSerializer.Deserialize<BusinessHoursDraft>(json, Json) is not { } draft)
        {
            return BusinessHours.AlwaysOpen;
        }

        var weekly = (draft.Weekly ?? []).OfType<WeeklyWindowDraft>()
            .Where(w => NumberSettingsRules.TryParseDay(w.Day, out _) && Window(w.Open, w.Close) is not null)
            .Select(w => new WeeklyWindow(Enum.Parse<DayOfWeek>(w.Day!, ignoreCase: true), Window(w.Open, w.Close)!));
        var holidays = (draft.Holidays ?? []).OfType<HolidayDraft>()
            .Where(h => DateOnly.TryParseExact(h.Date, NumberSettingsRules.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .Select(h => new Holiday(
                DateOnly.ParseExact(h.Date!, NumberSettingsRules.DateFormat, CultureInfo.InvariantCulture),
                [.. (h.Windows ?? []).OfType<WindowDraft>().Select(w => Window(w.Open, w.Close)).OfType<OpenWindow>()]));
        return new BusinessHours(draft.Enabled ?? false, draft.TimeZone ?? "UTC", [.. weekly], [.. holidays]);
    }

    public static string WriteHours(BusinessHours hours) => JsonSerializer.Serialize(ToDraft(hours), Json);

    /// <summary>Content equality: the records hold immutable arrays, which compare by reference.</summary>
    public static bool SameContent(NumberSettings a, NumberSettings b) =>
        JsonSerializer.Serialize(ToDraft(a), Json) == JsonSerializer.Serialize(ToDraft(b), Json);

    private static string Time(TimeOnly t) => t.ToString(NumberSettingsRules.TimeFormat, CultureInfo.InvariantCulture);

    private static OpenWindow? Window(string? open, string? close) =>
        NumberSettingsRules.TryParseTime(open, out var o) && NumberSettingsRules.TryParseTime(close, out var c) && c > o ? new OpenWindow(o, c) : null;
}
