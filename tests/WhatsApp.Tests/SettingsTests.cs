using System.Text.Json;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>GET/POST /{phone-number-id}/settings, the calling object of §4.</summary>
public sealed class SettingsTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private static CallingSettings OfficeHours() => new()
    {
        Status = SettingValues.Enabled,
        CallIconVisibility = SettingValues.IconDefault,
        CallbackPermissionStatus = SettingValues.Enabled,
        CallHours = new CallHours
        {
            Status = SettingValues.Enabled,
            TimezoneId = "Europe/Berlin",
            WeeklyOperatingHours = [new("MONDAY", "0900", "1200"), new("MONDAY", "1300", "1700")],
            HolidaySchedule = [new("2026-12-24", "0000", "2359")],
        },
    };

    [Fact]
    public async Task Settings_written_are_read_back_with_call_hours_and_holidays()
    {
        var write = await h.Client.UpdateCallingSettingsAsync(h.Number, OfficeHours());
        var read = await h.Client.GetCallingSettingsAsync(h.Number);

        Assert.True(write.IsSuccess, write.Error?.Message);
        Assert.True(read.Value?.IsCallingEnabled);
        Assert.Equal(SettingValues.Enabled, read.Value?.CallbackPermissionStatus);
        Assert.Equal(2, read.Value?.CallHours?.WeeklyOperatingHours?.Count);
        Assert.Equal("2026-12-24", read.Value?.CallHours?.HolidaySchedule?[0].Date);
    }

    [Fact]
    public async Task Parts_the_client_does_not_model_survive_a_read_modify_write()
    {
        var sip = JsonDocument.Parse("""{"status":"DISABLED","servers":[]}""").RootElement.Clone();
        await h.Client.UpdateCallingSettingsAsync(h.Number, OfficeHours() with { Other = new() { ["sip"] = sip } });

        var read = await h.Client.GetCallingSettingsAsync(h.Number);
        await h.Client.UpdateCallingSettingsAsync(h.Number, read.Value! with { CallIconVisibility = SettingValues.IconDisableAll });

        var body = h.Meta.Requests.To("/settings", "POST")[^1].Json!;
        Assert.Equal("DISABLED", (string?)body["calling"]!["sip"]!["status"]);
        Assert.Equal("DISABLE_ALL", (string?)body["calling"]!["call_icon_visibility"]);
    }

    [Fact]
    public async Task Overlapping_hours_are_refused_as_invalid_parameter()
    {
        var settings = OfficeHours() with
        {
            CallHours = OfficeHours().CallHours! with { WeeklyOperatingHours = [new("MONDAY", "0900", "1200"), new("MONDAY", "1100", "1400")] },
        };

        var result = await h.Client.UpdateCallingSettingsAsync(h.Number, settings);

        Assert.Equal(CallingFailureReason.InvalidParameter, result.Error?.Reason);
        Assert.Contains("overlap", result.Error?.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_settings_write_is_retried_after_a_502()
    {
        h.Meta.Faults.FailNext("/settings", 1, 502, method: "POST");

        var result = await h.Client.UpdateCallingSettingsAsync(h.Number, OfficeHours());

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, h.Meta.Requests.To("/settings", "POST").Count);
    }

    [Fact]
    public async Task A_settings_write_makes_meta_send_account_settings_update()
    {
        await h.Client.UpdateCallingSettingsAsync(h.Number, OfficeHours());
        await h.Meta.Webhooks.WhenIdleAsync();

        var update = Assert.Single(h.Receiver.Received, w => w.Field == "account_settings_update");
        Assert.Equal(h.Number.Value, (string?)update.Value["phone_number_settings"]!["phone_number_id"]);
    }

    [Fact]
    public async Task The_messaging_limit_tier_is_read_and_gates_enabling_calling()
    {
        h.Meta.Simulator.SetMessagingLimitTier(h.Number.Value, "TIER_250");

        var limit = await h.Client.GetMessagingLimitAsync(h.Number);
        var enable = await h.Client.UpdateCallingSettingsAsync(h.Number, OfficeHours());

        Assert.Equal("TIER_250", limit.Value?.Tier);
        Assert.Equal(250, limit.Value?.DailyRecipients);
        Assert.Contains("fields=whatsapp_business_manager_messaging_limit", h.Meta.Requests.All[0].Query, StringComparison.Ordinal);
        Assert.Equal(CallingFailureReason.MessagingLimitTooLow, enable.Error?.Reason);
    }
}
