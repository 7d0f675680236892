using System.Globalization;
using System.Text.Json;

namespace FakeMeta.Simulation;

/// <summary>Validation of a settings POST's <c>calling</c> object as §4 lists it; returns a problem or null.</summary>
internal static class SettingsRules
{
    private static readonly string[] Days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

    /// <summary>Calling needs a messaging limit of 2,000 or more (§0); unknown tiers count as too low.</summary>
    public static bool MayEnableCalling(string tier) => tier is "TIER_2K" or "TIER_10K" or "TIER_100K" or "TIER_UNLIMITED";

    public static string? Problem(JsonElement calling, DateTimeOffset now)
    {
        foreach (var name in new[] { "status", "callback_permission_status" })
        {
            if (GraphRules.Str(calling, name) is { } v && v is not ("ENABLED" or "DISABLED"))
            {
                return $"calling.{name} must be ENABLED or DISABLED.";
            }
        }

        if (GraphRules.Str(calling, "call_icon_visibility") is { } icon && icon is not ("DEFAULT" or "DISABLE_ALL"))
        {
            return "calling.call_icon_visibility must be DEFAULT or DISABLE_ALL.";
        }

        return calling.TryGetProperty("call_hours", out var hours) ? CallHoursProblem(hours, now) : null;
    }

    private static string? CallHoursProblem(JsonElement hours, DateTimeOffset now)
    {
        if (GraphRules.Str(hours, "status") is null || GraphRules.Str(hours, "timezone_id") is null)
        {
            return "call_hours.status and call_hours.timezone_id are required.";
        }

        var zone = GraphRules.Str(hours, "timezone_id")!;
        // Machines without tzdata still accept the IANA shape (Area/City).
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) && !(zone.Contains('/', StringComparison.Ordinal) && !zone.Contains(' ', StringComparison.Ordinal)))
        {
            return "call_hours.timezone_id is not a valid time zone.";
        }

        if (!hours.TryGetProperty("weekly_operating_hours", out var weekly) || weekly.ValueKind != JsonValueKind.Array
            || weekly.GetArrayLength() == 0)
        {
            return "call_hours.weekly_operating_hours must not be empty.";
        }

        var perDay = new Dictionary<string, List<(int Open, int Close)>>();
        foreach (var entry in weekly.EnumerateArray())
        {
            var day = GraphRules.Str(entry, "day_of_week") ?? "";
            if (!Days.Contains(day))
            {
                return $"'{day}' is not a day of the week.";
            }

            if (Minutes(GraphRules.Str(entry, "open_time")) is not { } open || Minutes(GraphRules.Str(entry, "close_time")) is not { } close
                || open >= close)
            {
                return "Operating hours need HHMM times with open_time before close_time.";
            }

            var list = perDay.TryGetValue(day, out var l) ? l : perDay[day] = [];
            if (list.Count == 2)
            {
                return $"At most two operating-hour entries per day ({day}).";
            }

            if (list.Any(x => open < x.Close && x.Open < close))
            {
                return $"Operating hours overlap on {day}.";
            }

            list.Add((open, close));
        }

        return HolidayProblem(hours, now);
    }

    private static string? HolidayProblem(JsonElement hours, DateTimeOffset now)
    {
        if (!hours.TryGetProperty("holiday_schedule", out var holidays) || holidays.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        if (holidays.GetArrayLength() > 20)
        {
            return "At most 20 holiday overrides.";
        }

        foreach (var holiday in holidays.EnumerateArray())
        {
            if (!DateOnly.TryParseExact(GraphRules.Str(holiday, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var date))
            {
                return "Holiday dates must be YYYY-MM-DD.";
            }

            if (date < DateOnly.FromDateTime(now.UtcDateTime))
            {
                return "Holiday dates must not be in the past.";
            }

            if (Minutes(GraphRules.Str(holiday, "start_time")) is null || Minutes(GraphRules.Str(holiday, "end_time")) is null)
            {
                return "Holiday times must be HHMM.";
            }
        }

        return null;
    }

    private static int? Minutes(string? hhmm) =>
        hhmm is { Length: 4 } && int.TryParse(hhmm, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            && v / 100 < 24 && v % 100 < 60 ? v / 100 * 60 + v % 100 : null;
}
