namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// A six-field NCRONTAB expression as the Functions timer trigger uses it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c> (azure-protocols.md §1.7). Supports <c>*</c>,
/// values, ranges, steps, lists and three-letter month and day names. Times are UTC.
/// </summary>
public sealed class NCrontabSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;

    private NCrontabSchedule(string[] fields)
    {
        _seconds = Field(fields[0], 0, 59, null, "second");
        _minutes = Field(fields[1], 0, 59, null, "minute");
        _hours = Field(fields[2], 0, 23, null, "hour");
        _days = Field(fields[3], 1, 31, null, "day");
        _months = Field(fields[4], 1, 12, MonthNames, "month");
        _weekdays = Field(fields[5], 0, 6, DayNames, "day-of-week");
    }

    public static NCrontabSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"'{expression}' must have six fields: second minute hour day month day-of-week.");
        }

        return new NCrontabSchedule(fields);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var t = after.UtcDateTime;
        t = new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!_days[t.Day] || !_weekdays[(int)t.DayOfWeek])
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            }
            else if (!_seconds[t.Second])
            {
                t = t.AddSeconds(1);
            }
            else
            {
                return new DateTimeOffset(t, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException("The schedule has no occurrence in the next five years.");
    }

    private static bool[] Field(string text, int min, int max, string[]? names, string what)
    {
        var set = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = ParseNumber(part[(slash + 1)..], null, 0, what);
                range = part[..slash];
                if (step < 1)
                {
                    throw new FormatException($"The {what} step in '{part}' must be at least 1.");
                }
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Contains('-', StringComparison.Ordinal))
            {
                var bounds = range.Split('-');
                from = ParseNumber(bounds[0], names, min, what);
                to = ParseNumber(bounds[1], names, min, what);
            }
            else
            {
                from = ParseNumber(range, names, min, what);
                to = slash >= 0 ? max : from;
            }

            if (from < min || to > max || from > to)
            {
                throw new FormatException($"The {what} field '{part}' is outside {min}-{max}.");
            }

            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }

    private static int ParseNumber(string text, string[]? names, int offset, string what)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        var index = names is null ? -1 : Array.FindIndex(names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index + offset : throw new FormatException($"'{text}' is not a valid {what}.");
    }
}
