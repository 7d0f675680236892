using System.Globalization;
using WhatsAppCalling.Domain.Settings;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>
/// Our settings ↔ Meta's <c>calling</c> object (whatsapp-calling-api.md §4). Times are <c>HHMM</c>; a holiday is
/// sent as the periods it is closed on its date (Meta's sample closes 1 January with one <c>0000</c>–<c>2359</c>
/// entry), so a shortened day becomes up to three entries. Recording is not Meta's and is never sent.
/// </summary>
public static class MetaCallingSettings
{
    private const string MetaTime = "HHmm";

    /// <summary>
    /// The parts we own; other parts (sip, voicemail, audio, …) are not sent and so stay as they are at Meta.
    /// Hours that are off and have no weekly openings are left out: Meta requires weekly hours whenever
    /// <c>call_hours</c> is given, and hours that are off admit every call anyway.
    /// </summary>
    public static CallingSettings ToMeta(NumberSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var hours = settings.Hours;
        return new CallingSettings
        {
            Status = settings.CallingEnabled ? SettingValues.Enabled : SettingValues.Disabled,
            CallIconVisibility = settings.CallIcon == CallIconVisibility.Default ? SettingValues.IconDefault : SettingValues.IconDisableAll,
            CallbackPermissionStatus = settings.CallbackPermission ? SettingValues.Enabled : SettingValues.Disabled,
            CallHours = !hours.Enabled && hours.Weekly.IsDefaultOrEmpty ? null : new CallHours
            {
                Status = hours.Enabled ? SettingValues.Enabled : SettingValues.Disabled,
                TimezoneId = hours.TimeZoneId,
                WeeklyOperatingHours = [.. hours.Weekly.Select(w => new WeeklyOperatingHours(
                    w.Day.ToString().ToUpperInvariant(), Time(w.Window.Open), Time(w.Window.Close)))],
                HolidaySchedule = [.. hours.Holidays.SelectMany(h => h.ClosedPeriods().Select(p => new HolidayOverride(
                    h.Date.ToString(NumberSettingsRules.DateFormat, CultureInfo.InvariantCulture), Time(p.Open), Time(p.Close))))],
            },
        };
    }

    /// <summary>
    /// <paramref name="current"/> with what Meta reported; parts Meta left out, and recording, stay as they are.
    /// Call hours are taken only when they can be read whole (a zone this machine knows, valid times).
    /// </summary>
    public static NumberSettings FromMeta(CallingSettings meta, NumberSettings current)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            CallingEnabled = Flag(meta.Status) ?? current.CallingEnabled,
            CallIcon = meta.CallIconVisibility?.ToUpperInvariant() switch
            {
                SettingValues.IconDefault => CallIconVisibility.Default,
                SettingValues.IconDisableAll => CallIconVisibility.DisableAll,
                _ => current.CallIcon,
            },
            CallbackPermission = Flag(meta.CallbackPermissionStatus) ?? current.CallbackPermission,
            Hours = meta.CallHours is { } hours ? HoursFromMeta(hours) ?? current.Hours : current.Hours,
        };
    }

    private static BusinessHours? HoursFromMeta(CallHours hours)
    {
        if (Flag(hours.Status) is not { } enabled || !NumberSettingsRules.TryFindZone(hours.TimezoneId, out var zone))
        {
            return null;
        }

        var weekly = new List<WeeklyWindow>();
        foreach (var entry in hours.WeeklyOperatingHours ?? [])
        {
            if (!NumberSettingsRules.TryParseDay(entry.DayOfWeek, out var day) || Window(entry.OpenTime, entry.CloseTime) is not { } window)
            {
                return null;
            }

            weekly.Add(new WeeklyWindow(day, window));
        }

        var holidays = new List<Holiday>();
        foreach (var date in (hours.HolidaySchedule ?? []).GroupBy(h => h.Date))
        {
            if (!DateOnly.TryParseExact(date.Key, NumberSettingsRules.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return null;
            }

            var closed = date.Select(h => Window(h.StartTime, h.EndTime)).ToList();
            if (closed.Any(c => c is null))
            {
                return null;
            }

            holidays.Add(Holiday.FromClosedPeriods(day, closed!));
        }

        return new BusinessHours(enabled, zone.Id, [.. weekly], [.. holidays.OrderBy(h => h.Date)]);
    }

    private static bool? Flag(string? value) => value?.ToUpperInvariant() switch
    {
        SettingValues.Enabled => true,
        SettingValues.Disabled => false,
        _ => null,
    };

    private static string Time(TimeOnly t) => t.ToString(MetaTime, CultureInfo.InvariantCulture);

    // Meta documents HHMM but one page shows HH:MM (§4): both are read.
    private static OpenWindow? Window(string? open, string? close)
    {
        static TimeOnly? Parse(string? text) =>
            TimeOnly.TryParseExact(text?.Replace(":", string.Empty, StringComparison.Ordinal), MetaTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

        return Parse(open) is { } o && Parse(close) is { } c && c > o ? new OpenWindow(o, c) : null;
    }
}
