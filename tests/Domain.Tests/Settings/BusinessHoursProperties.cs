using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Settings;

namespace WhatsAppCalling.Domain.Tests.Settings;

/// <summary>
/// Business hours over random weekly schedules, holidays and instants, drawn around the DST changes of zones that
/// spring forward and fall back (Europe/London; America/Sao_Paulo, whose changes fell at midnight until 2019).
/// </summary>
public sealed class BusinessHoursProperties
{
    private static readonly string[] Zones = ["Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"];

    // Days around DST changes of the zones above, plus ordinary days.
    private static readonly DateTimeOffset[] Anchors =
    [
        new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 1, 0, 0, TimeSpan.Zero),
        new(2018, 11, 4, 3, 0, 0, TimeSpan.Zero), new(2019, 2, 17, 2, 0, 0, TimeSpan.Zero),
        new(2026, 4, 4, 15, 0, 0, TimeSpan.Zero), new(2026, 10, 3, 15, 30, 0, TimeSpan.Zero),
        new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero),
    ];

    private static readonly Gen<OpenWindow> Windows =
        from open in Gen.Choose(0, 95)
        from length in Gen.Choose(1, 40)
        let close = Math.Min(open + length, 95)
        where close > open
        select new OpenWindow(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(open * 15)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(close * 15)));

    private static readonly Gen<ImmutableArray<WeeklyWindow>> Weekly =
        from days in Gen.Choose(0, 2).ArrayOf(7)
        from windows in Windows.ArrayOf(14)
        let chosen = Enumerable.Range(0, 7).SelectMany(d => NonOverlapping(windows.Skip(d * 2).Take(days[d])).Select(w => new WeeklyWindow((DayOfWeek)d, w)))
        where chosen.Any()
        select chosen.ToImmutableArray();

    private static readonly Arbitrary<(BusinessHours Hours, DateTimeOffset From)> Cases =
        (from zone in Gen.Elements(Zones)
         from weekly in Weekly
         from anchor in Gen.Elements(Anchors)
         from shiftMinutes in Gen.Choose(-3 * 1440, 3 * 1440)
         from holidayOffset in Gen.Choose(-2, 4)
         from holidayWindows in Gen.Choose(0, 2)
         from windows in Windows.ArrayOf(2)
         let start = anchor.AddMinutes(shiftMinutes)
         let holidayDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Zone(zone)).DateTime).AddDays(holidayOffset)
         let holiday = new Holiday(holidayDate, [.. NonOverlapping(windows.Take(holidayWindows))])
         select (new BusinessHours(true, zone, weekly, [holiday]), start)).ToArbitrary();

    [Fact]
    public void Next_opening_is_open_and_nothing_before_it_is()
    {
        Prop.ForAll(Cases, c =>
        {
            var zone = Zone(c.Hours.TimeZoneId);
            var next = c.Hours.NextOpening(c.From, zone);
            if (next is not { } opening)
            {
                return false;
            }

            var closedUntilThen = true;
            for (var m = c.From; m < opening && closedUntilThen; m = m.AddMinutes(1))
            {
                closedUntilThen = !c.Hours.IsOpen(m, zone);
            }

            return opening >= c.From && c.Hours.IsOpen(opening, zone) && closedUntilThen
                && (opening == c.From || !c.Hours.IsOpen(opening.AddMinutes(-1), zone));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void A_closed_holiday_closes_every_instant_of_its_local_date_and_open_windows_replace_the_weekday()
    {
        Prop.ForAll(Cases, c =>
        {
            var zone = Zone(c.Hours.TimeZoneId);
            var holiday = c.Hours.Holidays[0];
            var ok = true;
            for (var m = c.From.AddDays(-3); m < c.From.AddDays(6) && ok; m = m.AddMinutes(7))
            {
                var local = TimeZoneInfo.ConvertTime(m, zone);
                if (DateOnly.FromDateTime(local.DateTime) == holiday.Date)
                {
                    var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
                    ok = c.Hours.IsOpen(m, zone) == (!holiday.ClosedAllDay && holiday.Windows.Any(w => w.Contains(time)));
                }
            }

            return ok;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void Closed_periods_and_back_give_the_same_holiday()
    {
        Prop.ForAll(Windows.ArrayOf(2).ToArbitrary(), windows =>
        {
            var holiday = new Holiday(new DateOnly(2026, 12, 24), [.. NonOverlapping(windows).OrderBy(w => w.Open)]);
            var back = Holiday.FromClosedPeriods(holiday.Date, holiday.ClosedPeriods());
            // Adjacent windows come back merged, so compare the minutes they open, up to Meta's 23:59 end of day.
            return Enumerable.Range(0, 23 * 60 + 59).Select(m => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(m)))
                .All(t => back.Windows.Any(w => w.Contains(t)) == holiday.Windows.Any(w => w.Contains(t)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void London_spring_forward_shortens_a_window_that_spans_the_lost_hour()
    {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST. A Sunday 00:30–03:00 window lasts 90 real minutes.
        var hours = Daily("Europe/London", DayOfWeek.Sunday, "00:30", "03:00");
        var zone = Zone("Europe/London");
        Assert.Equal(90, OpenMinutes(hours, zone, new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(6)));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), zone)); // 02:00 BST
    }

    [Fact]
    public void London_fall_back_repeats_a_window_inside_the_repeated_hour_and_reopens_it_at_the_change()
    {
        // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00–01:30 happens twice.
        var zone = Zone("Europe/London");
        var repeated = Daily("Europe/London", DayOfWeek.Sunday, "01:00", "01:30");
        Assert.Equal(60, OpenMinutes(repeated, zone, new DateTimeOffset(2026, 10, 24, 23, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(4)));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero),
            repeated.NextOpening(new DateTimeOffset(2026, 10, 25, 0, 45, 0, TimeSpan.Zero), zone));

        // A window that ends inside the repeated hour is entered again by the change itself, not at its open time.
        var early = Daily("Europe/London", DayOfWeek.Sunday, "00:00", "01:30");
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero),
            early.NextOpening(new DateTimeOffset(2026, 10, 25, 0, 40, 0, TimeSpan.Zero), zone));
    }

    [Fact]
    public void Sao_Paulo_midnight_spring_forward_opens_a_window_that_starts_in_the_gap_when_the_gap_ends()
    {
        // 4 November 2018: 00:00 -03 became 01:00 -02; 00:30 never happened.
        var zone = Zone("America/Sao_Paulo");
        var hours = Daily("America/Sao_Paulo", DayOfWeek.Sunday, "00:30", "02:00");
        var opening = hours.NextOpening(new DateTimeOffset(2018, 11, 4, 2, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(new DateTimeOffset(2018, 11, 4, 1, 0, 0, TimeSpan.FromHours(-2)), opening);
        Assert.Equal(60, OpenMinutes(hours, zone, new DateTimeOffset(2018, 11, 4, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(8)));
    }

    [Fact]
    public void Sao_Paulo_fall_back_repeats_the_last_hour_of_the_day()
    {
        // 17 February 2019: 00:00 -02 became 23:00 -03 on the 16th, so Saturday 23:00–23:45 happened twice.
        var zone = Zone("America/Sao_Paulo");
        var hours = Daily("America/Sao_Paulo", DayOfWeek.Saturday, "23:00", "23:45");
        Assert.Equal(90, OpenMinutes(hours, zone, new DateTimeOffset(2019, 2, 16, 22, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(8)));
    }

    [Fact]
    public void Hours_switched_off_are_always_open()
    {
        var hours = Daily("Europe/London", DayOfWeek.Monday, "09:00", "10:00") with { Enabled = false };
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), Zone("Europe/London")));
    }

    internal static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static BusinessHours Daily(string zone, DayOfWeek day, string open, string close) =>
        new(true, zone, [new WeeklyWindow(day, new OpenWindow(TimeOnly.Parse(open), TimeOnly.Parse(close)))], []);

    private static int OpenMinutes(BusinessHours hours, TimeZoneInfo zone, DateTimeOffset from, TimeSpan span)
    {
        var count = 0;
        for (var m = from; m < from + span; m = m.AddMinutes(1))
        {
            count += hours.IsOpen(m, zone) ? 1 : 0;
        }

        return count;
    }

    private static List<OpenWindow> NonOverlapping(IEnumerable<OpenWindow> windows)
    {
        var kept = new List<OpenWindow>();
        foreach (var w in windows)
        {
            if (!kept.Any(k => k.Overlaps(w)))
            {
                kept.Add(w);
            }
        }

        return kept;
    }
}
