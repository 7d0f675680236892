using System.Collections.Immutable;

namespace WhatsAppCalling.Domain.Settings;

/// <summary>
/// One opening interval on a local calendar day, <c>[Open, Close)</c> in wall-clock time. Meta's call hours speak
/// in wall-clock <c>HHMM</c> (whatsapp-calling-api.md §4), so a window follows the zone across DST changes: a
/// 09:00–17:00 window opens at 09:00 local on the day the clocks change, whatever the UTC offset.
/// </summary>
public sealed record OpenWindow(TimeOnly Open, TimeOnly Close)
{
    public bool Contains(TimeOnly time) => time >= Open && time < Close;

    public bool Overlaps(OpenWindow other) => Open < other.Close && other.Open < Close;
}

/// <summary>A weekly opening: every <see cref="Day"/>, from <see cref="Window"/>'s open to its close.</summary>
public sealed record WeeklyWindow(DayOfWeek Day, OpenWindow Window);

/// <summary>
/// A dated override of the weekly hours: closed all day when <see cref="Windows"/> is empty, else open only within
/// its own windows (a shortened Christmas Eve). The date is in the business hours' time zone.
/// </summary>
public sealed record Holiday(DateOnly Date, ImmutableArray<OpenWindow> Windows)
{
    public bool ClosedAllDay => Windows.IsDefaultOrEmpty;

    /// <summary>Meta's day ends at <c>2359</c> (its sample closes 1 January with <c>0000</c>–<c>2359</c>, §4).</summary>
    public static readonly TimeOnly EndOfDay = new(23, 59);

    public static Holiday Closed(DateOnly date) => new(date, []);

    /// <summary>
    /// The closed periods of the date, the complement of <see cref="Windows"/> within 00:00–23:59: Meta's
    /// <c>holiday_schedule</c> entries, one per period. Closed all day is the single period 00:00–23:59.
    /// </summary>
    public IReadOnlyList<OpenWindow> ClosedPeriods() => Complement(Windows.IsDefault ? [] : Windows);

    /// <summary>The holiday whose closed periods are <paramref name="closed"/> (Meta's entries of one date).</summary>
    public static Holiday FromClosedPeriods(DateOnly date, IEnumerable<OpenWindow> closed) => new(date, [.. Complement(closed)]);

    private static List<OpenWindow> Complement(IEnumerable<OpenWindow> windows)
    {
        var result = new List<OpenWindow>();
        var cursor = TimeOnly.MinValue;
        foreach (var window in windows.OrderBy(w => w.Open))
        {
            if (window.Open > cursor)
            {
                result.Add(new OpenWindow(cursor, window.Open));
            }

            cursor = window.Close > cursor ? window.Close : cursor;
        }

        if (cursor < EndOfDay)
        {
            result.Add(new OpenWindow(cursor, EndOfDay));
        }

        return result;
    }
}

/// <summary>
/// When customers may call a business number: weekly windows and dated holidays in one IANA time zone. When
/// <see cref="Enabled"/> is false the number is open around the clock (Meta's <c>call_hours.status</c> DISABLED).
/// </summary>
public sealed record BusinessHours(bool Enabled, string TimeZoneId, ImmutableArray<WeeklyWindow> Weekly, ImmutableArray<Holiday> Holidays)
{
    /// <summary>How far <see cref="NextOpening"/> looks: past the longest run of closed days validation allows.</summary>
    public static readonly int LookAheadDays = 60;

    public static BusinessHours AlwaysOpen { get; } = new(false, "UTC", [], []);

    /// <summary>The windows that apply on a local date: the holiday's own when it is one, else that weekday's.</summary>
    public IEnumerable<OpenWindow> WindowsOn(DateOnly date)
    {
        var holiday = Holidays.IsDefault ? null : Holidays.FirstOrDefault(h => h.Date == date);
        if (holiday is not null)
        {
            return holiday.ClosedAllDay ? [] : holiday.Windows;
        }

        return Weekly.IsDefault ? [] : Weekly.Where(w => w.Day == date.DayOfWeek).Select(w => w.Window);
    }

    /// <summary>Whether a call at <paramref name="instant"/> falls inside the hours, read in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!Enabled)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return WindowsOn(DateOnly.FromDateTime(local.DateTime)).Any(w => w.Contains(time));
    }

    /// <summary>
    /// The first instant at or after <paramref name="from"/> when the number is open, or null when it does not open
    /// within <see cref="LookAheadDays"/>. Opening can only begin where a window's open time maps to an instant
    /// (both instants of an ambiguous autumn hour; the end of a spring gap for a time that does not exist) or where
    /// the clocks change (an autumn fall-back re-enters a window), so those candidates are checked in order.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset from, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (IsOpen(from, zone))
        {
            return from;
        }

        var startDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var candidates = new List<DateTimeOffset>();
        for (var day = 0; day <= LookAheadDays; day++)
        {
            var date = startDate.AddDays(day);
            foreach (var window in WindowsOn(date))
            {
                candidates.AddRange(ZoneTime.InstantsOf(date.ToDateTime(window.Open), zone));
            }
        }

        var end = from.AddDays(LookAheadDays);
        candidates.AddRange(ZoneTime.OffsetChanges(from, end, zone));
        return candidates.Where(c => c > from && c <= end).Order().Cast<DateTimeOffset?>().FirstOrDefault(c => IsOpen(c!.Value, zone));
    }
}
