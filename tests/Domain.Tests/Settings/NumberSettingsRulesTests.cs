using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Settings;

namespace WhatsAppCalling.Domain.Tests.Settings;

/// <summary>Field-level validation of the settings document against Meta's call-hours rules (§4).</summary>
public sealed class NumberSettingsRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static NumberSettingsDraft Draft(BusinessHoursDraft? hours = null) =>
        new(true, "default", hours ?? Hours(), false, true);

    private static BusinessHoursDraft Hours(IReadOnlyList<WeeklyWindowDraft?>? weekly = null, IReadOnlyList<HolidayDraft?>? holidays = null, string zone = "Europe/London") =>
        new(true, zone, weekly ?? [new("monday", "09:00", "17:00")], holidays ?? []);

    private static IReadOnlyList<FieldError> Errors(NumberSettingsDraft draft) => NumberSettingsRules.Validate(draft, Now).Errors;

    [Fact]
    public void A_valid_document_becomes_settings_in_the_named_zone()
    {
        var (settings, errors) = NumberSettingsRules.Validate(Draft(Hours(
            [new("Monday", "09:00", "12:00"), new("MONDAY", "13:00", "17:30"), new("saturday", "10:00", "14:00")],
            [new("2026-12-25", null), new("2026-12-24", [new("09:00", "13:00")])])), Now);
        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal("Europe/London", settings.Hours.TimeZoneId);
        Assert.Equal(3, settings.Hours.Weekly.Length);
        Assert.True(settings.Hours.Holidays[1].ClosedAllDay);
        Assert.True(settings.Recording);
    }

    [Fact]
    public void Overlapping_windows_name_the_later_entry()
    {
        var errors = Errors(Draft(Hours([new("monday", "09:00", "12:00"), new("tuesday", "09:00", "12:00"), new("monday", "11:00", "13:00")])));
        var error = Assert.Single(errors);
        Assert.Equal("businessHours.weekly[2].open", error.Field);
        Assert.Contains("weekly[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_two_windows_a_day_is_Metas_limit()
    {
        var errors = Errors(Draft(Hours([new("friday", "08:00", "09:00"), new("friday", "10:00", "11:00"), new("friday", "12:00", "13:00")])));
        Assert.Equal("businessHours.weekly[2]", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("GMT Standard Time")]
    public void Unknown_or_non_IANA_time_zones_are_refused(string zone) =>
        Assert.Equal("businessHours.timeZone", Assert.Single(Errors(Draft(Hours(zone: zone)))).Field);

    [Fact]
    public void Bad_times_and_reversed_windows_name_their_field()
    {
        var errors = Errors(Draft(Hours([new("monday", "9am", "17:00"), new("tuesday", "17:00", "09:00"), new("funday", "09:00", "10:00")])));
        Assert.Equal(["businessHours.weekly[0].open", "businessHours.weekly[1].close", "businessHours.weekly[2].day"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Enabled_hours_need_a_weekly_opening_but_disabled_ones_do_not()
    {
        Assert.Equal("businessHours.weekly", Assert.Single(Errors(Draft(Hours(weekly: [])))).Field);
        Assert.Empty(Errors(Draft(new BusinessHoursDraft(false, "UTC", [], []))));
    }

    [Fact]
    public void Holidays_in_the_past_twice_or_malformed_are_refused()
    {
        var errors = Errors(Draft(Hours(holidays: [new("2026-11-21", null), new("2026-12-25", null), new("2026-12-25", null), new("25/12/2026", null), null])));
        Assert.Equal(
            ["businessHours.holidays[0].date", "businessHours.holidays[2].date", "businessHours.holidays[3].date", "businessHours.holidays[4]"],
            errors.Select(e => e.Field));
    }

    [Fact]
    public void Holiday_windows_are_checked_and_count_against_Metas_twenty_entries()
    {
        var overlapping = Errors(Draft(Hours(holidays: [new("2026-12-24", [new("09:00", "12:00"), new("11:00", "13:00")])])));
        Assert.Equal("businessHours.holidays[0].windows[1].open", Assert.Single(overlapping).Field);

        // A holiday open 09:00–12:00 is two closed periods, i.e. two of Meta's entries: eleven such days make 22.
        var many = Enumerable.Range(1, 11).Select(d => (HolidayDraft?)new HolidayDraft($"2026-12-{d:D2}", [new("09:00", "12:00")])).ToList();
        Assert.Equal("businessHours.holidays", Assert.Single(Errors(Draft(Hours(holidays: many)))).Field);
    }

    [Fact]
    public void Missing_members_are_errors_not_defaults()
    {
        var errors = NumberSettingsRules.Validate(new NumberSettingsDraft(null, "sideways", null, null, null), Now).Errors;
        Assert.Equal(["callingEnabled", "callbackPermission", "recording", "callIconVisibility", "businessHours"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Admission_checks_calling_then_hours()
    {
        var (settings, _) = NumberSettingsRules.Validate(Draft(Hours([new("monday", "09:00", "17:00")], zone: "UTC")), Now);
        var zone = TimeZoneInfo.Utc;
        var monday = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(CallAdmission.Admitted, settings!.Admit(monday, zone));
        Assert.Equal(CallAdmission.OutsideBusinessHours, settings.Admit(monday.AddHours(8), zone));
        Assert.Equal(CallAdmission.CallingDisabled, (settings with { CallingEnabled = false }).Admit(monday, zone));
    }
}
