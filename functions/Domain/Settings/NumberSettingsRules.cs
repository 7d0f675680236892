using System.Collections.Immutable;
using System.Globalization;

namespace WhatsAppCalling.Domain.Settings;

/// <summary>
/// Turns a <see cref="NumberSettingsDraft"/> into <see cref="NumberSettings"/>, or into every field error at once.
/// The limits are Meta's (whatsapp-calling-api.md §4): at most two openings per weekday, open before close, no
/// overlaps, an IANA time zone, weekly hours when hours are on, at most 20 holiday entries, no past holiday dates.
/// </summary>
public static class NumberSettingsRules
{
    public const int MaxWindowsPerDay = 2;

    /// <summary>Meta's cap on <c>holiday_schedule</c> entries; a holiday uses one entry per closed period.</summary>
    public const int MaxHolidayEntries = 20;

    public const string TimeFormat = "HH:mm";

    public const string DateFormat = "yyyy-MM-dd";

    /// <param name="now">Holiday dates before today in the hours' zone are refused, as Meta refuses them.</param>
    public static (NumberSettings? Settings, IReadOnlyList<FieldError> Errors) Validate(NumberSettingsDraft? draft, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (draft is null)
        {
            return (null, [new FieldError("body", "The body must be a settings document.")]);
        }

        Required(draft.CallingEnabled, "callingEnabled", errors);
        Required(draft.CallbackPermission, "callbackPermission", errors);
        Required(draft.Recording, "recording", errors);
        var icon = ParseIcon(draft.CallIconVisibility, errors);
        var hours = ValidateHours(draft.BusinessHours, now, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new NumberSettings(draft.CallingEnabled!.Value, icon!.Value, hours!, draft.CallbackPermission!.Value, draft.Recording!.Value), errors);
    }

    /// <summary>An IANA zone this machine knows (tzdata); Windows ids are refused because Meta takes IANA only.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) || !found.HasIanaId)
        {
            return false;
        }

        zone = found;
        return true;
    }

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        day = default;
        return text is { Length: > 0 } && !char.IsDigit(text[0]) && Enum.TryParse(text, ignoreCase: true, out day) && Enum.IsDefined(day);
    }

    private static void Required(bool? value, string field, List<FieldError> errors)
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, $"{field} is required (true or false)."));
        }
    }

    private static CallIconVisibility? ParseIcon(string? text, List<FieldError> errors)
    {
        var normalized = text?.Replace("_", string.Empty, StringComparison.Ordinal);
        if (normalized is { Length: > 0 } && !char.IsDigit(normalized[0]) && Enum.TryParse<CallIconVisibility>(normalized, ignoreCase: true, out var icon))
        {
            return icon;
        }

        errors.Add(new FieldError("callIconVisibility", "callIconVisibility must be \"default\" (call buttons shown) or \"disableAll\" (hidden)."));
        return null;
    }

    private static BusinessHours? ValidateHours(BusinessHoursDraft? draft, DateTimeOffset now, List<FieldError> errors)
    {
        const string at = "businessHours";
        if (draft is null)
        {
            errors.Add(new FieldError(at, "businessHours is required: {\"enabled\": false, \"timeZone\": \"UTC\", \"weekly\": [], \"holidays\": []} for around the clock."));
            return null;
        }

        var before = errors.Count;
        Required(draft.Enabled, $"{at}.enabled", errors);
        if (!TryFindZone(draft.TimeZone, out var zone))
        {
            errors.Add(new FieldError($"{at}.timeZone", $"'{draft.TimeZone}' is not a known IANA time zone (e.g. Europe/London, America/Sao_Paulo)."));
        }

        var weekly = ValidateWeekly(draft.Weekly ?? [], errors);
        if (draft.Enabled == true && (draft.Weekly is null || draft.Weekly.Count == 0))
        {
            errors.Add(new FieldError($"{at}.weekly", "Business hours that are enabled need at least one weekly opening."));
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var holidays = ValidateHolidays(draft.Holidays ?? [], today, errors);
        return errors.Count > before ? null : new BusinessHours(draft.Enabled!.Value, zone.Id, weekly, holidays);
    }

    private static ImmutableArray<WeeklyWindow> ValidateWeekly(IReadOnlyList<WeeklyWindowDraft?> drafts, List<FieldError> errors)
    {
        var accepted = new List<(int Index, WeeklyWindow Window)>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var field = $"businessHours.weekly[{i}]";
            if (drafts[i] is not { } draft)
            {
                errors.Add(new FieldError(field, "Each weekly opening is an object {\"day\", \"open\", \"close\"}."));
                continue;
            }

            var dayOk = TryParseDay(draft.Day, out var day);
            if (!dayOk)
            {
                errors.Add(new FieldError($"{field}.day", $"'{draft.Day}' is not a day of the week (monday … sunday)."));
            }

            var window = ValidateWindow(draft.Open, draft.Close, field, errors);
            if (!dayOk || window is null)
            {
                continue;
            }

            var sameDay = accepted.Where(a => a.Window.Day == day).ToList();
            if (sameDay.Count >= MaxWindowsPerDay)
            {
                errors.Add(new FieldError(field, $"At most {MaxWindowsPerDay} openings per day; {day} already has {sameDay.Count}."));
            }
            else if (sameDay.FirstOrDefault(a => a.Window.Window.Overlaps(window)) is { Window: not null } clash)
            {
                errors.Add(new FieldError($"{field}.open", $"Overlaps businessHours.weekly[{clash.Index}] ({Describe(clash.Window.Window)} on {day})."));
            }
            else
            {
                accepted.Add((i, new WeeklyWindow(day, window)));
            }
        }

        return [.. accepted.Select(a => a.Window)];
    }

    private static ImmutableArray<Holiday> ValidateHolidays(IReadOnlyList<HolidayDraft?> drafts, DateOnly today, List<FieldError> errors)
    {
        var accepted = new List<Holiday>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var field = $"businessHours.holidays[{i}]";
            if (drafts[i] is not { } draft)
            {
                errors.Add(new FieldError(field, "Each holiday is an object {\"date\", \"windows\"}."));
                continue;
            }

            if (!DateOnly.TryParseExact(draft.Date, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(new FieldError($"{field}.date", $"'{draft.Date}' is not a date in the form yyyy-MM-dd."));
                continue;
            }

            if (date < today)
            {
                errors.Add(new FieldError($"{field}.date", $"{date:yyyy-MM-dd} is in the past in the business hours' time zone (today is {today:yyyy-MM-dd})."));
                continue;
            }

            if (accepted.Any(h => h.Date == date))
            {
                errors.Add(new FieldError($"{field}.date", $"{date:yyyy-MM-dd} is listed twice."));
                continue;
            }

            var windows = ValidateHolidayWindows(draft.Windows ?? [], field, errors);
            if (windows is { } valid)
            {
                var holiday = new Holiday(date, valid);
                if (holiday.ClosedPeriods().Count == 0)
                {
                    errors.Add(new FieldError($"{field}.windows", "A holiday open the whole day changes nothing; remove it instead."));
                    continue;
                }

                accepted.Add(holiday);
            }
        }

        var entries = accepted.Sum(h => h.ClosedPeriods().Count);
        if (entries > MaxHolidayEntries)
        {
            errors.Add(new FieldError("businessHours.holidays",
                $"Meta allows {MaxHolidayEntries} holiday entries; these holidays need {entries} (one per closed period of each date)."));
        }

        return [.. accepted.OrderBy(h => h.Date)];
    }

    private static ImmutableArray<OpenWindow>? ValidateHolidayWindows(IReadOnlyList<WindowDraft?> drafts, string holidayField, List<FieldError> errors)
    {
        var before = errors.Count;
        var accepted = new List<(int Index, OpenWindow Window)>();
        if (drafts.Count > MaxWindowsPerDay)
        {
            errors.Add(new FieldError($"{holidayField}.windows", $"At most {MaxWindowsPerDay} openings on a holiday."));
            return null;
        }

        for (var k = 0; k < drafts.Count; k++)
        {
            var field = $"{holidayField}.windows[{k}]";
            if (drafts[k] is not { } draft)
            {
                errors.Add(new FieldError(field, "Each opening is an object {\"open\", \"close\"}."));
                continue;
            }

            if (ValidateWindow(draft.Open, draft.Close, field, errors) is not { } window)
            {
                continue;
            }

            if (accepted.FirstOrDefault(a => a.Window.Overlaps(window)) is { Window: not null } clash)
            {
                errors.Add(new FieldError($"{field}.open", $"Overlaps {holidayField}.windows[{clash.Index}] ({Describe(clash.Window)})."));
                continue;
            }

            accepted.Add((k, window));
        }

        return errors.Count > before ? null : [.. accepted.Select(a => a.Window).OrderBy(w => w.Open)];
    }

    private static OpenWindow? ValidateWindow(string? open, string? close, string field, List<FieldError> errors)
    {
        var openOk = TryParseTime(open, out var openTime);
        var closeOk = TryParseTime(close, out var closeTime);
        if (!openOk)
        {
            errors.Add(new FieldError($"{field}.open", $"'{open}' is not a time in the form HH:mm (24 h)."));
        }

        if (!closeOk)
        {
            errors.Add(new FieldError($"{field}.close", $"'{close}' is not a time in the form HH:mm (24 h)."));
        }

        if (openOk && closeOk && closeTime <= openTime)
        {
            errors.Add(new FieldError($"{field}.close", $"close ({close}) must be after open ({open}); windows cannot span midnight."));
            return null;
        }

        return openOk && closeOk ? new OpenWindow(openTime, closeTime) : null;
    }

    private static string Describe(OpenWindow w) => $"{w.Open:HH\\:mm}–{w.Close:HH\\:mm}";
}
